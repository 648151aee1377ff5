package dev.quarry.api.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TraceContextTest {

    @Test
    void a_valid_traceparent_is_continued() {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

        TraceContext context = TraceContext.from(traceparent);

        assertThat(context.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(context.traceParent()).isEqualTo(traceparent);
    }

    @Test
    void a_missing_or_invalid_traceparent_starts_a_new_trace() {
        for (String bad : new String[]{null, "", "garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"}) {
            TraceContext context = TraceContext.from(bad);
            assertThat(context.traceId()).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
            assertThat(context.traceParent()).matches("00-" + context.traceId() + "-[0-9a-f]{16}-01");
        }
        assertThat(TraceContext.from(null).traceId()).isNotEqualTo(TraceContext.from(null).traceId());
    }
}
