package dev.esctl.testing.campaign;

import dev.esctl.testing.Seeds;
import dev.esctl.testing.crashfs.CrashStats;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link CrashScenario} scenarios, scenario i with seed {@link Seeds#iteration}(master, i),
 * until at least the asked number of crash points (crashes) happened, and adds up what they
 * did and found. While a scenario runs, standard error (where the store logs, e.g. "writer
 * failed" at every crash) is captured, and kept only for failing scenarios, so a green
 * campaign is quiet and a red one shows the store's own account of the failure.
 * Not thread-safe.
 */
public final class CrashCampaign {
    /** Totals over a campaign. {@code failures} holds the first few failing scenarios, with their logs. */
    public record Summary(long masterSeed, int scenarios, long crashes, long processCrashes, Map<CrashScenario.Phase, Long> phases, Map<String, Long> stoppedAt,
                          long acknowledgedBatches, long acknowledgedEvents, long unknownBatches, long refusedBatches,
                          long conflicts, long recoveredEvents, Map<Violation.Kind, Long> violations,
                          long failedScenarios, List<Failure> failures, CrashStats stats, long millis) {

        public long violations(Violation.Kind kind) {
            return violations.getOrDefault(kind, 0L);
        }

        @Override
        public String toString() {
            return crashes + " crash points (" + processCrashes + " of them process crashes, the rest power failures) " + phases + " at " + stoppedAt + " in " + scenarios + " scenarios, " + millis + " ms (master seed " + masterSeed + "); "
                    + "appends acknowledged " + acknowledgedBatches + " (" + acknowledgedEvents + " events), unknown " + unknownBatches
                    + ", refused " + refusedBatches + " (" + conflicts + " conflicts); events recovered " + recoveredEvents
                    + "; failed scenarios " + failedScenarios + ", violations " + violations + "; " + stats;
        }
    }

    /** A failing scenario: its result and what the store logged meanwhile. */
    public record Failure(CrashScenario.Result result, String log) {}

    private static final int FAILURES_KEPT = 3;

    private CrashCampaign() {}

    /** Runs scenarios until {@code crashPoints} crashes happened (a scenario crashes 1..maxRounds times). */
    public static Summary run(long masterSeed, int crashPoints, CrashScenario.Settings settings) {
        long start = System.nanoTime();
        Map<CrashScenario.Phase, Long> phases = new EnumMap<>(CrashScenario.Phase.class);
        Map<String, Long> stoppedAt = new java.util.TreeMap<>();
        Map<Violation.Kind, Long> violations = new EnumMap<>(Violation.Kind.class);
        List<Failure> failures = new ArrayList<>();
        CrashStats stats = new CrashStats();
        int scenarios = 0;
        long failed = 0, crashes = 0, processCrashes = 0, ackBatches = 0, ackEvents = 0, unknown = 0, refused = 0, conflicts = 0, recovered = 0;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
        try {
            for (; crashes < crashPoints || scenarios == 0; scenarios++) {
                long seed = Seeds.iteration(masterSeed, scenarios);
                captured.reset();
                System.setErr(capture);
                CrashScenario.Result r;
                try {
                    r = CrashScenario.run(seed, settings);
                } finally {
                    System.setErr(originalErr);
                }
                for (CrashScenario.Phase p : r.crashes()) phases.merge(p, 1L, Long::sum);
                for (var k : r.stoppedAt()) stoppedAt.merge(k == null ? "idle" : k.name(), 1L, Long::sum);
                crashes += r.crashes().size();
                processCrashes += r.processCrashes();
                History h = r.history();
                ackBatches += h.count(Outcome.ACKNOWLEDGED);
                ackEvents += h.events(Outcome.ACKNOWLEDGED);
                unknown += h.count(Outcome.UNKNOWN) + h.count(Outcome.PENDING);
                refused += h.count(Outcome.REFUSED);
                conflicts += h.conflicts();
                recovered += r.recoveredEvents();
                stats.add(r.stats());
                for (Violation v : r.violations()) violations.merge(v.kind(), 1L, Long::sum);
                if (r.failed()) failed++;
                if (r.failed() && failures.size() < FAILURES_KEPT) {
                    failures.add(new Failure(r, captured.toString(StandardCharsets.UTF_8)));
                }
            }
        } finally {
            System.setErr(originalErr);
        }
        return new Summary(masterSeed, scenarios, crashes, processCrashes, phases, stoppedAt, ackBatches, ackEvents, unknown, refused, conflicts, recovered,
                violations, failed, failures, stats, (System.nanoTime() - start) / 1_000_000);
    }

    /** A report of the failing points kept in {@code summary}, for an assertion message. */
    public static String describeFailures(Summary summary, String test) {
        StringBuilder b = new StringBuilder();
        for (Failure f : summary.failures()) {
            CrashScenario.Result r = f.result();
            b.append("\n==== scenario with seed ").append(r.seed()).append(" failed (crashes while ").append(r.crashes()).append(")\n");
            b.append(CrashScenario.replay(r.seed(), test)).append('\n');
            r.violations().stream().limit(10).forEach(v -> b.append("  ").append(v).append('\n'));
            if (r.violations().size() > 10) b.append("  ... ").append(r.violations().size() - 10).append(" more\n");
            b.append(r.operations());
            String log = f.log();
            if (log.length() > 6000) log = "...\n" + log.substring(log.length() - 6000);
            b.append("store log:\n").append(log);
        }
        return b.toString();
    }
}
