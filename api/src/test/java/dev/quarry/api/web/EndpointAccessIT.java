package dev.quarry.api.web;

import dev.quarry.api.ApiApplication;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.MultipartBody;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import static dev.quarry.testing.SampleFiles.utf8;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint of the API, as Spring maps it, and every file of the web console has an access rule here: the
 * least role it needs. The suite fails when an endpoint or console file is added without a rule (or a rule
 * outlives its endpoint), calls each endpoint with every role below its rule (401 without a token, 403 with one;
 * nothing written), serves every public rule without a token under a strict Content-Security-Policy, and calls
 * every endpoint that takes an id with another tenant's ids (404, nothing written, the owner's data unchanged).
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"quarry.jwt.secret=" + TestTokens.SECRET,
                // On, so that the rate-limit endpoints exist; with buckets this suite never empties.
                "quarry.rate-limit.enabled=true", "quarry.rate-limit.ip-per-window=1000000",
                "quarry.rate-limit.tiers.free.user=1000000", "quarry.rate-limit.tiers.free.tenant=1000000"})
class EndpointAccessIT extends ApiIntegrationTest {
    /** ANONYMOUS: no token at all; only the console's static files (they hold no data). */
    enum Role { ANONYMOUS, USER, TENANT_ADMIN, OPERATOR }

