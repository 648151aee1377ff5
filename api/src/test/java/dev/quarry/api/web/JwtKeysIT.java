package dev.quarry.api.web;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.quarry.api.ApiApplication;
import dev.quarry.api.ApiIntegrationTest;
import dev.quarry.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Key rotation and an identity provider: HS256 tokens verify with the current or the previous secret, and
 * RS256 tokens with the keys of a JWKS that a real local HTTP server serves, as an identity provider would.
 */
@SpringBootTest(classes = ApiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"quarry.jwt.secret=" + TestTokens.SECRET, "quarry.jwt.previous-secret=" + JwtKeysIT.PREVIOUS,
                ApiIntegrationTest.NO_RATE_LIMITS})
@DirtiesContext
class JwtKeysIT extends ApiIntegrationTest {
    static final String PREVIOUS = "the-secret-being-rotated-out-0123456789abcdef";
    private static final RSAKey PROVIDER_KEY = rsa("provider-key-1");
    private static final AtomicInteger JWKS_FETCHES = new AtomicInteger();
    private static final HttpServer IDENTITY_PROVIDER = jwksServer(new JWKSet(PROVIDER_KEY.toPublicJWK()));

    @DynamicPropertySource
    static void jwks(DynamicPropertyRegistry registry) {
        registry.add("quarry.jwt.jwks-url",
                () -> "http://localhost:" + IDENTITY_PROVIDER.getAddress().getPort() + "/.well-known/jwks.json");
    }

    @AfterAll
    static void stopProvider() {
        IDENTITY_PROVIDER.stop(0);
    }

    @Test
    void the_current_and_the_previous_secret_verify_and_any_other_does_not() {
        String current = TestTokens.forTenant("acme");
        String previous = TestTokens.mint(PREVIOUS, "user-acme", "acme", List.of(), Instant.now().plusSeconds(600));
        String other = TestTokens.mint("some-other-secret-0123456789abcdefghijklmnop", "user-acme", "acme", List.of(),
                Instant.now().plusSeconds(600));

        assertThat(get("/api/v1/documents", current).statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/documents", previous).statusCode()).isEqualTo(200);
        assertProblem(get("/api/v1/documents", other), 401, "unauthorized");
    }

    @Test
    void an_expired_token_is_refused_whichever_secret_signed_it() {
        String expired = TestTokens.mint(PREVIOUS, "user-acme", "acme", List.of(), Instant.now().minusSeconds(600));

        assertThat(assertProblem(get("/api/v1/documents", expired), 401, "unauthorized").path("detail").asText())
                .contains("expired");
    }

    @Test
    void rs256_tokens_verify_with_the_identity_providers_jwks() {
        String fromProvider = rs256(PROVIDER_KEY, "acme");
        String selfMade = rs256(rsa("provider-key-1"), "acme"); // the provider's key id, another key
        String noTenant = rs256(PROVIDER_KEY, null);

        assertThat(get("/api/v1/documents", fromProvider).statusCode()).isEqualTo(200);
        assertThat(JWKS_FETCHES.get()).isPositive();
        assertProblem(get("/api/v1/documents", selfMade), 401, "unauthorized");
        assertProblem(get("/api/v1/documents", noTenant), 401, "unauthorized");
    }

    @Test
    void an_unsigned_token_is_refused() {
        String header = b64("{\"alg\":\"none\"}");
        String payload = b64("{\"sub\":\"x\",\"tenant\":\"acme\",\"exp\":" + (Instant.now().getEpochSecond() + 600) + "}");

        assertProblem(get("/api/v1/documents", header + "." + payload + "."), 401, "unauthorized");
    }

    private static String rs256(RSAKey key, String tenant) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject("idp-user")
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(10))))
                .claim("roles", List.of());
        if (tenant != null) claims.claim("tenant", tenant);
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                    claims.build());
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey rsa(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpServer jwksServer(JWKSet keys) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
            byte[] body = keys.toString().getBytes(StandardCharsets.UTF_8);
            server.createContext("/.well-known/jwks.json", exchange -> {
                JWKS_FETCHES.incrementAndGet();
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String b64(String json) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
