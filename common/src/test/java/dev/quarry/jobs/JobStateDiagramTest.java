package dev.quarry.jobs;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class JobStateDiagramTest {

    @Test
    void every_legal_move_is_an_arrow_labelled_with_its_operation() {
        String diagram = JobStateDiagram.mermaid();
        long arrows = diagram.lines().filter(l -> l.contains("-->") && !l.contains("[*]")).count();
        long legal = Arrays.stream(JobStatus.values())
                .flatMap(from -> Arrays.stream(JobStatus.values()).filter(from::canMoveTo)).count();

        assertThat(arrows).isEqualTo(legal);
        assertThat(diagram).contains("    RUNNING --> DEAD_LETTERED: deadLetter\n")
                .contains("    DEAD_LETTERED --> QUEUED: requeue\n")
                .contains("    RUNNING --> RETRY_SCHEDULED: scheduleRetry\n")
                .contains("    SUCCEEDED --> [*]\n").contains("    CANCELLED --> [*]\n");
    }

    @Test
    void every_label_is_a_public_operation_of_the_lifecycle() {
        var operations = Arrays.stream(JobLifecycle.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers())).map(Method::getName).toList();

        for (Transition transition : Transition.values()) {
            assertThat(operations).contains(JobStateDiagram.operation(transition));
        }
    }
}
