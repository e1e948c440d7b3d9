package dev.esctl.testing.campaign;

import dev.esctl.engine.AppendBatch;
import dev.esctl.engine.AppendResult;
import dev.esctl.engine.EventReader;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.Expectation;
import dev.esctl.engine.FsyncPolicy;
import dev.esctl.engine.NewEvent;
import dev.esctl.engine.ReadQuery;
import dev.esctl.engine.StoreConfig;
import dev.esctl.engine.StreamRange;
import dev.esctl.storage.EventRecord;
import dev.esctl.testing.Seeds;
import dev.esctl.testing.crashfs.CrashFileSystem;
import dev.esctl.testing.crashfs.CrashStats;
import dev.esctl.testing.crashfs.OpKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * One scenario of a campaign, entirely determined by its seed (up to the writer thread's
 * timing, which decides how appends group): a store on a {@link CrashFileSystem} takes a
 * random workload until the machine stops at a random operation (a crash point); the disk
 * image the crash leaves is opened again, recovering, and takes more appends until the machine
 * stops again, 1 to {@code maxRounds} times, so later crashes also hit recovery itself. One
 * crash in three before the last is a process crash (kill -9) rather than a power failure: the
 * store restarts on the same kernel state, forced or not. The last crash is a power failure; finally
 * the last image is opened twice and checked against everything that was acknowledged in any
 * round ({@link StateChecker}), the two opens must agree, and the recovered store must take a
 * new append at the next seq. Not thread-safe; one call runs one scenario.
 */
public final class CrashScenario {
    /**
     * @param fsync                    the store's fsync policy
     * @param acknowledgedMustSurvive  whether the checker treats acknowledged as durable
     * @param maxCrashOperation        each round stops at an operation drawn from 1..this (counted from the round's start)
     * @param maxRounds                crash points per scenario, drawn uniformly from 1..this
     */
    public record Settings(FsyncPolicy fsync, boolean acknowledgedMustSurvive, int maxCrashOperation, int maxRounds) {
        /** The promise of DESIGN.md: fsync {@code always}, and nothing acknowledged is ever lost. */
        public static Settings durable() {
            return new Settings(FsyncPolicy.ALWAYS, true, 150, 4);
        }
    }

    /** Where the machine stopped. */
    public enum Phase {
        /** While the store was opening (creating files, recovering, starting a segment). */
        OPENING,
        /** While appends were being written, forced, or segments rolled. */
        APPENDING,
        /** After the workload ran out, with the store open and idle. */
        IDLE
    }

    /** What one scenario did and found; {@code stoppedAt} holds the kind of operation each crash hit (null: idle). */
    public record Result(long seed, List<Violation> violations, List<Phase> crashes, List<OpKind> stoppedAt, int processCrashes,
                         History history, CrashStats stats, long recoveredEvents, String operations) {
        public boolean failed() {
            return !violations.isEmpty();
        }
    }

    private static final int MAX_BATCHES_PER_ROUND = 1000;

    private final long seed;
    private final Settings settings;
    private final Random random;
    private final StoreConfig config;
    private final History history = new History();
    private final Workload workload;
    private final List<Violation> violations = new ArrayList<>();
    private final List<Phase> crashes = new ArrayList<>();
    private final List<OpKind> stoppedAt = new ArrayList<>();
    private final CrashStats stats = new CrashStats();
    private final StringBuilder operations = new StringBuilder();
    private long recoveredEvents;
    private int processCrashes;

    private CrashScenario(long seed, Settings settings) {
        this.seed = seed;
        this.settings = settings;
        this.random = new Random(Seeds.mix(seed));
        this.workload = new Workload(new Random(random.nextLong()));
        // Checkpoints after every force in some scenarios, lazily (once a second: in practice at
        // rolls and close) in others, so that crashes hit both the checkpoint writes and long
        // stretches of the log that no checkpoint covers.
        long checkpointIntervalMs = random.nextBoolean() ? 0 : 1000;
        // Half the scenarios pre-allocate segments: crashes then tear writes over zeros, and
        // recovery must zero (not truncate) what it cuts.
        this.config = new StoreConfig(StoreConfig.MIN_SEGMENT_SIZE, settings.fsync(), Workload.MAX_EVENT_BYTES, 64, checkpointIntervalMs,
                random.nextBoolean());
    }

