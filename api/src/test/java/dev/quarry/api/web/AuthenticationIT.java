package dev.quarry.api.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AuthenticationIT extends ApiIntegrationTest {

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/documents", "/api/v1/search?q=x", "/api/v1/jobs/00000000-0000-0000-0000-000000000001",
            "/api/v1/no-such-endpoint"})
    void every_api_path_needs_a_token(String path) {
        HttpResponse<String> response = get(path, null);

        assertProblem(response, 401, "unauthorized");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    }

    @Test
    void a_token_signed_with_another_secret_is_rejected() {
        String forged = TestTokens.mint("another-secret-that-is-also-32-bytes-or-more", "mallory", "acme", List.of(),
                Instant.now().plus(Duration.ofHours(1)));

        JsonNode problem = assertProblem(get("/api/v1/documents", forged), 401, "unauthorized");
        assertThat(problem.path("detail").asText()).containsIgnoringCase("invalid");
    }

    @Test
    void an_expired_token_is_rejected() {
        String expired = TestTokens.mint(TestTokens.SECRET, "alice", "acme", List.of(),
                Instant.now().minus(Duration.ofHours(1)));

        JsonNode problem = assertProblem(get("/api/v1/documents", expired), 401, "unauthorized");
        assertThat(problem.path("detail").asText()).containsIgnoringCase("expired");
    }

    @Test
    void a_token_without_expiry_or_tenant_is_rejected() {
        String eternal = TestTokens.mint(TestTokens.SECRET, "alice", "acme", List.of(), null);
        String tenantless = TestTokens.mint(TestTokens.SECRET, "alice", null, List.of(),
                Instant.now().plus(Duration.ofHours(1)));

        assertProblem(get("/api/v1/documents", eternal), 401, "unauthorized");
        assertProblem(get("/api/v1/documents", tenantless), 401, "unauthorized");
    }

    @Test
    void garbage_in_the_authorization_header_is_a_401_not_a_500() {
        assertProblem(get("/api/v1/documents", "not.a.jwt"), 401, "unauthorized");
        assertProblem(get("/api/v1/documents", "%%%"), 401, "unauthorized");
    }

    @Test
    void a_token_minted_like_bin_quarry_does_with_openssl_is_accepted() {
        HttpResponse<String> response = get("/api/v1/documents", TestTokens.opensslStyle(TestTokens.SECRET, "acme", false));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void admin_paths_need_the_admin_role() {
        assertProblem(get("/api/v1/admin/dead-letters", TestTokens.forTenant("acme")), 403, "forbidden");
        // An openssl-minted admin token (bin/quarry token --admin) passes.
        assertThat(get("/api/v1/admin/dead-letters", TestTokens.opensslStyle(TestTokens.SECRET, "acme", true))
                .statusCode()).isEqualTo(200);
    }

    @Test
    void health_and_metrics_and_api_docs_are_public() {
        assertThat(get("/actuator/health", null).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/prometheus", null).body()).contains("jvm_memory_used_bytes");
        assertThat(get("/swagger-ui/index.html", null).statusCode()).isEqualTo(200);

        JsonNode docs = json(get("/v3/api-docs", null));
        assertThat(docs.at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
        assertThat(docs.path("paths").fieldNames()).toIterable().contains(
                "/api/v1/documents", "/api/v1/documents/{id}", "/api/v1/jobs/{id}", "/api/v1/jobs/{id}/events",
                "/api/v1/search");
        // The caller is taken from the token, never from a request parameter.
        assertThat(docs.at("/paths/~1api~1v1~1search/get/parameters").findValuesAsText("name"))
                .containsExactlyInAnyOrder("q", "k", "mode", "collection", "tags", "source", "mediaType",
                        "createdFrom", "createdTo", "halfLife", "keywordWeight", "vectorWeight", "rrfK",
                        "reliabilityBoost", "feedback", "scope");
    }
}
