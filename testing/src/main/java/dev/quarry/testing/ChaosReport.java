package dev.quarry.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The verdict of a chaos run, from what PostgreSQL holds afterwards: every document indexed exactly once with
 * the chunk count of the clean run, every job SUCCEEDED once (in Quarry's table and in JobRunr's), no dead
 * letters, no attempt handed to a second worker while the first was alive, and enough kills that hit running
 * jobs. Also the recovery times: from each kill to the re-start, and to the success, of the jobs it hit.
 */
public record ChaosReport(int documents, int kills, int killsLanded, int jobsHit, List<Double> handedBackSeconds,
                          List<Double> restartSeconds,
                          List<Double> restartWithAnotherUpSeconds, List<Double> succeededSeconds, double cleanSeconds, double chaosSeconds, int chunks,
                          Set<String> workersThatRan, int duplicateChunks, List<String> problems) {

    /** A SIGKILL: which worker generation, when (database clock), the jobs it was running, whether another was up. */
    record Kill(String worker, Instant at, List<UUID> running, boolean anotherUp) {
    }

    public boolean passed() {
        return problems.isEmpty();
    }

    static ChaosReport judge(int documents, Map<String, ChaosLedger.DocumentChunks> clean,
                             Map<String, ChaosLedger.DocumentChunks> chaos, Map<UUID, ChaosLedger.JobOutcome> outcomes,
                             List<ChaosLedger.Start> starts, List<ChaosLedger.Start> retries, List<Kill> kills,
                             int deadLetters, int minLanded,
                             double cleanSeconds, double chaosSeconds) {
        List<String> problems = new ArrayList<>();
        if (chaos.size() != documents) problems.add(chaos.size() + " documents stored, " + documents + " uploaded");
        int duplicates = 0, chunks = 0;
        for (var doc : chaos.values()) {
            chunks += doc.rows();
            duplicates += doc.rows() - doc.distinctOrdinals();
            var reference = clean.get(doc.filename());
            int expected = reference == null ? -1 : reference.rows();
            if (!"INDEXED".equals(doc.status()) || doc.rows() != expected || doc.recorded() != doc.rows()
                    || doc.distinctOrdinals() != doc.rows() || doc.maxOrdinal() != doc.rows() - 1) {
                problems.add(doc.filename() + ": " + doc.status() + ", " + doc.rows() + " chunk rows ("
                        + doc.distinctOrdinals() + " distinct ordinals, " + doc.recorded() + " recorded), clean run: " + expected);
            }
        }
        for (var job : outcomes.values()) {
            if (!"SUCCEEDED".equals(job.status()) || !"SUCCEEDED".equals(job.jobRunrState()) || job.succeededEvents() != 1) {
                problems.add("job " + job.jobId() + ": " + job.status() + " (JobRunr: " + job.jobRunrState() + "), "
                        + job.succeededEvents() + " succeeded events");
            }
        }
        if (deadLetters > 0) problems.add(deadLetters + " dead letters");

        Set<String> killed = kills.stream().map(Kill::worker).collect(Collectors.toSet());
        Map<UUID, List<ChaosLedger.Start>> byJob = starts.stream().collect(Collectors.groupingBy(ChaosLedger.Start::jobId));
        for (var entry : byJob.entrySet()) {
            List<ChaosLedger.Start> attempts = entry.getValue();
            for (int i = 1; i < attempts.size(); i++) {
                String before = attempts.get(i - 1).worker(), after = attempts.get(i).worker();
                if (!before.equals(after) && !killed.contains(before)) {
                    problems.add("job " + entry.getKey() + " started on " + after + " while " + before + " was alive");
                }
            }
        }

        List<Double> handedBack = new ArrayList<>(), restart = new ArrayList<>(), restartWithAnotherUp = new ArrayList<>(),
                succeeded = new ArrayList<>();
        Map<UUID, List<ChaosLedger.Start>> retriesByJob = retries.stream()
                .collect(Collectors.groupingBy(ChaosLedger.Start::jobId));
        int landed = 0, hit = 0;
        for (Kill kill : kills) {
            boolean landedHere = false;
            for (UUID job : kill.running()) {
                var outcome = outcomes.get(job);
                if (outcome == null || outcome.succeededAt() == null || !outcome.succeededAt().isAfter(kill.at())) continue;
                landedHere = true;
                hit++;
                succeeded.add(seconds(kill.at(), outcome.succeededAt()));
                firstAfter(retriesByJob.getOrDefault(job, List.of()), kill.at())
                        .ifPresent(r -> handedBack.add(seconds(kill.at(), r.at())));
                firstAfter(byJob.getOrDefault(job, List.of()), kill.at())
                        .ifPresent(s -> {
                            restart.add(seconds(kill.at(), s.at()));
                            if (kill.anotherUp()) restartWithAnotherUp.add(seconds(kill.at(), s.at()));
                        });
            }
            if (landedHere) landed++;
        }
        if (landed < minLanded) problems.add("only " + landed + " kills landed while jobs were running, " + minLanded + " wanted");
        Set<String> slots = new TreeSet<>();
        starts.forEach(s -> slots.add(s.worker().replaceAll("-\\d+$", "")));
        return new ChaosReport(documents, kills.size(), landed, hit, handedBack, restart, restartWithAnotherUp, succeeded, cleanSeconds, chaosSeconds,
                chunks, slots, duplicates, List.copyOf(problems));
    }

    private static java.util.Optional<ChaosLedger.Start> firstAfter(List<ChaosLedger.Start> events, Instant at) {
        return events.stream().filter(e -> e.at().isAfter(at)).min(Comparator.comparing(ChaosLedger.Start::at));
    }

    public String summary() {
        StringBuilder out = new StringBuilder();
        out.append("chaos run: ").append(passed() ? "PASSED" : "FAILED").append('\n');
        line(out, "documents", documents + " (" + chunks + " chunks, chunk counts compared with a clean run of the same documents)");
        line(out, "kills (kill -9)", kills + ", of which " + killsLanded + " landed while jobs were running (" + jobsHit + " jobs hit)");
        line(out, "kill -> handed back", timing(handedBackSeconds) + " (queued again, 'retrying')");
        line(out, "kill -> re-start", timing(restartSeconds));
        line(out, "  another worker was up", timing(restartWithAnotherUpSeconds));
        line(out, "kill -> succeeded", timing(succeededSeconds));
        line(out, "duplicate chunks", Integer.toString(duplicateChunks));
        line(out, "workers that ran jobs", String.join(", ", workersThatRan));
        line(out, "wall time", Stats.fmt(chaosSeconds) + " s with kills; the clean run took " + Stats.fmt(cleanSeconds) + " s");
        line(out, "problems", problems.isEmpty() ? "none (no job lost or stuck, none twice, no dead letters)" : problems.size() + "");
        problems.stream().limit(20).forEach(p -> out.append("    - ").append(p).append('\n'));
        return out.toString();
    }

    private static String timing(List<Double> seconds) {
        if (seconds.isEmpty()) return "n/a";
        return "p50 " + Stats.fmt(Stats.median(seconds)) + " s, max "
                + Stats.fmt(seconds.stream().mapToDouble(Double::doubleValue).max().orElse(0)) + " s (n = " + seconds.size() + ")";
    }

    private static void line(StringBuilder out, String name, String value) {
        out.append(String.format("  %-24s %s%n", name, value));
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }
}
