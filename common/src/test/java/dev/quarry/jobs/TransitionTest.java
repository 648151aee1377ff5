package dev.quarry.jobs;

import dev.quarry.events.JobEventType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;

class TransitionTest {

    @Test
    void every_status_a_job_can_move_to_has_exactly_one_named_transition() {
        EnumSet<JobStatus> reachable = EnumSet.noneOf(JobStatus.class);
        for (JobStatus from : JobStatus.values()) {
            for (JobStatus to : JobStatus.values()) if (from.canMoveTo(to)) reachable.add(to);
        }
        assertThat(Arrays.stream(Transition.values()).map(Transition::target)).containsExactlyInAnyOrderElementsOf(reachable);
    }

    @Test
    void dead_lettering_records_dead_lettered() {
        assertThat(Transition.DEAD_LETTER.event()).isEqualTo(JobEventType.DEAD_LETTERED);
        assertThat(Transition.DEAD_LETTER.target()).isEqualTo(JobStatus.DEAD_LETTERED);
    }

    @Test
    void a_transition_starts_from_what_the_status_table_allows_for_its_target() {
        for (Transition t : Transition.values()) {
            assertThat(t.sources()).isEqualTo(JobStatus.allowedSources(t.target()));
            assertThat(t.sources()).allSatisfy(from -> assertThat(from.canMoveTo(t.target())).isTrue());
        }
    }

    @Test
    void the_terminal_and_active_sets_split_the_statuses() {
        assertThat(EnumSet.copyOf(JobStatus.TERMINAL)).isEqualTo(EnumSet.complementOf(EnumSet.copyOf(JobStatus.ACTIVE)));
        assertThat(JobStatus.ACTIVE).containsAll(JobStatus.WAITING);
    }
}
