package dev.quarry.bench;

import dev.quarry.testing.Cranfield;
import dev.quarry.testing.CranfieldDocuments;
import dev.quarry.testing.QuarryClient;
import dev.quarry.testing.WorkerProcess;
import dev.quarry.testing.Tokens;
import dev.quarry.testing.ChaosLedger;
import dev.quarry.testing.Stats;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * bin/quarry bench scale: ingest throughput with two worker processes against one, in the same run, on the
 * same documents (Cranfield abstracts joined into larger documents), through the running API. Each round
 * measures one worker, then two; a run is chunks over the time from its first upload to its last job's end.
 */
public final class ScaleBenchmark {
    private ScaleBenchmark() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        int rounds = Integer.parseInt(args.get("rounds", "3"));
        Map<String, String> documents = CranfieldDocuments.build(Path.of(args.get("dataset")), "scale",
                Integer.parseInt(args.get("documents", "100")), Integer.parseInt(args.get("abstracts", "10")));
        Map<String, String> properties = Map.of("server.port", "0", "jobrunr.dashboard.enabled", "false",
                "spring.datasource.url", args.get("db-url"), "spring.datasource.username", args.get("db-user"),
                "spring.datasource.password", args.get("db-password"), "spring.datasource.hikari.maximum-pool-size", "12");
        Path logs = Path.of(args.get("logs", ".quarry/scale"));
        List<String> launcher = WorkerProcess.fromJar(Path.of(args.get("worker-jar")), args.get("heap", "2g"));
        // --pin-cores: each worker process gets one core of its own (taskset), as separate machines would, so
        // the ratio shows how throughput grows with worker capacity rather than two processes sharing cores.
        boolean pinned = Boolean.parseBoolean(args.get("pin-cores", "false"));
        List<Double> one = new ArrayList<>(), two = new ArrayList<>();
        String run = Long.toString(System.currentTimeMillis());
        try (var ledger = new ChaosLedger(args.get("db-url"), args.get("db-user"), args.get("db-password"));
             var first = new WorkerProcess("s1", pinned ? onCore(0, launcher) : launcher, properties, logs);
             var second = new WorkerProcess("s2", pinned ? onCore(1, launcher) : launcher, properties, logs)) {
            first.start();
            ledger.awaitRunning(first);
            for (int round = 1; round <= rounds; round++) {
                second.close();
                one.add(measure(args, ledger, "scale-" + run + "-1w-" + round, documents));
                second.start();
                ledger.awaitRunning(second);
                two.add(measure(args, ledger, "scale-" + run + "-2w-" + round, documents));
                System.out.printf("  round %d: 1 worker %s chunks/s, 2 workers %s chunks/s%n", round,
                        Stats.fmt(one.get(round - 1)), Stats.fmt(two.get(round - 1)));
            }
        }
        double ratio = Stats.median(two) / Stats.median(one);
        System.out.printf("documents: %d (%s Cranfield abstracts each), worker threads per process: %s%s%n",
                documents.size(), args.get("abstracts", "10"), "24 (default)",
                pinned ? "; each worker pinned to a core of its own (taskset)" : "; workers share all cores");
        System.out.printf("1 worker : median %s chunks/s, runs %s%n", Stats.fmt(Stats.median(one)), Stats.runs(one));
        System.out.printf("2 workers: median %s chunks/s, runs %s%n", Stats.fmt(Stats.median(two)), Stats.runs(two));
        System.out.printf("ratio 2 workers / 1 worker: %.2f x%n", ratio);
        System.out.printf("machine: %d cores, %.1f GiB RAM; java %s%n", Runtime.getRuntime().availableProcessors(),
                Machine.memoryGiB(), System.getProperty("java.version"));
    }

    private static List<String> onCore(int core, List<String> launcher) {
        List<String> command = new ArrayList<>(List.of("taskset", "-c", Integer.toString(core)));
        command.addAll(launcher);
        return command;
    }

    /** Chunks per second for the documents ingested into a fresh tenant by the workers that are running. */
    private static double measure(Args args, ChaosLedger ledger, String tenant, Map<String, String> documents) throws Exception {
        Instant start = ledger.now();
        new QuarryClient(args.get("api"), Tokens.forBenchmark(args.get("jwt-secret"), tenant)).uploadAll(documents, tenant, 4);
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (ledger.unfinished(tenant) > 0) {
            if (System.nanoTime() > deadline) throw new IllegalStateException(tenant + " did not finish in 30 min");
            Thread.sleep(200); // a benchmark driver polling an external system
        }
        double seconds = Duration.between(start, ledger.lastFinished(tenant)).toMillis() / 1000.0;
        return ledger.chunkCount(tenant) / seconds;
    }
}
