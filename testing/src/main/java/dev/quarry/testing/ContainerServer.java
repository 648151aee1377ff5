package dev.quarry.testing;

import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

import java.time.Duration;
import java.util.Map;
import java.util.function.IntFunction;

import static org.awaitility.Awaitility.await;

/**
 * A private server in a Docker container, for where a Docker engine answers (as in {@link TestServices}).
 * Its port is bound to a fixed free host port so that the container can be stopped and started again at
 * the same address; Testcontainers' own stop removes the container, so stop/start go to Docker directly.
 */
final class ContainerServer extends PrivateServer {
    private final GenericContainer<?> container;
    private final Map<String, String> properties;

    private ContainerServer(String name, GenericContainer<?> container, int containerPort,
                            IntFunction<Map<String, String>> properties) {
        super(name);
        this.container = container.withCreateContainerCmdModifier(command -> command.getHostConfig()
                .withPortBindings(new PortBinding(Ports.Binding.bindPort(port), new ExposedPort(containerPort))));
        this.properties = properties.apply(port);
    }

    static ContainerServer startPostgres() {
        var postgres = new PostgreSQLContainer<>(DockerImageName.parse("pgvector/pgvector:pg16")
                .asCompatibleSubstituteFor("postgres")).withDatabaseName("quarry").withUsername("quarry")
                .withPassword("quarry");
        return start(new ContainerServer("pg-container", postgres, 5432, port -> Map.of(
                "spring.datasource.url", "jdbc:postgresql://localhost:" + port + "/quarry",
                "spring.datasource.username", "quarry", "spring.datasource.password", "quarry",
                "spring.datasource.hikari.maximum-pool-size", "5")));
    }

    static ContainerServer startRedis() {
        var redis = new GenericContainer<>(DockerImageName.parse("redis:7-alpine")).withExposedPorts(6379);
        return start(new ContainerServer("redis-container", redis, 6379, port -> Map.of(
                "spring.data.redis.host", "localhost", "spring.data.redis.port", Integer.toString(port))));
    }

    private static ContainerServer start(ContainerServer server) {
        try {
            server.container.start();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    @Override
    public Map<String, String> springProperties() {
        return properties;
    }

    @Override
    public synchronized void stop() {
        try {
            DockerClientFactory.instance().client().stopContainerCmd(container.getContainerId()).exec();
        } catch (NotModifiedException alreadyStopped) {
            // nothing to do
        }
    }

    @Override
    public synchronized void startAgain() {
        try {
            DockerClientFactory.instance().client().startContainerCmd(container.getContainerId()).exec();
        } catch (NotModifiedException alreadyRunning) {
            return;
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> Sockets.accepts(port));
    }

    @Override
    protected void kill() {
        container.stop();
    }
}
