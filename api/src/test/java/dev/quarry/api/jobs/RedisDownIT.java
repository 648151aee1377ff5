package dev.quarry.api.jobs;

import dev.quarry.api.QuarryStack;
import dev.quarry.testing.SseClient;
import dev.quarry.testing.Databases;
import dev.quarry.testing.PrivateServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis is down for the whole run, the API and a worker never reach it: five small uploads must finish as
 * fast as with Redis. A live publish used to run on the job's thread (and, for the queued event, on the
 * request's) and wait the client's command timeout, about nine times a job: each upload took minutes.
 * Here a Redis command may wait 30 s, so one blocking publish breaks the upload's bound and nine break the
 * jobs' bound by far. Two kinds of down: nothing listens on the port, or a server accepts connections and
 * never answers. (The timeout is not longer because the API's shutdown waits for it: Spring's listener
 * container stops only once its stuck subscription attempt gives up.)
 */
class RedisDownIT {
    private static final String REDIS_TIMEOUT = "30s";
    /**
     * Five ingests take seconds, JobRunr's 5 s poll included (a minute leaves room for a loaded machine);
     * with publishes on the job threads each job would take nine timeouts, four and a half minutes.
     */
    private static final Duration ALL_DONE = Duration.ofSeconds(60);
    private QuarryStack quarry;
    private OutageClient client;

    @AfterEach
    void stop() {
        if (quarry != null) quarry.close();
    }

    @Test
    void with_nothing_listening_five_uploads_succeed_promptly_and_streams_get_every_event() throws Exception {
        PrivateServer redis = PrivateServer.redis();
        redis.stop();
        start(redis);

        fiveUploadsSucceedPromptlyAndStreamEveryEvent();
    }

    @Test
    void with_a_redis_that_never_answers_five_uploads_succeed_promptly_and_streams_get_every_event() throws Exception {
        start(new SilentServer());

        fiveUploadsSucceedPromptlyAndStreamEveryEvent();
    }

    private void start(PrivateServer redis) {
        Map<String, String> properties = new HashMap<>(Map.of("spring.data.redis.host", "localhost",
                "spring.data.redis.port", Integer.toString(redis.port()),
                "spring.data.redis.timeout", REDIS_TIMEOUT, "spring.data.redis.connect-timeout", REDIS_TIMEOUT));
        quarry = QuarryStack.start(redis, properties);
        Databases.truncateQuarryTables(quarry.api(JdbcTemplate.class));
        client = new OutageClient(quarry, "redis-down");
    }

    private void fiveUploadsSucceedPromptlyAndStreamEveryEvent() throws Exception {
        List<UUID> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) jobs.add(client.upload("no-redis-" + i + ".txt"));
        List<SseClient> streams = new ArrayList<>();
        try {
            for (UUID job : jobs) streams.add(client.open(job));

            await().atMost(ALL_DONE).until(() -> jobs.stream().allMatch(job -> "SUCCEEDED".equals(status(job))));
            await().atMost(Duration.ofSeconds(15)).until(() -> streams.stream().allMatch(SseClient::ended));
            for (int i = 0; i < jobs.size(); i++) client.assertEveryEvent(jobs.get(i), streams.get(i));
        } finally {
            streams.forEach(SseClient::close);
        }
    }

    private String status(UUID jobId) {
        return quarry.api(JdbcTemplate.class).queryForObject("select status from jobs where id = ?", String.class, jobId);
    }

    /** Accepts every connection and never reads or writes a byte: a hung Redis, or a black-holed route. */
    private static final class SilentServer extends PrivateServer {
        private final ServerSocket socket;
        private final List<Socket> held = new ArrayList<>();
        private final Thread acceptor;

        SilentServer() {
            super("silent-redis");
            try {
                socket = new ServerSocket(port);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            acceptor = new Thread(() -> {
                while (!socket.isClosed()) {
                    try {
                        Socket accepted = socket.accept();
                        synchronized (held) {
                            held.add(accepted);
                        }
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-redis");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        @Override
        public Map<String, String> springProperties() {
            return Map.of("spring.data.redis.host", "localhost", "spring.data.redis.port", Integer.toString(port));
        }

        @Override
        public void stop() {
            kill();
        }

        @Override
        public void startAgain() {
            throw new UnsupportedOperationException("a silent server is not restarted");
        }

        @Override
        protected void kill() {
            try {
                socket.close();
                synchronized (held) {
                    for (Socket s : held) s.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
