package dev.quarry.testing;

import org.springframework.test.context.DynamicPropertyRegistry;

import java.util.Map;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Where integration tests find PostgreSQL+pgvector and Redis: Testcontainers when a Docker engine
 * answers, otherwise the local services that {@code bin/quarry services} runs (override with
 * QUARRY_TEST_DB_URL, QUARRY_TEST_DB_USER, QUARRY_TEST_DB_PASSWORD, QUARRY_TEST_REDIS_HOST/PORT).
 */
public final class TestServices {
    private static volatile Endpoints endpoints;

    private TestServices() {
    }

    public record Endpoints(String jdbcUrl, String user, String password, String redisHost, int redisPort) {
    }

    public static Endpoints endpoints() {
        if (endpoints == null) {
            synchronized (TestServices.class) {
                if (endpoints == null) endpoints = dockerAvailable() ? containers() : local();
            }
        }
        return endpoints;
    }

    public static void register(DynamicPropertyRegistry registry) {
        springProperties().forEach((name, value) -> registry.add(name, () -> value));
    }

    /** The same wiring for an application started by hand in a test (e.g. a worker beside the API). */
    public static Map<String, String> springProperties() {
        Endpoints e = endpoints();
        return Map.of(
                "spring.datasource.url", e.jdbcUrl(),
                "spring.datasource.username", e.user(),
                "spring.datasource.password", e.password(),
                "spring.data.redis.host", e.redisHost(),
                "spring.data.redis.port", Integer.toString(e.redisPort()),
                // A suite caches several application contexts; small pools keep them within max_connections.
                "spring.datasource.hikari.maximum-pool-size", "5",
                // ...and a context the running test class does not use gives its connections back.
                "spring.datasource.hikari.minimum-idle", "1",
                "spring.datasource.hikari.idle-timeout", "20000",
                // Temporary while two migrations land from parallel work on the shared local test database.
                "spring.flyway.out-of-order", "true");
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }

    private static Endpoints local() {
        return new Endpoints(
                env("QUARRY_TEST_DB_URL", "jdbc:postgresql://localhost:5432/quarry_test"),
                env("QUARRY_TEST_DB_USER", "quarry"),
                env("QUARRY_TEST_DB_PASSWORD", "quarry"),
                env("QUARRY_TEST_REDIS_HOST", "localhost"),
                Integer.parseInt(env("QUARRY_TEST_REDIS_PORT", "6379")));
    }

    @SuppressWarnings("resource") // containers live as long as the test JVM; Ryuk removes them
    private static Endpoints containers() {
        var postgres = new PostgreSQLContainer<>(DockerImageName.parse("pgvector/pgvector:pg16")
                .asCompatibleSubstituteFor("postgres"));
        postgres.start();
        var redis = new GenericContainer<>(DockerImageName.parse("redis:7-alpine")).withExposedPorts(6379);
        redis.start();
        return new Endpoints(postgres.getJdbcUrl(), postgres.getUsername(), postgres.getPassword(),
                redis.getHost(), redis.getMappedPort(6379));
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
