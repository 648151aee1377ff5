package dev.quarry.api.operations;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PromQlTest {

    @Test
    void finds_the_metrics_and_not_functions_labels_keywords_or_numbers() {
        assertThat(PromQl.metricNames(List.of(
                "sum(max by (type, state) (quarry_jobs_waiting)) > 50",
                """
                sum(rate(quarry_jobs_accepted_total[5m]))
                  > 5 * (sum(rate(quarry_jobs_accepted_total[1h] offset 15m)) + 0.1)""",
                "sum by (job, instance) (jvm_memory_used_bytes{area=\"heap\"}) / sum by (job, instance) (jvm_memory_max_bytes{area=\"heap\"} > 0) > 0.8",
                "up{job=~\"quarry-api|quarry-worker\"} == 0",
                "histogram_quantile(0.95, sum by (le, mode) (rate(quarry_search_latency_seconds_bucket[5m])))",
                "sum(x_total) > 0 and on() (sum(rate(y_total[10m])) or on() vector(0)) == 0")))
                .containsExactlyInAnyOrder("quarry_jobs_waiting", "quarry_jobs_accepted_total", "jvm_memory_used_bytes",
                        "jvm_memory_max_bytes", "up", "quarry_search_latency_seconds_bucket", "x_total", "y_total");
    }
}
