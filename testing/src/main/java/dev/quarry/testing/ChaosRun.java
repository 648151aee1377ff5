package dev.quarry.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A chaos run against real worker processes: the same documents are ingested once without harm (the
 * reference chunk counts) and once while a worker is killed with SIGKILL every {@code killEvery} (±20 %) and
 * started again at once; then {@link ChaosReport} judges what PostgreSQL holds. The victim is a random worker
 * among those running jobs at that moment (when none is, the kill waits for one), so that every kill lands.
 * Kills stop after {@code maxKills} (0: never, until every job has finished). Uploads go through the real
 * HTTP API.
 */
public final class ChaosRun {
    private final Settings settings;
    private final List<WorkerProcess> workers;

    public record Settings(String api, String jwtSecret, String dbUrl, String dbUser, String dbPassword, Path dataset,
                           String tenant, int documents, int abstractsPerDocument, Duration killEvery, int maxKills,
                           int minLanded, Duration timeout) {
    }

    public ChaosRun(Settings settings, List<WorkerProcess> workers) {
        this.settings = settings;
        this.workers = List.copyOf(workers);
    }

    /** Starts the workers that are not running, then the clean run, then the run with kills. */
    public ChaosReport run() throws Exception {
        Map<String, String> documents = CranfieldDocuments.build(settings.dataset(), "chaos", settings.documents(),
                settings.abstractsPerDocument());
        try (var ledger = new ChaosLedger(settings.dbUrl(), settings.dbUser(), settings.dbPassword())) {
            for (WorkerProcess worker : workers) if (!worker.alive()) worker.start();
            for (WorkerProcess worker : workers) ledger.awaitRunning(worker);

            String clean = settings.tenant() + "-clean", chaos = settings.tenant() + "-chaos";
            Instant cleanStart = ledger.now();
            upload(clean, documents);
            awaitFinished(ledger, clean, null);
            double cleanSeconds = Duration.between(cleanStart, ledger.now()).toMillis() / 1000.0;

            Instant chaosStart = ledger.now();
            upload(chaos, documents);
            List<ChaosReport.Kill> kills = new ArrayList<>();
            awaitFinished(ledger, chaos, kills);
            double chaosSeconds = Duration.between(chaosStart, ledger.now()).toMillis() / 1000.0;
            awaitJobRunrSettled(ledger, chaos);
            return ChaosReport.judge(documents.size(), ledger.chunks(clean), ledger.chunks(chaos), ledger.outcomes(chaos),
                    ledger.starts(chaos), ledger.retries(chaos), kills, ledger.deadLetters(chaos), settings.minLanded(), cleanSeconds, chaosSeconds);
        }
    }

    private void upload(String tenant, Map<String, String> documents) throws Exception {
        new QuarryClient(settings.api(), Tokens.forBenchmark(settings.jwtSecret(), tenant)).uploadAll(documents, tenant, 4);
    }

    /** Until every job of the tenant has finished; with a kill list (not null), killing a worker every killEvery meanwhile. */
    private void awaitFinished(ChaosLedger ledger, String tenant, List<ChaosReport.Kill> kills) throws Exception {
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        boolean killing = kills != null;
        // The first kill as soon as a job runs: with cached embeddings a short run can end before killEvery.
        long nextKill = System.nanoTime();
        while (ledger.unfinished(tenant) > 0) {
            if (System.nanoTime() > deadline) return; // the report names the jobs that never finished
            for (WorkerProcess worker : workers) {
                if (worker.alive()) continue;
                // Not one of our kills: it failed on its own (e.g. no database connection to be had at start).
                System.out.printf("  %s exited on its own (see %s); starting it again%n", worker.name(), worker.log());
                worker.start();
            }
            if (killing && (settings.maxKills() == 0 || kills.size() < settings.maxKills())
                    && System.nanoTime() >= nextKill) {
                ChaosReport.Kill kill = killOne(ledger, tenant);
                if (kill != null) {
                    kills.add(kill);
                    nextKill = System.nanoTime() + jittered(settings.killEvery());
                }
            }
            Thread.sleep(200); // a driver pacing itself against external processes, not a test waiting
        }
    }

    /**
     * Kills a random worker among those running jobs of the tenant and starts it again; null if none is busy.
     * Notes whether another worker was up to take the jobs over; if not, their recovery waits for a restart.
     */
    private ChaosReport.Kill killOne(ChaosLedger ledger, String tenant) throws Exception {
        List<WorkerProcess> order = new ArrayList<>(workers);
        Collections.shuffle(order);
        for (WorkerProcess victim : order) {
            List<UUID> running = ledger.runningOn(tenant, victim.name());
            if (running.isEmpty()) continue;
            String name = victim.name();
            boolean anotherUp = anotherIsUp(ledger, victim);
            Instant at = ledger.now();
            victim.kill();
            victim.start();
            System.out.printf("  kill -9 %s (%d jobs running on it, another worker %s), restarted as %s%n", name,
                    running.size(), anotherUp ? "up" : "not up", victim.name());
            return new ChaosReport.Kill(name, at, running, anotherUp);
        }
        return null;
    }

    private boolean anotherIsUp(ChaosLedger ledger, WorkerProcess victim) throws Exception {
        for (WorkerProcess other : workers) {
            if (other != victim && other.alive() && ledger.serverRunning(other.name())) return true;
        }
        return false;
    }

    /**
     * A job whose worker was killed after the job's result committed is still PROCESSING in JobRunr until it
     * is orphaned and run again (which then finds it done): give that its time before judging.
     */
    private void awaitJobRunrSettled(ChaosLedger ledger, String tenant) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline
                && ledger.outcomes(tenant).values().stream().anyMatch(o -> !"SUCCEEDED".equals(o.jobRunrState()))) {
            Thread.sleep(500);
        }
    }

    private static long jittered(Duration every) {
        return (long) (every.toNanos() * ThreadLocalRandom.current().nextDouble(0.8, 1.2));
    }
}