    private static final Map<String, Role> RULES = Map.ofEntries(
            entry("GET /console", Role.ANONYMOUS),
            entry("GET /console/", Role.ANONYMOUS),
            entry("GET /console/index.html", Role.ANONYMOUS),
            entry("GET /console/console.css", Role.ANONYMOUS),
            entry("GET /console/js/api.js", Role.ANONYMOUS),
            entry("GET /console/js/dom.js", Role.ANONYMOUS),
            entry("GET /console/js/main.js", Role.ANONYMOUS),
            entry("GET /console/js/problems.js", Role.ANONYMOUS),
            entry("GET /console/js/session.js", Role.ANONYMOUS),
            entry("GET /console/js/sse.js", Role.ANONYMOUS),
            entry("GET /console/js/screens/dead-letters.js", Role.ANONYMOUS),
            entry("GET /console/js/screens/index.js", Role.ANONYMOUS),
            entry("GET /console/js/screens/jobs.js", Role.ANONYMOUS),
            entry("GET /console/js/screens/search.js", Role.ANONYMOUS),
            entry("GET /console/js/screens/signin.js", Role.ANONYMOUS),
            entry("GET /console/js/screens/upload.js", Role.ANONYMOUS),
            entry("GET /console/analytics.css", Role.ANONYMOUS),
            entry("GET /console/js/charts.js", Role.ANONYMOUS),
            entry("GET /console/js/screens/analytics.js", Role.ANONYMOUS),
            entry("GET /api/v1/jobs", Role.USER),
            entry("GET /api/v1/documents", Role.USER),
            entry("POST /api/v1/documents", Role.USER),
            entry("GET /api/v1/documents/{id}", Role.USER),
            entry("PUT /api/v1/documents/{id}/content", Role.USER),
            entry("POST /api/v1/documents/{id}/reingest", Role.USER),
            entry("POST /api/v1/documents/reingest", Role.USER),
            entry("DELETE /api/v1/documents/{id}", Role.USER),
            entry("POST /api/v1/documents/delete", Role.USER),
            entry("POST /api/v1/exports", Role.USER),
            entry("GET /api/v1/exports/{id}", Role.USER),
            entry("GET /api/v1/exports/{id}/file", Role.USER),
            entry("GET /api/v1/admin/audit", Role.TENANT_ADMIN),
            entry("GET /api/v1/admin/audit/verify", Role.OPERATOR),
            entry("GET /api/v1/admin/retention/dry-run", Role.TENANT_ADMIN),
            entry("GET /api/v1/admin/retention/policy", Role.TENANT_ADMIN),
            entry("PUT /api/v1/admin/retention/policy", Role.TENANT_ADMIN),
            entry("POST /api/v1/admin/erasures", Role.TENANT_ADMIN),
            entry("GET /api/v1/admin/erasures/{id}", Role.TENANT_ADMIN),
            entry("POST /api/v1/admin/subject-access", Role.TENANT_ADMIN),
            entry("GET /api/v1/jobs/{id}", Role.USER),
            entry("GET /api/v1/jobs/{id}/events", Role.USER),
            entry("POST /api/v1/jobs/{id}/cancel", Role.USER),
            entry("GET /api/v1/search", Role.USER),
            entry("GET /api/v1/budgets", Role.USER),
            entry("GET /api/v1/collections/{collection}/search-settings", Role.USER),
            entry("PUT /api/v1/collections/{collection}/search-settings", Role.TENANT_ADMIN),
            entry("GET /api/v1/admin/usage", Role.TENANT_ADMIN),
            entry("GET /api/v1/admin/dead-letters", Role.TENANT_ADMIN),
            entry("GET /api/v1/admin/dead-letters/{id}", Role.TENANT_ADMIN),
            entry("POST /api/v1/admin/dead-letters/{id}/requeue", Role.TENANT_ADMIN),
            entry("POST /api/v1/admin/dead-letters/requeue", Role.TENANT_ADMIN),
            entry("DELETE /api/v1/admin/dead-letters/{id}", Role.TENANT_ADMIN),
            entry("GET /api/v1/admin/embedding-versions", Role.TENANT_ADMIN),
            entry("POST /api/v1/admin/embedding-versions/{version}/activate", Role.TENANT_ADMIN),
            entry("DELETE /api/v1/admin/embedding-versions/{version}", Role.TENANT_ADMIN),
            entry("POST /api/v1/admin/reindex", Role.TENANT_ADMIN),
            entry("GET /api/v1/admin/rate-limits/tiers", Role.TENANT_ADMIN),
            entry("PUT /api/v1/admin/rate-limits/tiers/{tier}", Role.OPERATOR),
            entry("GET /api/v1/admin/rate-limits/users/{subject}", Role.TENANT_ADMIN),
            entry("DELETE /api/v1/admin/rate-limits/users/{subject}", Role.TENANT_ADMIN),
            entry("PUT /api/v1/admin/budgets/tenants/{tenant}/today", Role.OPERATOR),
            entry("PUT /api/v1/admin/budgets/users/{subject}/today", Role.TENANT_ADMIN),
            entry("POST /api/v1/conversations", Role.USER),
            entry("GET /api/v1/conversations", Role.USER),
            entry("GET /api/v1/conversations/{id}", Role.USER),
            entry("PATCH /api/v1/conversations/{id}", Role.USER),
            entry("DELETE /api/v1/conversations/{id}", Role.USER),
            entry("POST /api/v1/conversations/{id}/restore", Role.USER),
            entry("POST /api/v1/conversations/{id}/messages", Role.USER),
            entry("GET /api/v1/conversations/{id}/messages", Role.USER),
            entry("GET /api/v1/conversations/{id}/messages/{messageId}", Role.USER),
            entry("POST /api/v1/conversations/{id}/chat", Role.USER),
            entry("GET /api/v1/messages/search", Role.USER),
            entry("POST /api/v1/rag/augment", Role.USER),
            entry("GET /api/v1/admin/models", Role.TENANT_ADMIN),
            entry("PUT /api/v1/admin/models/{provider}/{model}", Role.OPERATOR),
            entry("POST /api/v1/admin/models/{provider}/{model}/disable", Role.OPERATOR),
            entry("GET /api/v1/admin/extensions", Role.TENANT_ADMIN),
            entry("GET /api/v1/admin/job-types", Role.TENANT_ADMIN),
            entry("GET /api/v1/admin/analytics/overview", Role.TENANT_ADMIN),
            entry("GET /api/v1/admin/analytics/users", Role.TENANT_ADMIN),
            entry("GET /api/v1/admin/analytics/conversations", Role.TENANT_ADMIN),
            entry("GET /api/v1/admin/analytics/messages", Role.TENANT_ADMIN),
            entry("GET /api/v1/admin/analytics/tokens", Role.TENANT_ADMIN),
            entry("GET /api/v1/admin/analytics/api-usage", Role.TENANT_ADMIN),
            entry("GET /api/v1/admin/analytics/daily-stats", Role.TENANT_ADMIN),
            entry("PUT /api/v1/admin/job-types/{type}/concurrency", Role.OPERATOR),
            entry("DELETE /api/v1/admin/job-types/{type}/concurrency", Role.OPERATOR));

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void every_endpoint_has_an_access_rule_and_every_rule_an_endpoint() {
        TreeSet<String> endpoints = new TreeSet<>();
        mappings.getHandlerMethods().keySet().forEach(info -> info.getPatternValues().stream()
                .filter(pattern -> pattern.startsWith("/api/"))
                .forEach(pattern -> info.getMethodsCondition().getMethods()
                        .forEach(method -> endpoints.add(method.name() + " " + pattern))));
        endpoints.addAll(consoleFiles());

        assertThat(new TreeSet<>(RULES.keySet())).as("endpoints without a rule in EndpointAccessIT.RULES, or rules "
                + "without an endpoint").isEqualTo(endpoints);
    }

