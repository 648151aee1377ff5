package dev.quarry.api.web;

import dev.quarry.api.ApiApplication;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.embedding.EmbeddingVersion;
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
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * every endpoint keyed by anything a tenant owns (an id, a tenant, a collection, a subject, a version:
 * {@link Key}) with another tenant's key of that kind (404 or 403, nothing written, the owner's data unchanged).
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"quarry.jwt.secret=" + TestTokens.SECRET,
                // On, so that the rate-limit endpoints exist; with buckets this suite never empties.
                "quarry.rate-limit.enabled=true", "quarry.rate-limit.ip-per-window=1000000",
                "quarry.rate-limit.tiers.free.user=1000000", "quarry.rate-limit.tiers.free.tenant=1000000"})
class EndpointAccessIT extends ApiIntegrationTest {
    /** ANONYMOUS: no token at all; only the console's static files (they hold no data). */
    enum Role { ANONYMOUS, USER, TENANT_ADMIN, OPERATOR }

    /** The least role an endpoint needs, and what tenant-owned things it is keyed by (none for console files). */
    record Rule(Role role, List<Key> keys) {
    }

    private static Rule rule(Role role, Key... keys) {
        return new Rule(role, List.of(keys));
    }

    private static final Map<String, Rule> RULES = Map.ofEntries(
            entry("GET /console", rule(Role.ANONYMOUS)),
            entry("GET /console/", rule(Role.ANONYMOUS)),
            entry("GET /console/index.html", rule(Role.ANONYMOUS)),
            entry("GET /console/console.css", rule(Role.ANONYMOUS)),
            entry("GET /console/chat.css", rule(Role.ANONYMOUS)),
            entry("GET /console/js/api.js", rule(Role.ANONYMOUS)),
            entry("GET /console/js/dom.js", rule(Role.ANONYMOUS)),
            entry("GET /console/js/main.js", rule(Role.ANONYMOUS)),
            entry("GET /console/js/problems.js", rule(Role.ANONYMOUS)),
            entry("GET /console/js/session.js", rule(Role.ANONYMOUS)),
            entry("GET /console/js/sse.js", rule(Role.ANONYMOUS)),
            entry("GET /console/js/screens/chat.js", rule(Role.ANONYMOUS)),
            entry("GET /console/js/screens/dead-letters.js", rule(Role.ANONYMOUS)),
            entry("GET /console/js/screens/index.js", rule(Role.ANONYMOUS)),
            entry("GET /console/js/screens/jobs.js", rule(Role.ANONYMOUS)),
            entry("GET /console/js/screens/search.js", rule(Role.ANONYMOUS)),
            entry("GET /console/js/screens/signin.js", rule(Role.ANONYMOUS)),
            entry("GET /console/js/screens/upload.js", rule(Role.ANONYMOUS)),
            entry("GET /console/analytics.css", rule(Role.ANONYMOUS)),
            entry("GET /console/js/charts.js", rule(Role.ANONYMOUS)),
            entry("GET /console/js/screens/analytics.js", rule(Role.ANONYMOUS)),
            entry("GET /api/v1/jobs", rule(Role.USER, Key.NONE)),
            entry("GET /api/v1/documents", rule(Role.USER, Key.NONE)),
            entry("POST /api/v1/documents", rule(Role.USER, Key.NONE)),
            entry("GET /api/v1/documents/{id}", rule(Role.USER, Key.DOCUMENT)),
            entry("PUT /api/v1/documents/{id}/content", rule(Role.USER, Key.DOCUMENT)),
            entry("POST /api/v1/documents/{id}/reingest", rule(Role.USER, Key.DOCUMENT)),
            entry("POST /api/v1/documents/reingest", rule(Role.USER, Key.BODY_DOCUMENTS, Key.COLLECTION)),
            entry("DELETE /api/v1/documents/{id}", rule(Role.USER, Key.DOCUMENT)),
            entry("POST /api/v1/documents/delete", rule(Role.USER, Key.BODY_DOCUMENTS, Key.COLLECTION)),
            entry("POST /api/v1/exports", rule(Role.USER, Key.BODY_DOCUMENTS, Key.COLLECTION)),
            entry("GET /api/v1/exports/{id}", rule(Role.USER, Key.EXPORT)),
            entry("GET /api/v1/exports/{id}/file", rule(Role.USER, Key.EXPORT)),
            entry("POST /api/v1/embeddings/batches", rule(Role.USER, Key.NONE)),
            entry("GET /api/v1/embeddings/batches/{id}", rule(Role.USER, Key.JOB)),
            entry("GET /api/v1/embeddings/batches/{id}/results", rule(Role.USER, Key.JOB)),
            entry("GET /api/v1/admin/audit", rule(Role.TENANT_ADMIN, Key.TENANT)),
            entry("GET /api/v1/admin/audit/verify", rule(Role.OPERATOR, Key.NONE)),
            entry("GET /api/v1/admin/retention/dry-run", rule(Role.TENANT_ADMIN, Key.TENANT)),
            entry("GET /api/v1/admin/retention/policy", rule(Role.TENANT_ADMIN, Key.TENANT, Key.COLLECTION)),
            entry("PUT /api/v1/admin/retention/policy", rule(Role.TENANT_ADMIN, Key.TENANT, Key.COLLECTION)),
            entry("POST /api/v1/admin/erasures", rule(Role.TENANT_ADMIN, Key.TENANT, Key.SUBJECT)),
            entry("GET /api/v1/admin/erasures/{id}", rule(Role.TENANT_ADMIN, Key.ERASURE, Key.TENANT)),
            entry("POST /api/v1/admin/subject-access", rule(Role.TENANT_ADMIN, Key.TENANT, Key.SUBJECT)),
            entry("GET /api/v1/jobs/{id}", rule(Role.USER, Key.JOB)),
            entry("GET /api/v1/jobs/{id}/events", rule(Role.USER, Key.JOB)),
            entry("POST /api/v1/jobs/{id}/cancel", rule(Role.USER, Key.JOB)),
            entry("GET /api/v1/search", rule(Role.USER, Key.COLLECTION)),
            entry("GET /api/v1/budgets", rule(Role.USER, Key.NONE)),
            entry("GET /api/v1/collections/{collection}/search-settings", rule(Role.USER, Key.COLLECTION)),
            entry("PUT /api/v1/collections/{collection}/search-settings", rule(Role.TENANT_ADMIN, Key.COLLECTION)),
            entry("GET /api/v1/admin/usage", rule(Role.TENANT_ADMIN, Key.TENANT)),
            entry("GET /api/v1/admin/dead-letters", rule(Role.TENANT_ADMIN, Key.TENANT)),
            entry("GET /api/v1/admin/dead-letters/{id}", rule(Role.TENANT_ADMIN, Key.DEAD_LETTER)),
            entry("POST /api/v1/admin/dead-letters/{id}/requeue", rule(Role.TENANT_ADMIN, Key.DEAD_LETTER)),
            entry("POST /api/v1/admin/dead-letters/requeue", rule(Role.TENANT_ADMIN, Key.TENANT)),
            entry("DELETE /api/v1/admin/dead-letters/{id}", rule(Role.TENANT_ADMIN, Key.DEAD_LETTER)),
            entry("GET /api/v1/admin/embedding-versions", rule(Role.TENANT_ADMIN, Key.NONE)),
            entry("POST /api/v1/admin/embedding-versions/{version}/activate", rule(Role.TENANT_ADMIN, Key.EMBEDDING_VERSION)),
            entry("DELETE /api/v1/admin/embedding-versions/{version}", rule(Role.TENANT_ADMIN, Key.EMBEDDING_VERSION)),
            entry("POST /api/v1/admin/reindex", rule(Role.TENANT_ADMIN, Key.NONE)),
            entry("GET /api/v1/admin/rate-limits/tiers", rule(Role.TENANT_ADMIN, Key.NONE)),
            entry("PUT /api/v1/admin/rate-limits/tiers/{tier}", rule(Role.OPERATOR, Key.PLATFORM)),
            entry("GET /api/v1/admin/rate-limits/users/{subject}", rule(Role.TENANT_ADMIN, Key.SUBJECT, Key.TENANT)),
            entry("DELETE /api/v1/admin/rate-limits/users/{subject}", rule(Role.TENANT_ADMIN, Key.SUBJECT, Key.TENANT)),
            entry("PUT /api/v1/admin/budgets/tenants/{tenant}/today", rule(Role.OPERATOR, Key.PLATFORM)),
            entry("PUT /api/v1/admin/budgets/users/{subject}/today", rule(Role.TENANT_ADMIN, Key.SUBJECT, Key.TENANT)),
            entry("POST /api/v1/conversations", rule(Role.USER, Key.NONE)),
            entry("GET /api/v1/conversations", rule(Role.USER, Key.NONE)),
            entry("GET /api/v1/conversations/{id}", rule(Role.USER, Key.CONVERSATION)),
            entry("PATCH /api/v1/conversations/{id}", rule(Role.USER, Key.CONVERSATION)),
            entry("DELETE /api/v1/conversations/{id}", rule(Role.USER, Key.CONVERSATION)),
            entry("POST /api/v1/conversations/{id}/restore", rule(Role.USER, Key.CONVERSATION)),
            entry("POST /api/v1/conversations/{id}/messages", rule(Role.USER, Key.CONVERSATION)),
            entry("GET /api/v1/conversations/{id}/messages", rule(Role.USER, Key.CONVERSATION)),
            entry("GET /api/v1/conversations/{id}/messages/{messageId}", rule(Role.USER, Key.MESSAGE)),
            entry("POST /api/v1/conversations/{id}/chat", rule(Role.USER, Key.CONVERSATION)),
            entry("GET /api/v1/messages/search", rule(Role.USER, Key.NONE)),
            entry("POST /api/v1/rag/augment", rule(Role.USER, Key.BODY_DOCUMENTS, Key.COLLECTION)),
            entry("GET /api/v1/admin/models", rule(Role.TENANT_ADMIN, Key.NONE)),
            entry("PUT /api/v1/admin/models/{provider}/{model}", rule(Role.OPERATOR, Key.PLATFORM)),
            entry("POST /api/v1/admin/models/{provider}/{model}/disable", rule(Role.OPERATOR, Key.PLATFORM)),
            entry("GET /api/v1/admin/models/tenant-default", rule(Role.TENANT_ADMIN, Key.TENANT)),
            entry("PUT /api/v1/admin/models/tenant-default", rule(Role.TENANT_ADMIN, Key.TENANT)),
            entry("DELETE /api/v1/admin/models/tenant-default", rule(Role.TENANT_ADMIN, Key.TENANT)),
            entry("GET /api/v1/admin/extensions", rule(Role.TENANT_ADMIN, Key.NONE)),
            entry("GET /api/v1/admin/job-types", rule(Role.TENANT_ADMIN, Key.NONE)),
            entry("GET /api/v1/admin/analytics/overview", rule(Role.TENANT_ADMIN, Key.TENANT)),
            entry("GET /api/v1/admin/analytics/users", rule(Role.TENANT_ADMIN, Key.TENANT)),
            entry("GET /api/v1/admin/analytics/conversations", rule(Role.TENANT_ADMIN, Key.TENANT)),
            entry("GET /api/v1/admin/analytics/messages", rule(Role.TENANT_ADMIN, Key.TENANT)),
            entry("GET /api/v1/admin/analytics/tokens", rule(Role.TENANT_ADMIN, Key.TENANT)),
            entry("GET /api/v1/admin/analytics/api-usage", rule(Role.TENANT_ADMIN, Key.TENANT)),
            entry("GET /api/v1/admin/analytics/daily-stats", rule(Role.TENANT_ADMIN, Key.TENANT)),
            entry("PUT /api/v1/admin/job-types/{type}/concurrency", rule(Role.OPERATOR, Key.PLATFORM)),
            entry("DELETE /api/v1/admin/job-types/{type}/concurrency", rule(Role.OPERATOR, Key.PLATFORM)));

