package dev.quarry.api.jobs;

import dev.quarry.api.QuarryStack;
import dev.quarry.testing.SseClient;
import dev.quarry.testing.Databases;
import dev.quarry.testing.PrivateServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis stops while a real worker runs jobs and clients watch them (issue 3): jobs keep running, every
 * stream still delivers every event (by polling job_events), and streams are live again once Redis is back.
 * Redis is a private server (the shared one must never stop); PostgreSQL is the shared test database.
 * {@link RedisOutageIT} covers an API that never reaches Redis at all.
 */
class RedisRestartIT {
    private static final Duration JOB = Duration.ofMinutes(2);
    private static PrivateServer redis;
    private static QuarryStack quarry;
    private static OutageClient client;

    @BeforeAll
    static void start() {
        redis = PrivateServer.redis();
        quarry = QuarryStack.start(redis, redis.springProperties());
        client = new OutageClient(quarry, "redis-down");
    }

    @AfterAll
    static void stop() {
        if (quarry != null) quarry.close();
    }

    @BeforeEach
    void clean() {
        redis.startAgain();
        Databases.truncateQuarryTables(quarry.api(JdbcTemplate.class));
    }

    @Test
    void a_live_stream_whose_redis_stops_still_receives_every_event_of_the_job() throws Exception {
        UUID jobId = client.upload("live.txt");
        try (SseClient stream = client.open(jobId)) {
            JobEventStreams streams = quarry.api(JobEventStreams.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> streams.live(jobId));

            redis.stop();

            await().atMost(JOB).until(stream::ended);
            client.assertEveryEvent(jobId, stream);
        }
        assertIndexed(jobId);
    }

    @Test
    void without_redis_the_worker_runs_jobs_and_streams_poll_every_event_and_go_live_again_when_it_is_back()
            throws Exception {
        redis.stop();
        List<UUID> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) jobs.add(client.upload("no-redis-" + i + ".txt"));
        List<SseClient> clients = new ArrayList<>();
        try {
            for (UUID job : jobs) clients.add(client.open(job));
            await().atMost(JOB).until(() -> clients.stream().allMatch(SseClient::ended));
            for (int i = 0; i < jobs.size(); i++) client.assertEveryEvent(jobs.get(i), clients.get(i));
        } finally {
            clients.forEach(SseClient::close);
        }
        for (UUID job : jobs) assertIndexed(job);

        redis.startAgain();
        UUID after = client.upload("redis-back.txt");
        try (SseClient stream = client.open(after)) {
            JobEventStreams streams = quarry.api(JobEventStreams.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> streams.live(after) || stream.ended());
            await().atMost(JOB).until(stream::ended);
            client.assertEveryEvent(after, stream);
        }
    }

    private static void assertIndexed(UUID jobId) {
        JdbcTemplate jdbc = quarry.api(JdbcTemplate.class);
        Map<String, Object> document = jdbc.queryForMap("""
                select d.status, d.chunk_count, (select count(*) from chunks c where c.document_id = d.id) as chunks
                from documents d join jobs j on j.document_id = d.id where j.id = ?""", jobId);
        assertThat(document.get("status")).isEqualTo("INDEXED");
        assertThat(((Number) document.get("chunks")).intValue()).isPositive()
                .isEqualTo(((Number) document.get("chunk_count")).intValue());
    }
}
