package dev.quarry.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** Spring's own rejections are problems too, with Quarry's stable types. */
class ProblemResponsesIT extends ApiIntegrationTest {
    private final String token = TestTokens.forTenant("acme");

    @Test
    void an_unknown_path_is_not_found() {
        assertProblem(get("/api/v1/nothing-here", token), 404, "not-found");
    }

    @Test
    void a_wrong_method_is_405_with_springs_detail() {
        JsonNode problem = assertProblem(send(request("/api/v1/documents", token).DELETE().build()), 405,
                "method-not-allowed");

        assertThat(problem.path("detail").asText()).contains("DELETE");
    }

    @Test
    void an_unacceptable_accept_header_still_gets_a_problem() {
        assertProblem(send(request("/api/v1/documents", token).header("Accept", "image/png").GET().build()), 406,
                "not-acceptable");
    }

    @Test
    void the_trace_id_of_an_incoming_traceparent_is_the_problems_trace_id() {
        JsonNode problem = assertProblem(send(request("/api/v1/nothing-here", token)
                .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").GET().build()),
                404, "not-found");

        assertThat(problem.path("traceId").asText()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    }

    @Test
    void a_problem_for_an_event_stream_request_is_still_json() {
        assertProblem(send(request("/api/v1/jobs/6a1f5c1e-0000-4000-8000-000000000000/events", token)
                .header("Accept", "text/event-stream").GET().build()), 404, "not-found");
    }
}
