package dev.quarry.architecture;

import dev.quarry.jobs.JobStateDiagram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/architecture.md draws the job state diagram the code has: JobStatus's transitions, named as JobLifecycle's operations. */
class ArchitectureDocTest {

    @Test
    void the_state_diagram_in_the_docs_is_the_one_rendered_from_the_transition_table() {
        String doc = Repository.read(Repository.root().resolve("docs/architecture.md"));
        int section = doc.indexOf("\n## Job states\n");
        assertThat(section).as("a '## Job states' section").isPositive();
        assertThat(doc.substring(section))
                .as("docs/architecture.md's diagram; render it anew with JobStateDiagram.mermaid()")
                .contains("```mermaid\n" + JobStateDiagram.mermaid() + "```\n");
    }
}
