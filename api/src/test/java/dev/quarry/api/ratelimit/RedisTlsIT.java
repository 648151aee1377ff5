package dev.quarry.api.ratelimit;

import dev.quarry.api.ApiApplication;
import dev.quarry.testing.TestServices;
import dev.quarry.testing.TestTokens;
import dev.quarry.testing.TestWorkers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Redis over TLS with a password: a real redis-server started with {@code --tls-port} and a certificate
 * made here with openssl (a CA of the test's own signs it for localhost). With that CA trusted (a Spring SSL
 * bundle), the rate-limit buckets and Spring's connections (commands and pub/sub) work over TLS; with
 * another CA the server is refused, and the limits fail open.
 */
class RedisTlsIT {
    private static final String PASSWORD = "tls-test-password-0123456789";
    private static Path dir;
    private static Process redis;
    private static int tlsPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ConfigurableApplicationContext api;

    @BeforeAll
    static void startRedisWithTls() throws Exception {
        dir = Files.createTempDirectory("quarry-redis-tls-");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=quarry-test-ca",
                "-keyout", "ca.key", "-out", "ca.crt");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=another-ca",
                "-keyout", "other-ca.key", "-out", "other-ca.crt");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "redis.key",
                "-out", "redis.csr");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
        openssl("x509", "-req", "-in", "redis.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "1", "-extfile", "san.ext", "-out", "redis.crt");
        tlsPort = TestWorkers.freePort();
        redis = new ProcessBuilder(System.getenv().getOrDefault("QUARRY_TEST_REDIS_SERVER", "redis-server"),
                "--port", "0", "--tls-port", Integer.toString(tlsPort), "--bind", "127.0.0.1",
                "--tls-cert-file", "redis.crt", "--tls-key-file", "redis.key", "--tls-ca-cert-file", "ca.crt",
                "--tls-auth-clients", "no", "--requirepass", PASSWORD, "--save", "", "--appendonly", "no",
                "--dir", dir.toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            if (!redis.isAlive()) throw new IllegalStateException("redis-server exited: " + Files.readString(dir.resolve("log")));
            try (Socket ignored = new Socket("127.0.0.1", tlsPort)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    @AfterAll
    static void stopRedis() throws InterruptedException {
        if (redis != null) {
            redis.destroy();
            if (!redis.waitFor(10, TimeUnit.SECONDS)) redis.destroyForcibly();
        }
        if (dir != null) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // a temporary directory: the OS cleans it up eventually
            }
        }
    }

    @AfterEach
    void stopApi() {
        if (api != null) api.close();
    }

    @Test
    void with_the_servers_ca_trusted_buckets_commands_and_pub_sub_work_over_tls() throws Exception {
        start("ca.crt");
        // The buckets: a request drew from Redis over TLS, and the admin endpoint reads them back there.
        String subject = "tls-user-" + UUID.randomUUID();
        String tenant = "tls-" + UUID.randomUUID();
        await().atMost(Duration.ofSeconds(60)).until(() ->
                get("/api/v1/documents", TestTokens.forSubject(subject, tenant, List.of(), Map.of())).statusCode() == 200
                        && buckets().equals("redis"));
        HttpResponse<String> state = get("/api/v1/admin/rate-limits/users/" + subject,
                TestTokens.forTenant(tenant, "tenant-admin"));
        assertThat(state.statusCode()).as(state.body()).isEqualTo(200);
        assertThat(state.body()).contains("\"scope\":\"user\"");
        // Spring's connection factory (the job events' publish and subscribe): a command, and a message.
        StringRedisTemplate redisTemplate = api.getBean(StringRedisTemplate.class);
        assertThat(redisTemplate.execute((org.springframework.data.redis.core.RedisCallback<String>) c -> c.ping()))
                .isEqualTo("PONG");
        List<String> received = new CopyOnWriteArrayList<>();
        RedisMessageListenerContainer container = new RedisMessageListenerContainer();
        container.setConnectionFactory(api.getBean(RedisConnectionFactory.class));
        container.addMessageListener((message, pattern) -> received.add(new String(message.getBody())),
                new ChannelTopic("tls-test"));
        container.afterPropertiesSet();
        container.start();
        try {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
                redisTemplate.convertAndSend("tls-test", "over tls");
                return received.contains("over tls");
            });
        } finally {
            container.stop();
            container.destroy();
        }
    }

    @Test
    void a_server_certificate_from_another_ca_is_refused_and_limits_fail_open() throws Exception {
        start("other-ca.crt");
        String token = TestTokens.forSubject("tls-user", "tls-" + UUID.randomUUID(), List.of(), Map.of());

        assertThat(get("/api/v1/documents", token).statusCode()).isEqualTo(200);
        assertThat(buckets()).isEqualTo("local");
        StringRedisTemplate redisTemplate = api.getBean(StringRedisTemplate.class);
        assertThatThrownBy(() -> redisTemplate.execute(
                (org.springframework.data.redis.core.RedisCallback<String>) c -> c.ping()))
                .hasStackTraceContaining("PKIX");
    }

    private void start(String trustedCa) {
        Map<String, String> properties = new LinkedHashMap<>(TestServices.springProperties());
        properties.putAll(Map.of("server.port", "0", "quarry.jwt.secret", TestTokens.SECRET,
                "quarry.rate-limit.enabled", "true", "quarry.rate-limit.redis-timeout", "PT2S",
                "spring.data.redis.host", "localhost", "spring.data.redis.port", Integer.toString(tlsPort),
                "spring.data.redis.password", PASSWORD, "spring.data.redis.ssl.enabled", "true",
                "spring.data.redis.ssl.bundle", "redis-tls",
                "spring.ssl.bundle.pem.redis-tls.truststore.certificate", "file:" + dir.resolve(trustedCa)));
        api = new SpringApplicationBuilder(ApiApplication.class).run(properties.entrySet().stream()
                .map(p -> "--" + p.getKey() + "=" + p.getValue()).toArray(String[]::new));
    }

    private String buckets() throws IOException {
        String body = get("/actuator/health/readiness", null).body();
        return body.contains("\"buckets\":\"redis\"") ? "redis" : body.contains("\"buckets\":\"local\"") ? "local" : body;
    }

    private HttpResponse<String> get(String path, String token) {
        int port = Integer.parseInt(api.getEnvironment().getProperty("local.server.port"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30)).GET();
        if (token != null) request.header("Authorization", "Bearer " + token);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) throw new IllegalStateException("openssl " + String.join(" ", args) + ": " + output);
    }
}