    /**
     * What tenant-owned thing an endpoint is keyed by (besides the caller's own tenant): the suite calls it with
     * another tenant's key of that kind. An endpoint may have several; every API endpoint has at least one
     * ({@link #NONE} when nothing), so that a new endpoint must say.
     */
    enum Key {
        /** nothing another tenant owns: lists and creations in the caller's tenant, platform-wide reads */
        NONE,
        /** operator-only writes of platform-wide things (tiers, models, job types, a tenant's budget) */
        PLATFORM,
        /** path ids of another tenant's rows: 404 */
        DOCUMENT, JOB, DEAD_LETTER, CONVERSATION, MESSAGE, EXPORT, ERASURE,
        /** {@code ?tenant=} or a body's {@code "tenant"} naming another tenant: 403 for a tenant admin */
        TENANT,
        /** a body listing another tenant's documents (or naming its thread): 404/422, or nothing matched */
        BODY_DOCUMENTS,
        /**
         * names that every tenant has its own of (a collection, a subject, an embedding version): the call acts on
         * the caller's tenant's, and the other tenant's stays as it was
         */
        COLLECTION, SUBJECT, EMBEDDING_VERSION
    }

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;
    @Autowired
    EmbeddingVersion embeddingVersion;

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
        RULES.forEach((endpoint, rule) -> {
            if (!endpoint.contains(" /api/")) return;
            assertThat(rule.keys()).as(endpoint + ": an API endpoint's rule names what tenant-owned thing it is keyed "
                    + "by, Key.NONE if nothing").isNotEmpty();
        });
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
                if (role.ordinal() >= rule.role().ordinal()) break;
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

