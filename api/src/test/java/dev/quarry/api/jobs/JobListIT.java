package dev.quarry.api.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.jobs.JobEventData;
import dev.quarry.jobs.JobLifecycle;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/v1/jobs}: the console's job list. */
class JobListIT extends ApiIntegrationTest {
    private final String token = TestTokens.forTenant("acme");
    @Autowired
    JobLifecycle lifecycle;

    private UUID upload(String tokenOf, String text) {
        return UUID.fromString(json(uploadText(tokenOf, "a.txt", text)).path("jobId").asText());
    }

    @Test
    void jobs_are_listed_newest_first_in_pages_and_only_the_tenants() {
        List<UUID> uploaded = new ArrayList<>();
        for (int i = 0; i < 5; i++) uploaded.add(upload(token, "text " + i));
        upload(TestTokens.forTenant("globex"), "another tenant's");

        List<String> seen = new ArrayList<>();
        String cursor = "";
        do {
            JsonNode page = json(get("/api/v1/jobs?limit=2&cursor=" + cursor, token));
            assertThat(page.get("items").size()).isLessThanOrEqualTo(2);
            page.get("items").forEach(item -> seen.add(item.get("id").asText()));
            cursor = page.path("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);

        List<String> newestFirst = new ArrayList<>(uploaded.stream().map(UUID::toString).toList());
        Collections.reverse(newestFirst);
        assertThat(seen).containsExactlyElementsOf(newestFirst);
        JsonNode first = json(get("/api/v1/jobs?limit=1", token)).get("items").get(0);
        assertThat(first.path("type").asText()).isEqualTo("ingest");
        assertThat(first.path("status").asText()).isEqualTo("QUEUED");
        assertThat(first.path("progress").path("percent").asInt()).isZero();
    }

    @Test
    void the_list_filters_by_status() {
        UUID running = upload(token, "running");
        upload(token, "queued");
        lifecycle.start(running, "acme", JobEventData.Started.NOTHING);

        JsonNode page = json(get("/api/v1/jobs?status=running", token));

        assertThat(page.get("items")).hasSize(1);
        assertThat(page.get("items").get(0).path("id").asText()).isEqualTo(running.toString());
        assertThat(json(get("/api/v1/jobs?status=SUCCEEDED", token)).get("items")).isEmpty();
    }

    @Test
    void a_bad_status_limit_or_cursor_is_a_problem() {
        assertProblem(get("/api/v1/jobs?status=DONE", token), 400, "invalid-parameter");
        assertProblem(get("/api/v1/jobs?limit=0", token), 400, "invalid-parameter");
        assertProblem(get("/api/v1/jobs?cursor=nonsense", token), 400, "invalid-cursor");
        assertProblem(get("/api/v1/jobs", null), 401, "unauthorized");
    }
}
