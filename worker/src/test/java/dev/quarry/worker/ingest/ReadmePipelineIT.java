package dev.quarry.worker.ingest;

import dev.quarry.worker.testing.WorkerContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The README named scrub before normalize while the pipeline normalizes first: docs must follow the code. */
class ReadmePipelineIT extends WorkerContext {
    private static final Pattern CODE = Pattern.compile("`([a-z_]+)`");
    @Autowired
    IngestPipeline pipeline;

    @Test
    void the_readme_names_the_ingest_steps_in_the_order_the_pipeline_runs_them() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        int start = readme.indexOf("running the ingest pipeline:");
        assertThat(start).as("the README's description of the worker's pipeline").isPositive();
        String description = readme.substring(start, readme.indexOf(". ", start)); // its first sentence

        List<String> named = CODE.matcher(description).results().map(m -> m.group(1))
                .filter(pipeline.stepNames()::contains).toList();

        assertThat(named).isEqualTo(pipeline.stepNames());
    }
}