    /**
     * Every endpoint keyed by something a tenant owns, called by another tenant's user or admin (whichever its rule
     * needs) with the owner's key of each kind ({@link Key}): ids are not found, naming the owner's tenant is
     * forbidden, a body of the owner's documents finds none of them, and names (a collection, a subject, a
     * version) act on the caller's own tenant. No answer holds the owner's data, nothing is written by the refused
     * calls, and the owner's data reads the same afterwards.
     */
    @Test
    void another_tenants_keys_of_every_kind_are_refused_and_its_data_is_unchanged() {
        Owner owner = Owner.create(this);
        String strangerTenant = "stranger-" + UUID.randomUUID();
        Map<Role, String> strangers = Map.of(Role.USER, TestTokens.forTenant(strangerTenant),
                Role.TENANT_ADMIN, TestTokens.forTenant(strangerTenant, "tenant-admin"));
        Map<String, String> ownerViews = owner.views(this);
        Map<String, Integer> before = ownerCounts(owner.tenant());
        List<String> called = new ArrayList<>();

        // First what must be refused outright: nothing at all is written.
        RULES.forEach((endpoint, rule) -> {
            if (rule.role() == Role.OPERATOR) return; // platform-wide by design: operators see every tenant
            for (Key key : rule.keys()) {
                if (key == Key.NONE || key == Key.PLATFORM || NAMES.contains(key)) continue;
                HttpResponse<String> response = send(owner.call(this, endpoint, key, strangers.get(rule.role())));
                assertThat(response.statusCode()).as(endpoint + " with another tenant's " + key + ": " + response.body())
                        .isIn(owner.expected(endpoint, key));
                if (response.statusCode() == 202) {
                    assertThat(json(response).path("matched").asInt()).as(endpoint + ": " + response.body()).isZero();
                }
                owner.assertNothingOf(endpoint, response);
                called.add(endpoint + " " + key);
            }
        });
        assertThat(ownerCounts(owner.tenant())).as("refused calls write nothing").isEqualTo(before);

        // Then names every tenant has its own of: the stranger's calls act on its own tenant.
        RULES.forEach((endpoint, rule) -> {
            if (rule.role() == Role.OPERATOR) return;
            for (Key key : rule.keys()) {
                if (!NAMES.contains(key)) continue;
                HttpResponse<String> response = send(owner.call(this, endpoint, key, strangers.get(rule.role())));
                assertThat(response.statusCode()).as(endpoint + " with another tenant's " + key + ": " + response.body())
                        .isLessThan(500);
                owner.assertNothingOf(endpoint, response);
                called.add(endpoint + " " + key);
            }
        });

        assertThat(owner.views(this)).as("the owner's data, read by the owner").isEqualTo(ownerViews);
        assertThat(called).hasSizeGreaterThan(40);
    }

