package dev.quarry.jobs;

import dev.quarry.testing.CommonTestApplication;
import dev.quarry.testing.Databases;
import dev.quarry.testing.TestServices;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Duration;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The release from Quarry's queue to JobRunr, against the real database and JobRunr's tables: order by
 * priority, fair share between tenants, per-type limits, the window, and cancellation before release. No
 * worker runs here, so released jobs stay released-and-waiting and the window (2) fills up.
 */
@SpringBootTest(classes = CommonTestApplication.class, properties = "quarry.release.window=2")
class JobReleaserIT {

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        TestServices.register(registry);
    }

    @Autowired PgJobStore jobs;
    @Autowired JobLifecycle lifecycle;
    @Autowired JobReleaser releaser;
    @Autowired JobTypeLimits limits;
    @Autowired PgJobQueue queue;
    @Autowired JdbcTemplate jdbc;
    @Autowired JobDispatcher dispatcher;
    @Autowired TransactionTemplate transaction;
    @Autowired DataSource dataSource;

    @BeforeEach
    void clean() {
        Databases.truncateQuarryTables(jdbc);
        jdbc.update("delete from jobrunr_jobs");
    }

    private UUID queued(String tenant, JobType type, int priority) {
        UUID id = UUID.randomUUID();
        jobs.create(new NewJob(id, tenant, type, null, null, null, priority));
        return id;
    }

    private UUID queued(String tenant) {
        return queued(tenant, JobType.INGEST, JobPriority.BULK_INGEST);
    }

    private List<UUID> released() {
        return jdbc.queryForList("select id from jobs where enqueued_at is not null and status = 'QUEUED' "
                + "order by enqueued_at", UUID.class);
    }

    private boolean inJobRunr(UUID id) {
        return jdbc.queryForObject("select count(*) from jobrunr_jobs where id = ?", Integer.class, id.toString()) == 1;
    }

    /** Frees the window as a worker would: the released jobs start (and then hold no window slot). */
    private void startReleased() {
        for (UUID id : released()) {
            String tenant = jdbc.queryForObject("select tenant_id from jobs where id = ?", String.class, id);
            lifecycle.start(id, tenant, JobEventData.Started.NOTHING);
        }
    }

    @Test
    void a_later_job_of_higher_priority_overtakes_the_waiting_ones_of_lower() {
        UUID bulk1 = queued("acme");
        UUID bulk2 = queued("acme");
        UUID bulk3 = queued("acme");
        UUID upload = queued("acme", JobType.INGEST, JobType.INGEST.defaultPriority());
        UUID export = queued("acme", JobType.EXPORT, JobType.EXPORT.defaultPriority());

        assertThat(releaser.releaseNow()).isEqualTo(2);

        assertThat(released()).containsExactly(upload, bulk1);
        assertThat(inJobRunr(upload)).isTrue();
        assertThat(inJobRunr(bulk2)).isFalse();
        assertThat(releaser.releaseNow()).as("the window of 2 is full until they start").isZero();
        assertThat(queue.positionOf(bulk2).orElseThrow().position()).isEqualTo(3);
        assertThat(queue.positionOf(export).orElseThrow().position()).isEqualTo(5);

        startReleased();
        releaser.releaseNow();
        assertThat(released()).containsExactly(bulk2, bulk3);
        startReleased();
        releaser.releaseNow();
        assertThat(released()).containsExactly(export);
    }

    @Test
    void one_tenants_backlog_does_not_hold_back_another_tenants_first_job() {
        List<UUID> flood = new ArrayList<>();
        for (int i = 0; i < 20; i++) flood.add(queued("flood"));
        UUID single = queued("small");
        assertThat(queue.positionOf(single).orElseThrow().position()).as("behind the flood's first only").isEqualTo(2);

        releaser.releaseNow();

        assertThat(released()).containsExactlyInAnyOrder(flood.get(0), single);
    }

    @Test
    void a_tenant_with_jobs_running_yields_the_next_slot_to_one_without() {
        UUID running = queued("busy");
        UUID busyNext = queued("busy");
        UUID idleFirst = queued("idle");
        UUID idleSecond = queued("idle");
        lifecycle.start(running, "busy", JobEventData.Started.NOTHING); // as if released and started earlier

        releaser.releaseNow();

        // busy holds a slot already, so its next job ranks with idle's second (and is older than it).
        assertThat(released()).containsExactly(idleFirst, busyNext);
        assertThat(queue.positionOf(idleSecond).orElseThrow().position()).isEqualTo(3);
    }

    @Test
    void under_a_limit_of_one_the_newcomer_is_served_before_the_backlog_whose_tenant_holds_nothing_between_jobs() {
        limits.set(JobType.INGEST, 1, "test");
        UUID first = queued("backlog");
        UUID second = queued("backlog");
        queued("backlog");
        releaser.releaseNow();
        assertThat(released()).containsExactly(first);
        UUID newcomer = queued("newcomer");

        // backlog's job ends: at the next release backlog holds no slot, so its next job ranks as the newcomer's.
        lifecycle.start(first, "backlog", JobEventData.Started.NOTHING);
        lifecycle.succeed(first, "backlog", JobEventData.Succeeded.NOTHING);
        releaser.releaseNow();

        assertThat(released()).as("the tie goes to the tenant served least recently").containsExactly(newcomer);
        assertThat(queue.positionOf(second).orElseThrow().position()).isEqualTo(2);
    }

    @Test
    void a_types_limit_holds_however_many_releases_run_at_once() throws Exception {
        limits.set(JobType.EXPORT, 1, "test");
        List<UUID> exports = new ArrayList<>();
        for (int i = 0; i < 4; i++) exports.add(queued("acme", JobType.EXPORT, 90));
        UUID ingest = queued("acme");

        ExecutorService processes = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> releases = new ArrayList<>();
            for (int i = 0; i < 4; i++) releases.add(releaser::releaseNow);
            int total = 0;
            for (Future<Integer> released : processes.invokeAll(releases)) total += released.get();
            assertThat(total).isEqualTo(2);
        } finally {
            processes.shutdownNow();
        }

        assertThat(released()).containsExactly(exports.get(0), ingest);
        startReleased();
        releaser.releaseNow();
        assertThat(released()).as("the running export still holds the only export slot").isEmpty();

        limits.set(JobType.EXPORT, 3, "test");
        releaser.releaseNow();
        assertThat(released()).containsExactly(exports.get(1), exports.get(2));
    }

    @Test
    void a_job_cancelled_before_its_release_never_reaches_jobrunr() {
        UUID cancelled = queued("acme", JobType.INGEST, 90);
        UUID next = queued("acme");
        lifecycle.cancel(cancelled, "acme", JobEventData.Cancelled.because("changed my mind"));

        releaser.releaseNow();

        assertThat(inJobRunr(cancelled)).isFalse();
        assertThat(released()).containsExactly(next);
    }

    @Test
    void a_limit_below_one_is_refused_and_the_configured_default_holds_until_an_operator_sets_one() {
        assertThatThrownBy(() -> limits.set(JobType.EXPORT, 0, "test")).isInstanceOf(IllegalArgumentException.class);
        assertThat(limits.all()).filteredOn(limit -> limit.type() == JobType.EXPORT).singleElement()
                .satisfies(limit -> {
                    assertThat(limit.maxRunning()).isEqualTo(2);
                    assertThat(limit.source()).isEqualTo("configured");
                });
        limits.set(JobType.EXPORT, 5, "test");
        assertThat(limits.all()).filteredOn(limit -> limit.type() == JobType.EXPORT).singleElement()
                .extracting(JobTypeLimits.Limit::maxRunning).isEqualTo(5);
    }

    /** A job created and dispatched in one transaction, as the API's upload does. */
    private UUID createdAndDispatched(String tenant) {
        return transaction.execute(status -> {
            UUID id = queued(tenant, JobType.INGEST, JobType.INGEST.defaultPriority());
            dispatcher.dispatchAfterCommit(id);
            assertThat(inJobRunr(id)).as("nothing reaches JobRunr before the commit").isFalse();
            return id;
        });
    }

    @Test
    void the_transaction_that_creates_a_job_releases_it_and_hands_it_over_as_it_commits() {
        UUID id = createdAndDispatched("acme");

        // No wait: the fast path marked the job inside the transaction and handed it over right after commit,
        // on this thread (a release on the releaser's thread would not have run yet).
        assertThat(released()).containsExactly(id);
        assertThat(inJobRunr(id)).isTrue();
    }

    @Test
    void a_rolled_back_transaction_releases_nothing() {
        UUID id = UUID.randomUUID();
        transaction.executeWithoutResult(status -> {
            jobs.create(new NewJob(id, "acme", JobType.INGEST, null, null, null, JobType.INGEST.defaultPriority()));
            dispatcher.dispatchAfterCommit(id);
            status.setRollbackOnly();
        });

        assertThat(jdbc.queryForObject("select count(*) from jobs", Integer.class)).isZero();
        assertThat(inJobRunr(id)).isFalse();
    }

    @Test
    void while_another_release_holds_the_lock_the_job_is_released_after_it_commits() throws Exception {
        UUID id;
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (var lock = other.prepareStatement("select pg_advisory_xact_lock(hashtextextended('quarry.job_release', 0))")) {
                lock.execute();
            }
            id = createdAndDispatched("acme"); // must not wait for the other release's lock

            assertThat(released()).as("not released inside: the lock was taken").isEmpty();
            other.commit();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(released()).containsExactly(id);
            assertThat(inJobRunr(id)).isTrue();
        });
    }

    @Test
    void a_transaction_that_creates_many_jobs_releases_once_at_its_end_within_the_window() {
        List<UUID> created = transaction.execute(status -> {
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                UUID id = queued("acme", JobType.INGEST, JobType.INGEST.defaultPriority());
                dispatcher.dispatchAfterCommit(id);
                ids.add(id);
            }
            return ids;
        });

        // The window is 2; the five share one created_at (the transaction's), so any two may be first.
        assertThat(released()).hasSize(2).isSubsetOf(created);
        assertThat(created.stream().filter(this::inJobRunr)).hasSize(2);
    }
}
