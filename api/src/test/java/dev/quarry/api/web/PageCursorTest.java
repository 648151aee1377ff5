package dev.quarry.api.web;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PageCursorTest {

    @Test
    void a_cursor_round_trips_with_microsecond_precision() {
        PageCursor cursor = new PageCursor(Instant.parse("2025-03-04T05:06:07.123456Z"), UUID.randomUUID());

        assertThat(PageCursor.decode(cursor.encode())).isEqualTo(cursor);
        assertThat(cursor.encode()).doesNotContain("=", "+", "/");
    }

    @Test
    void no_cursor_means_the_first_page() {
        assertThat(PageCursor.decode(null)).isNull();
        assertThat(PageCursor.decode(" ")).isNull();
    }

    @Test
    void anything_else_is_an_invalid_cursor() {
        for (String bad : new String[]{"!!!", "dGVzdA", "djJ8MXwyfDM", "djF8eHx5fHo"}) {
            assertThatThrownBy(() -> PageCursor.decode(bad)).isInstanceOfSatisfying(ApiProblem.class,
                    problem -> assertThat(problem.kind()).isEqualTo(ProblemKind.INVALID_CURSOR));
        }
    }

    @Test
    void limits_outside_the_range_are_rejected() {
        assertThat(PageCursor.limit(1, 100)).isEqualTo(1);
        assertThat(PageCursor.limit(100, 100)).isEqualTo(100);
        assertThatThrownBy(() -> PageCursor.limit(0, 100)).isInstanceOf(ApiProblem.class);
        assertThatThrownBy(() -> PageCursor.limit(101, 100)).isInstanceOf(ApiProblem.class);
    }
}