    private static final Set<Key> NAMES = EnumSet.of(Key.COLLECTION, Key.SUBJECT, Key.EMBEDDING_VERSION);

    /**
     * {@link #counts()}, but of the idempotency records only the owner's: a bulk re-ingest that matched none of
     * the owner's documents is still a 202 that the stranger's retry must get again, recorded in its own tenant.
     */
    private Map<String, Integer> ownerCounts(String ownerTenant) {
        Map<String, Integer> counts = counts();
        counts.put("idempotency_keys", jdbc.queryForObject("select count(*) from idempotency_keys where tenant_id = ?",
                Integer.class, ownerTenant));
        return counts;
    }

    /** A tenant with one of everything a key can name, and the calls that name them. */
    private record Owner(String tenant, String user, String admin, String document, String job, String conversation,
                         String message, String export, String erasure, String version) {
        static final String COLLECTION = "owner-docs";
        static final String SUBJECT = "owner-subject";
        /** Text only the owner's data holds: no answer to a stranger may contain it. */
        static final List<String> MARKERS = List.of("owner-title-marker", "owner-thread-marker", "owner-message-marker",
                "P13D");

        static Owner create(EndpointAccessIT it) {
            String tenant = "owner-" + UUID.randomUUID();
            String user = TestTokens.forSubject(SUBJECT, tenant, List.of(), Map.of());
            String admin = TestTokens.forSubject("owner-admin", tenant, List.of("tenant-admin"), Map.of());
            HttpResponse<String> uploaded = it.upload(user, UUID.randomUUID().toString(), new MultipartBody()
                    .file("file", "owner.txt", "text/plain", utf8("the owner's private text"))
                    .json("metadata", "{\"title\": \"owner-title-marker\", \"collection\": \"" + COLLECTION + "\"}"));
            String conversation = id(it.send(it.post("/api/v1/conversations", user,
                    "{\"title\": \"owner-thread-marker\", \"collections\": [\"" + COLLECTION + "\"]}")), "id");
            String message = id(it.send(it.post("/api/v1/conversations/" + conversation + "/messages", user,
                    "{\"role\": \"user\", \"content\": \"owner-message-marker\"}")), "id");
            String export = id(it.send(it.post("/api/v1/exports", user,
                    "{\"format\": \"json\", \"scope\": {\"collection\": \"" + COLLECTION + "\"}}")), "exportId");
            String erasure = id(it.send(it.post("/api/v1/admin/erasures", admin, "{\"subject\": \"nobody\"}")), "jobId");
            assertThat(it.send(it.put("/api/v1/collections/" + COLLECTION + "/search-settings", admin,
                    "{\"halfLife\": \"P13D\"}")).statusCode()).isEqualTo(200);
            return new Owner(tenant, user, admin, id(uploaded, "documentId"), id(uploaded, "jobId"), conversation, message,
                    export, erasure, it.embeddingVersion.tag());
        }

        private static String id(HttpResponse<String> response, String field) {
            assertThat(response.statusCode()).as(response.body()).isBetween(200, 202);
            return json(response).path(field).asText();
        }

        /** What the owner reads of its data, by path. */
        Map<String, String> views(EndpointAccessIT it) {
            Map<String, String> views = new TreeMap<>();
            for (String path : List.of("/api/v1/documents/" + document, "/api/v1/jobs/" + job,
                    "/api/v1/conversations/" + conversation, "/api/v1/conversations/" + conversation + "/messages",
                    "/api/v1/exports/" + export, "/api/v1/collections/" + COLLECTION + "/search-settings",
                    "/api/v1/budgets")) {
                views.put(path, it.get(path, user).body());
            }
            for (String path : List.of("/api/v1/admin/erasures/" + erasure, "/api/v1/admin/embedding-versions",
                    "/api/v1/admin/retention/policy", "/api/v1/admin/dead-letters")) {
                views.put(path, it.get(path, admin).body());
            }
            return views;
        }

        /** The statuses a stranger may get for {@code endpoint} called with the owner's {@code key}. */
        List<Integer> expected(String endpoint, Key key) {
            if (key == Key.TENANT) return List.of(403, 404);
            if (key != Key.BODY_DOCUMENTS) return List.of(404);
            // A bulk re-ingest matches none of them (202, matched 0); an export refuses unknown ids (422).
            return endpoint.endsWith("/documents/reingest") ? List.of(202) : List.of(404, 422);
        }

        HttpRequest call(EndpointAccessIT it, String endpoint, Key key, String token) {
            String method = endpoint.substring(0, endpoint.indexOf(' '));
            String path = endpoint.substring(endpoint.indexOf(' ') + 1);
            String fresh = UUID.randomUUID().toString();
            path = path.replace("{messageId}", key == Key.MESSAGE ? message : fresh)
                    .replace("{id}", switch (key) {
                        case DOCUMENT -> document;
                        case JOB, DEAD_LETTER -> job;
                        case CONVERSATION, MESSAGE -> conversation;
                        case EXPORT -> export;
                        case ERASURE, TENANT -> erasure;
                        default -> fresh;
                    })
                    .replace("{collection}", COLLECTION).replace("{subject}", SUBJECT).replace("{version}", version);
            String query = key == Key.TENANT && !method.equals("POST") ? "?tenant=" + tenant
                    : key == Key.COLLECTION && endpoint.contains("/retention/") ? "?collection=" + COLLECTION
                    : path.equals("/api/v1/search") ? "?q=owner&collection=" + COLLECTION : "";
            String body = switch (key) {
                case TENANT -> "{\"subject\": \"" + SUBJECT + "\", \"tenant\": \"" + tenant + "\", \"documents\": \"P1D\", \"tokens\": 1}";
                case SUBJECT -> "{\"subject\": \"" + SUBJECT + "\", \"tokens\": 1}";
                case BODY_DOCUMENTS -> path.endsWith("/exports")
                        ? "{\"format\": \"json\", \"scope\": {\"documentIds\": [\"" + document + "\"]}}"
                        : path.endsWith("/augment") ? "{\"query\": \"owner\", \"conversationId\": \"" + conversation + "\"}"
                        : "{\"documentIds\": [\"" + document + "\"]}";
                case COLLECTION -> path.endsWith("/exports")
                        ? "{\"format\": \"json\", \"scope\": {\"collection\": \"" + COLLECTION + "\"}}"
                        : path.endsWith("/augment") ? "{\"query\": \"owner\", \"collections\": [\"" + COLLECTION + "\"]}"
                        : path.contains("search-settings") ? "{\"halfLife\": \"P1D\"}"
                        : path.contains("/retention/") ? "{\"documents\": \"P1D\"}"
                        : "{\"collection\": \"" + COLLECTION + "\"}";
                case CONVERSATION -> path.endsWith("/chat") || path.endsWith("/messages")
                        ? "{\"role\": \"user\", \"content\": \"hello\"}" : "{\"title\": \"renamed\"}";
                default -> "{}";
            };
            HttpRequest.Builder request = it.request(path + query, token).header("Idempotency-Key", fresh);
            if (path.endsWith("/events")) request.header("Accept", "text/event-stream");
            if (method.equals("GET")) return request.GET().build();
            if (method.equals("DELETE")) return request.DELETE().build();
            if (path.endsWith("/content")) {
                MultipartBody file = new MultipartBody().file("file", "x.txt", "text/plain", utf8("replacement text"));
                return request.header("Content-Type", file.contentType())
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(file.bytes())).build();
            }
            return request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
        }

        void assertNothingOf(String endpoint, HttpResponse<String> response) {
            for (String marker : MARKERS) {
                assertThat(response.body()).as(endpoint + " answered a stranger with the owner's data").doesNotContain(marker);
            }
        }
    }

    private HttpRequest post(String path, String token, String json) {
        return request(path, token).header("Idempotency-Key", UUID.randomUUID().toString())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private HttpRequest put(String path, String token, String json) {
        return request(path, token).header("Idempotency-Key", UUID.randomUUID().toString())
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    @Test
    void the_consoles_files_are_served_without_a_token_under_a_strict_content_security_policy() {
        RULES.forEach((endpoint, rule) -> {
            if (rule.role() != Role.ANONYMOUS) return;
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