    @Test
    void every_role_below_an_endpoints_rule_is_refused_and_nothing_is_written() {
        String tenant = "access-" + UUID.randomUUID();
        Map<Role, String> tokens = Map.of(Role.USER, TestTokens.forTenant(tenant),
                Role.TENANT_ADMIN, TestTokens.forTenant(tenant, "tenant-admin"));
        Map<String, Integer> before = counts();
        Map<String, Integer> refusals = new TreeMap<>();
        RULES.forEach((endpoint, rule) -> {
            for (Role role : Role.values()) {
                if (role.ordinal() >= rule.ordinal()) break;
                boolean anonymous = role == Role.ANONYMOUS;
                HttpResponse<String> response = send(call(endpoint, anonymous ? null : tokens.get(role),
                        UUID.randomUUID().toString()));
                assertThat(response.statusCode()).as(endpoint + " as " + role + ": " + response.body())
                        .isEqualTo(anonymous ? 401 : 403);
                refusals.merge(endpoint, 1, Integer::sum);
            }
        });

        assertThat(refusals).isNotEmpty();
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void another_tenants_ids_are_not_found_and_nothing_is_written() {
        String owner = TestTokens.forTenant("owner-" + UUID.randomUUID());
        HttpResponse<String> accepted = uploadText(owner, "private.txt", "the owner's private text");
        assertThat(accepted.statusCode()).isEqualTo(202);
        String documentId = json(accepted).path("documentId").asText();
        String jobId = json(accepted).path("jobId").asText();
        String strangerTenant = "stranger-" + UUID.randomUUID();
        Map<Role, String> strangers = Map.of(Role.USER, TestTokens.forTenant(strangerTenant),
                Role.TENANT_ADMIN, TestTokens.forTenant(strangerTenant, "tenant-admin"));
        Map<String, Integer> before = counts();
        String ownerDocument = get("/api/v1/documents/" + documentId, owner).body();
        String ownerJob = get("/api/v1/jobs/" + jobId, owner).body();

        RULES.forEach((endpoint, rule) -> {
            if (!endpoint.contains("{id}") || rule == Role.OPERATOR) return;
            String id = endpoint.contains("/jobs/") || endpoint.contains("/dead-letters/") ? jobId : documentId;
            HttpResponse<String> response = send(call(endpoint, strangers.get(rule), id));
            assertThat(response.statusCode()).as(endpoint + " with another tenant's id: " + response.body())
                    .isEqualTo(404);
        });

        assertThat(counts()).isEqualTo(before);
        assertThat(get("/api/v1/documents/" + documentId, owner).body()).isEqualTo(ownerDocument);
        assertThat(get("/api/v1/jobs/" + jobId, owner).body()).isEqualTo(ownerJob);
    }

    @Test
    void the_consoles_files_are_served_without_a_token_under_a_strict_content_security_policy() {
        RULES.forEach((endpoint, rule) -> {
            if (rule != Role.ANONYMOUS) return;
            HttpResponse<String> response = send(call(endpoint, null, "unused"));
            assertThat(response.statusCode()).as(endpoint).isEqualTo(endpoint.endsWith("/console") ? 302 : 200);
            assertThat(response.headers().firstValue("Content-Security-Policy")).as(endpoint).hasValueSatisfying(csp ->
                    assertThat(csp).contains("default-src 'none'", "script-src 'self'", "style-src 'self'",
                            "connect-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe"));
        });
        assertThat(send(call("GET /console/", null, "unused")).body()).contains("<script type=\"module\" src=\"js/main.js\">");
    }

    /** "GET /console/..." for each file the api jar serves under /console/, and the console's two entry paths. */
    private static TreeSet<String> consoleFiles() {
        TreeSet<String> files = new TreeSet<>(List.of("GET /console", "GET /console/"));
        try {
            for (Resource resource : new PathMatchingResourcePatternResolver().getResources("classpath:/static/console/**/*.*")) {
                String url = resource.getURL().toString();
                files.add("GET /console/" + url.substring(url.indexOf("/static/console/") + "/static/console/".length()));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return files;
    }

    /** One request to an endpoint, its path variables filled in, with a body its media type accepts. */
    private HttpRequest call(String endpoint, String token, String id) {
        String method = endpoint.substring(0, endpoint.indexOf(' '));
        String path = endpoint.substring(endpoint.indexOf(' ') + 1).replace("{id}", id)
                .replace("{collection}", "docs").replace("{version}", "none@1").replace("{tier}", "free")
                .replace("{subject}", "someone").replace("{tenant}", "some-tenant").replace("{messageId}", id)
                .replace("{provider}", "openai").replace("{model}", "gpt-4o-mini")
                .replace("{type}", "export");
        if (path.equals("/api/v1/search")) path += "?q=anything";
        HttpRequest.Builder request = request(path, token).header("Idempotency-Key", UUID.randomUUID().toString());
        if (path.endsWith("/events")) request.header("Accept", "text/event-stream");
        if (method.equals("GET")) return request.GET().build();
        if (method.equals("DELETE")) return request.DELETE().build();
        if (path.endsWith("/content") || path.equals("/api/v1/documents")) {
            MultipartBody body = new MultipartBody().file("file", "x.txt", "text/plain", utf8("replacement text"));
            return request.header("Content-Type", body.contentType())
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build();
        }
        String json = path.contains("/tiers/") ? "{\"userPerWindow\":1,\"tenantPerWindow\":1}"
                : path.contains("/budgets/") ? "{\"tokens\":1}"
                : path.contains("/concurrency") ? "{\"maxRunning\":1}"
                : path.endsWith("/reingest") && !path.contains("/documents/") ? "{\"collection\":\"docs\"}"
                : path.contains("search-settings") ? "{\"halfLife\":\"P30D\"}" : "{}";
        return request.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build();
    }

    /** Everything a wrongly admitted call could write. */
    private Map<String, Integer> counts() {
        Map<String, Integer> counts = new TreeMap<>(rowCounts());
        for (String table : new String[]{"dead_letter_jobs", "collection_settings", "reindexes", "rate_limit_tiers",
                "budget_raises", "tenant_embedding_versions", "conversations", "conversation_messages",
                "language_models", "job_type_limits"}) {
            counts.put(table, jdbc.queryForObject("select count(*) from " + table, Integer.class));
        }
        counts.put("enabled language models or changed configurations", jdbc.queryForObject(
                "select count(*) filter (where enabled) + count(*) filter (where config <> '{}') from language_models",
                Integer.class));
        counts.put("queued or cancelled jobs", jdbc.queryForObject(
                "select count(*) from jobs where status in ('QUEUED', 'CANCELLED', 'CANCEL_REQUESTED')", Integer.class));
        return counts;
    }
}
