package dev.quarry.bench;

import dev.quarry.testing.WorkerProcess;
import dev.quarry.testing.ChaosRun;
import dev.quarry.testing.ChaosReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * bin/quarry chaos: two worker processes from the worker's executable jar, 200 documents of Cranfield
 * abstracts through the running API, a worker killed with SIGKILL every ~10 s and restarted, then the checks
 * and a summary. Exits 1 when a check fails.
 */
public final class ChaosCommand {
    private ChaosCommand() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        Path logs = Path.of(args.get("logs", ".quarry/chaos"));
        Map<String, String> properties = Map.of(
                "server.port", "0",
                "jobrunr.dashboard.enabled", "false",
                "spring.datasource.url", args.get("db-url"),
                "spring.datasource.username", args.get("db-user"),
                "spring.datasource.password", args.get("db-password"),
                "spring.datasource.hikari.maximum-pool-size", args.get("pool", "6"),
                "jobrunr.background-job-server.worker-count", args.get("threads", "4"));
        List<WorkerProcess> workers = new ArrayList<>();
        int count = Integer.parseInt(args.get("workers", "2"));
        for (int i = 1; i <= count; i++) {
            workers.add(new WorkerProcess("w" + i, WorkerProcess.fromJar(Path.of(args.get("worker-jar")), args.get("heap", "1g")),
                    properties, logs));
        }
        var settings = new ChaosRun.Settings(args.get("api"), args.get("jwt-secret"), args.get("db-url"), args.get("db-user"),
                args.get("db-password"), Path.of(args.get("dataset")), args.get("tenant", "chaos-" + System.currentTimeMillis()),
                Integer.parseInt(args.get("documents", "200")), Integer.parseInt(args.get("abstracts", "30")),
                Duration.ofSeconds(Long.parseLong(args.get("kill-every", "10"))), Integer.parseInt(args.get("max-kills", "0")),
                Integer.parseInt(args.get("min-landed", "5")), Duration.ofMinutes(Long.parseLong(args.get("timeout", "30"))));
        System.out.printf("chaos: %d workers (logs in %s), %d documents of %d Cranfield abstracts, kill -9 every ~%d s%n",
                count, logs, settings.documents(), settings.abstractsPerDocument(), settings.killEvery().toSeconds());
        ChaosReport report;
        try {
            report = new ChaosRun(settings, workers).run();
        } finally {
            for (WorkerProcess worker : workers) worker.close();
        }
        System.out.printf("machine: %d cores, %.1f GiB, Java %s%n", Runtime.getRuntime().availableProcessors(),
                Machine.memoryGiB(), System.getProperty("java.version"));
        System.out.print(report.summary());
        System.exit(report.passed() ? 0 : 1);
    }
}