    public static Result run(long seed, Settings settings) {
        return new CrashScenario(seed, settings).run();
    }

    private Result run() {
        CrashFileSystem fs = CrashFileSystem.create(random.nextLong());
        Path dir = fs.getPath("/store");
        int rounds = 1 + random.nextInt(settings.maxRounds());
        try {
            for (int round = 1; round <= rounds; round++) {
                // After a crash, one round in four stops within its first dozen operations: in
                // recovery (cutting a torn tail, removing an unfinished segment) or just after it.
                int window = round > 1 && random.nextInt(4) == 0 ? 12 : settings.maxCrashOperation();
                fs.crashAtOperation(fs.operations() + 1 + random.nextInt(window));
                Phase phase = round(fs, dir, round);
                keepOperations(round, fs);
                if (phase == null) {
                    stats.add(fs.stats());
                    return result(); // a violation made going on pointless
                }
                crashes.add(phase);
                stoppedAt.add(fs.stoppedAt());
                if (round < rounds && random.nextInt(3) == 0) {
                    // Only the process died (kill -9): the kernel keeps what it wrote, forced or
                    // not, and the next round restarts on it. A later power failure must still
                    // find everything acknowledged, including what this round acknowledged.
                    processCrashes++;
                    fs.restartProcess();
                    continue;
                }
                CrashFileSystem image = fs.crash(random);
                stats.add(fs.stats());
                close(fs);
                fs = image;
                dir = fs.getPath("/store");
            }
            verify(dir);
        } finally {
            close(fs);
        }
        return result();
    }

    private Result result() {
        return new Result(seed, violations, crashes, stoppedAt, processCrashes, history, stats, recoveredEvents, operations.toString());
    }

    /** Runs the workload until the machine stops; null when the scenario must end (a violation was found). */
    private Phase round(CrashFileSystem fs, Path dir, int round) {
        EventStore store;
        try {
            store = EventStore.open(dir, config);
        } catch (IOException | RuntimeException e) {
            if (fs.stopped()) return Phase.OPENING;
            violations.add(new Violation(Violation.Kind.OPEN_FAILED, "round " + round + ": opening the image of the previous crash failed: " + e));
            return null;
        }
        boolean hung = false;
        try {
            workload.observe(store);
            for (int submitted = 0; submitted < MAX_BATCHES_PER_ROUND && !fs.stopped(); ) {
                // Mostly one append at a time; sometimes a burst, so that the writer groups several.
                int burst = random.nextInt(10) < 3 ? 2 + random.nextInt(5) : 1;
                List<History.Pending> pending = new ArrayList<>(burst);
                // A lone append goes through the blocking call, which commits it on this thread.
                if (burst == 1) pending.add(history.appendHere(store, workload.next(), round));
                else for (int i = 0; i < burst; i++) pending.add(history.submit(store, workload.next(), round));
                submitted += burst;
                for (History.Pending p : pending) {
                    if (!history.await(p)) {
                        hung = true;
                        violations.add(new Violation(Violation.Kind.HUNG, "round " + round + ": " + p.batch() + " did not complete in 30 s"));
                        return null;
                    }
                    if (p.batch().outcome() == Outcome.ACKNOWLEDGED) workload.observe(p.batch().result());
                }
            }
            return fs.stopped() ? Phase.APPENDING : Phase.IDLE;
        } finally {
            fs.stopTheWorld();
            // Closing a store on a stopped machine fails or does nothing: that is the crash. A
            // hung writer thread would never be joined, so then the store is abandoned.
            if (!hung) {
                try {
                    store.close();
                } catch (IOException | RuntimeException expected) {
                    // The machine has stopped; nothing close could do would reach the disk.
                }
            }
        }
    }

