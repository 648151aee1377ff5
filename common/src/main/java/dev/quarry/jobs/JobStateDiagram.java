package dev.quarry.jobs;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The job state diagram as Mermaid text, rendered from {@link JobStatus}'s transition table and the names of
 * {@link JobLifecycle}'s operations, so that the copy in {@code docs/architecture.md} can be compared with the
 * code by a test instead of drifting from it.
 */
public final class JobStateDiagram {
    private JobStateDiagram() {
    }

    public static String mermaid() {
        StringBuilder diagram = new StringBuilder("stateDiagram-v2\n    [*] --> QUEUED: create\n");
        for (JobStatus from : JobStatus.values()) {
            for (Transition transition : Transition.values()) {
                if (from.canMoveTo(transition.target())) {
                    diagram.append("    ").append(from).append(" --> ").append(transition.target()).append(": ")
                            .append(operation(transition)).append('\n');
                }
            }
        }
        for (JobStatus end : JobStatus.values()) {
            if (Arrays.stream(JobStatus.values()).noneMatch(end::canMoveTo)) {
                diagram.append("    ").append(end).append(" --> [*]\n");
            }
        }
        return diagram.toString();
    }

    /** The JobLifecycle method's name: SCHEDULE_RETRY → scheduleRetry. */
    static String operation(Transition transition) {
        String[] words = transition.name().toLowerCase().split("_");
        return words[0] + Arrays.stream(words).skip(1)
                .map(w -> Character.toUpperCase(w.charAt(0)) + w.substring(1)).collect(Collectors.joining());
    }
}
