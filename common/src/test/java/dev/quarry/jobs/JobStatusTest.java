package dev.quarry.jobs;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static dev.quarry.jobs.JobStatus.*;
import static org.assertj.core.api.Assertions.assertThat;

class JobStatusTest {

    private static final Set<String> LEGAL = Set.of(
            "QUEUED>RUNNING", "QUEUED>CANCELLED", "QUEUED>DEAD_LETTERED", "QUEUED>FAILED",
            "RUNNING>RUNNING", "RUNNING>SUCCEEDED", "RUNNING>FAILED", "RUNNING>RETRY_SCHEDULED",
            "RUNNING>CANCEL_REQUESTED", "RUNNING>DEAD_LETTERED",
            "RETRY_SCHEDULED>RUNNING", "RETRY_SCHEDULED>CANCELLED", "RETRY_SCHEDULED>DEAD_LETTERED",
            "CANCEL_REQUESTED>CANCELLED", "CANCEL_REQUESTED>SUCCEEDED", "CANCEL_REQUESTED>FAILED",
            "CANCEL_REQUESTED>DEAD_LETTERED",
            "DEAD_LETTERED>QUEUED", "FAILED>QUEUED");

    @Test
    void every_pair_of_statuses_is_legal_exactly_when_the_table_lists_it() {
        for (JobStatus from : JobStatus.values()) {
            for (JobStatus to : JobStatus.values()) {
                assertThat(from.canMoveTo(to)).as(from + " -> " + to).isEqualTo(LEGAL.contains(from + ">" + to));
            }
        }
    }

    @Test
    void allowed_sources_are_the_inverse_of_the_table() {
        assertThat(allowedSources(RUNNING)).isEqualTo(EnumSet.of(QUEUED, RUNNING, RETRY_SCHEDULED));
        assertThat(allowedSources(QUEUED)).isEqualTo(EnumSet.of(DEAD_LETTERED, FAILED));
    }

    @Test
    void succeeded_and_cancelled_are_final() {
        for (JobStatus to : JobStatus.values()) {
            assertThat(SUCCEEDED.canMoveTo(to)).isFalse();
            assertThat(CANCELLED.canMoveTo(to)).isFalse();
        }
    }
}