    /** Opens the last image twice and checks it; then appends once more. */
    private void verify(Path dir) {
        RecoveredState first;
        try (EventStore es = EventStore.open(dir, config)) {
            first = RecoveredState.read(es);
        } catch (IOException | RuntimeException e) {
            violations.add(new Violation(Violation.Kind.OPEN_FAILED, "opening the image of the last crash failed: " + e));
            return;
        }
        recoveredEvents = first.events().size();
        violations.addAll(StateChecker.check(history, first, settings.acknowledgedMustSurvive()));
        try (EventStore es = EventStore.open(dir, config)) {
            RecoveredState second = RecoveredState.read(es);
            String diff = first.difference(second);
            if (diff != null) violations.add(new Violation(Violation.Kind.REOPEN_CHANGED_STATE, "the second open differs from the first: " + diff));
            checkStreamRead(es, second);
            checkAppend(es, second);
        } catch (IOException | RuntimeException e) {
            violations.add(new Violation(Violation.Kind.OPEN_FAILED, "opening the recovered store a second time failed: " + e));
        }
    }

    private void checkStreamRead(EventStore es, RecoveredState state) {
        if (state.streams().isEmpty()) return;
        String stream = state.streams().get(random.nextInt(state.streams().size())).stream();
        List<UUID> expected = state.events().stream().filter(e -> e.stream().equals(stream)).map(EventRecord::id).toList();
        List<UUID> actual = new ArrayList<>();
        try (EventReader r = es.read(ReadQuery.stream(stream))) {
            for (EventRecord e; (e = r.next()) != null; ) actual.add(e.id());
        }
        if (!expected.equals(actual)) {
            violations.add(new Violation(Violation.Kind.READ_MISMATCH, "reading stream " + stream + " gave " + actual.size() + " events, the global read has " + expected.size()));
        }
    }

    private void checkAppend(EventStore es, RecoveredState state) {
        NewEvent e = new NewEvent("after/recovery", "Checked", new UUID(random.nextLong(), random.nextLong()),
                "{\"ok\":true}".getBytes(StandardCharsets.UTF_8), null);
        try {
            AppendResult r = es.append(AppendBatch.toStream(List.of(e), Expectation.NONE, Workload.MAX_EVENT_BYTES));
            if (r.firstSeq() != state.headSeq() + 1 || !r.streams().equals(List.of(new StreamRange("after/recovery", 1, 1, 1)))) {
                violations.add(new Violation(Violation.Kind.APPEND_AFTER_RECOVERY_FAILED, "head was " + state.headSeq() + ", the append got " + r));
            }
        } catch (RuntimeException x) {
            violations.add(new Violation(Violation.Kind.APPEND_AFTER_RECOVERY_FAILED, "appending after recovery failed: " + x));
        }
    }

    private void keepOperations(int round, CrashFileSystem fs) {
        String[] lines = fs.recentOperations().split("\n");
        operations.append("round ").append(round).append(", last ").append(Math.min(lines.length, 80)).append(" operations:\n");
        for (int i = Math.max(0, lines.length - 80); i < lines.length; i++) operations.append("  ").append(lines[i]).append('\n');
    }

    private static void close(CrashFileSystem fs) {
        try {
            fs.close();
        } catch (IOException e) {
            throw new IllegalStateException("closing an in-memory file system failed", e);
        }
    }

    /** How to run this scenario alone. */
    public static String replay(long seed, String test) {
        return "replay: scripts/crash-campaign 1 " + seed
                + "  (or: mvn test -Dtest='" + test + "' -Desctl.crash.seed=" + seed + " -Desctl.crash.points=1)";
    }
}
