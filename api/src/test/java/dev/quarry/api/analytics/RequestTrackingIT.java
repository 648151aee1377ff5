package dev.quarry.api.analytics;

import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.TestTokens;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import javax.sql.DataSource;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every /api/ request lands in api_requests, off the request's thread: with its route template (never the raw path),
 * tenant, subject, status and duration; in batches; and a database that refuses the rows fails no request, one
 * that blocks the writer slows none.
 */
class RequestTrackingIT extends ApiIntegrationTest {
    @Autowired MeterRegistry meters;
    @Autowired DataSource dataSource;

    private final String tenant = "tracked-" + UUID.randomUUID();
    private final String user = TestTokens.forTenant(tenant);

    @Test
    void a_request_is_recorded_with_its_route_template_caller_status_and_duration() {
        String unknownDocument = UUID.randomUUID().toString();
        assertThat(get("/api/v1/documents/" + unknownDocument, user).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/jobs", user).statusCode()).isEqualTo(200);
        String unknownThread = UUID.randomUUID().toString();
        assertThat(get("/api/v1/conversations/" + unknownThread + "/messages", null).statusCode()).isEqualTo(401);
        assertThat(get("/console/", null).statusCode()).isEqualTo(200);

        List<Map<String, Object>> rows = await().atMost(Duration.ofSeconds(10))
                .until(() -> jdbc.queryForList("select * from api_requests where tenant_id = ? order by id", tenant),
                        found -> found.size() == 2);
        assertThat(rows.get(0)).containsEntry("subject", "user-" + tenant).containsEntry("method", "GET")
                .containsEntry("route", "/api/v1/documents/{id}").containsEntry("status", 404);
        assertThat(rows.get(1)).containsEntry("route", "/api/v1/jobs").containsEntry("status", 200);
        assertThat((Integer) rows.get(1).get("duration_micros")).isPositive();
        // Refused before authentication: no caller, but still the route's template.
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject("""
                select count(*) from api_requests where tenant_id is null and subject is null and status = 401
                and route = '/api/v1/conversations/{id}/messages'""", Integer.class) == 1);
        assertThat(jdbc.queryForObject("select count(*) from api_requests where route like ? or route like ? "
                + "or route like '/console%'", Integer.class, "%" + unknownDocument + "%", "%" + unknownThread + "%"))
                .as("no raw path with ids, no console file").isZero();
    }

    @Test
    void requests_are_written_in_batches() {
        double batchesBefore = meters.summary("quarry.analytics.requests.batch").count();
        int requests = 40;

        List<CompletableFuture<HttpResponse<Void>>> sent = IntStream.range(0, requests)
                .mapToObj(i -> http.sendAsync(request("/api/v1/jobs", user).GET().build(),
                        HttpResponse.BodyHandlers.discarding())).toList();
        sent.forEach(response -> assertThat(response.join().statusCode()).isEqualTo(200));

        await().atMost(Duration.ofSeconds(10)).until(() -> recorded() == requests);
        assertThat(meters.summary("quarry.analytics.requests.batch").count() - batchesBefore)
                .as("inserts for %d requests", requests).isLessThan(requests / 2.0);
    }

    @Test
    void a_database_that_refuses_the_rows_fails_no_request_and_the_loss_is_counted() {
        double droppedBefore = dropped();
        jdbc.execute("alter table api_requests rename to api_requests_unavailable");
        try {
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> response = get("/api/v1/jobs", user);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> dropped() - droppedBefore >= 10);
        } finally {
            jdbc.execute("alter table api_requests_unavailable rename to api_requests");
        }

        assertThat(get("/api/v1/jobs", user).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> recorded() == 1);
    }

    @Test
    void a_database_that_blocks_the_writer_slows_no_request() throws Exception {
        // Each call gives up after 5 s: a request that waited for the writer would fail here instead of hanging.
        HttpRequest list = request("/api/v1/jobs", user).timeout(Duration.ofSeconds(5)).GET().build();
        try (Connection locker = dataSource.getConnection()) {
            locker.setAutoCommit(false);
            try {
                locker.createStatement().execute("lock table api_requests in access exclusive mode");
                assertThat(send(list).statusCode()).isEqualTo(200);
                await("the writer waits for the lock").atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                        "select count(*) from pg_locks where relation = 'api_requests'::regclass and not granted",
                        Integer.class) > 0);

                for (int i = 0; i < 10; i++) {
                    long start = System.nanoTime();
                    assertThat(send(list).statusCode()).isEqualTo(200);
                    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("a request while the writer is blocked")
                            .isLessThan(Duration.ofSeconds(2));
                }
            } finally {
                locker.rollback();
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> recorded() == 11);
    }

    private int recorded() {
        return jdbc.queryForObject("select count(*) from api_requests where tenant_id = ?", Integer.class, tenant);
    }

    private double dropped() {
        return meters.counter("quarry.analytics.requests.dropped", "reason", "write_failed").count();
    }
}
