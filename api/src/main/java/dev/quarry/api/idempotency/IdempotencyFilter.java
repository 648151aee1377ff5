package dev.quarry.api.idempotency;

import dev.quarry.api.web.ApiProblem;
import dev.quarry.api.web.JwtClaims;
import dev.quarry.api.web.ProblemKind;
import dev.quarry.conversations.ChatProperties;
import dev.quarry.embedding.batch.EmbeddingBatchProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.util.ContentCachingResponseWrapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Gives every mutating endpoint (POST, PUT, PATCH, DELETE) the Idempotency-Key semantics of
 * {@link IdempotencyKeys} when the client sends a key: the handler runs inside the key's transaction, its
 * response is stored, and a retry gets it replayed. Endpoints that must have a key (job-creating POSTs) still
 * require it themselves; their own {@link IdempotencyKeys#execute} call joins this guard instead of running
 * twice.
 * <p>
 * Only successful responses are stored: a rejected request rolls back with everything it wrote, and a
 * retry under the same key is judged afresh. Multipart requests are left to their endpoint, which
 * fingerprints the parts' content rather than bytes that carry a random boundary.
 */
@Component
class IdempotencyFilter extends OncePerRequestFilter {
    /** Request attribute marking a request whose key this filter already guards. */
    static final String GUARDED = IdempotencyFilter.class.getName() + ".guarded";
    private static final Set<String> MUTATING = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final List<String> STORED_HEADERS = List.of(HttpHeaders.LOCATION, HttpHeaders.CONTENT_TYPE,
            HttpHeaders.RETRY_AFTER);
    /** Larger bodies are uploads, which are multipart and handled by their endpoint... */
    private static final int MAX_BODY_BYTES = 1 << 20;
    /** ...or stored messages, which are kept whole: their bodies may be as large as quarry.chat.max-stored-message. */
    private static final Pattern MESSAGES = Pattern.compile("/api/v1/conversations/[^/]+/messages");
    /** ...or embedding batches, up to quarry.embedding.batch.max-request-size. */
    private static final String BATCHES = "/api/v1/embeddings/batches";

    private final IdempotencyKeys keys;
    private final HandlerExceptionResolver problems;
    private final ObjectMapper json;
    private final ObjectWriter canonicalJson;
    private final int maxMessageBody;
    private final int maxBatchBody;
    private final String batchTooLarge;

    IdempotencyFilter(IdempotencyKeys keys, @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problems,
                      ObjectMapper json, ChatProperties chat, EmbeddingBatchProperties batches) {
        this.keys = keys;
        this.maxBatchBody = batches.maxRequestBytes();
        this.batchTooLarge = batches.bodyTooLarge();
        this.maxMessageBody = (int) Math.min(Integer.MAX_VALUE - 8, chat.maxStoredMessage().toBytes());
        this.problems = problems;
        this.json = json;
        this.canonicalJson = json.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String contentType = request.getContentType();
        return !MUTATING.contains(request.getMethod())
                || request.getHeader(IdempotencyKeyHeader.NAME) == null
                || !request.getRequestURI().startsWith("/api/")
                || (contentType != null && contentType.toLowerCase().startsWith("multipart/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!(SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken token)) {
            chain.doFilter(request, response); // the security chain answers for anonymous requests
            return;
        }
        try {
            String key = IdempotencyKeyHeader.require(request.getHeader(IdempotencyKeyHeader.NAME));
            boolean message = MESSAGES.matcher(request.getRequestURI()).matches();
            boolean batch = request.getRequestURI().equals(BATCHES);
            int max = message ? maxMessageBody : batch ? maxBatchBody : MAX_BODY_BYTES;
            byte[] body = request.getInputStream().readNBytes(max + 1);
            if (body.length > max) {
                if (batch) throw new ApiProblem(ProblemKind.BATCH_TOO_LARGE, batchTooLarge);
                throw new ApiProblem(ProblemKind.PAYLOAD_TOO_LARGE, message
                        ? "a message is limited to " + max + " bytes (quarry.chat.max-stored-message)"
                        : "request bodies are limited to 1 MB");
            }
            String target = request.getQueryString() == null ? request.getRequestURI()
                    : request.getRequestURI() + "?" + request.getQueryString();
            IdempotentRequest idempotent = IdempotentRequest.of(token.getToken().getClaimAsString(JwtClaims.TENANT),
                    key, request.getMethod(), target, fingerprinted(request, body));
            write(keys.execute(idempotent, () -> handle(new BufferedBodyRequest(request, body), response, chain)),
                    response);
        } catch (ApiProblem problem) {
            problems.resolveException(request, response, null, problem);
        } catch (RejectedResponse rejected) {
            write(IdempotencyKeys.entity(rejected.response, false), response);
        }
    }

    /**
     * A JSON body is fingerprinted by its content, not its bytes: a retry that spaces or orders its fields
     * differently is the same request. Anything else, or JSON that does not parse, counts byte for byte.
     */
    private byte[] fingerprinted(HttpServletRequest request, byte[] body) {
        String type = request.getContentType();
        if (type == null || !type.toLowerCase().matches("application/([a-z.+-]*\\+)?json.*")) return body;
        try {
            return canonicalJson.writeValueAsBytes(json.readValue(body, Object.class));
        } catch (IOException notJson) {
            return body;
        }
    }

    /** Runs the handler inside the key's transaction and captures what it answered. */
    private static StoredResponse handle(BufferedBodyRequest request, HttpServletResponse response, FilterChain chain) {
        request.setAttribute(GUARDED, Boolean.TRUE);
        ContentCachingResponseWrapper captured = new ContentCachingResponseWrapper(response);
        try {
            chain.doFilter(request, captured);
        } catch (IOException | ServletException e) {
            throw new IllegalStateException(e);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String name : STORED_HEADERS) {
            String value = captured.getHeader(name);
            if (value != null) headers.put(name, value);
        }
        StoredResponse stored = new StoredResponse(captured.getStatus(), headers,
                new String(captured.getContentAsByteArray(), StandardCharsets.UTF_8));
        if (stored.status() >= 300) throw new RejectedResponse(stored); // rolls back the key with the work
        return stored;
    }

    private static void write(ResponseEntity<String> entity, HttpServletResponse response) throws IOException {
        response.setStatus(entity.getStatusCode().value());
        entity.getHeaders().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
        String body = entity.getBody();
        if (body != null && !body.isEmpty()) {
            if (response.getContentType() == null) response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A response not worth keeping under the key; thrown to roll the key's transaction back. */
    private static final class RejectedResponse extends RuntimeException {
        private final StoredResponse response;

        RejectedResponse(StoredResponse response) {
            super(null, null, false, false);
            this.response = response;
        }
    }
}
