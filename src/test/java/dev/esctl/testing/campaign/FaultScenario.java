package dev.esctl.testing.campaign;

import dev.esctl.engine.EventStore;
import dev.esctl.engine.FsyncPolicy;
import dev.esctl.engine.StoreConfig;
import dev.esctl.storage.StoreException;
import dev.esctl.testing.Seeds;
import dev.esctl.testing.crashfs.CrashFileSystem;
import dev.esctl.testing.crashfs.Fault;
import dev.esctl.testing.crashfs.FaultError;
import dev.esctl.testing.crashfs.OpKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One I/O-fault scenario: a store (fsync {@code always}, 64 KiB segments) on a
 * {@link CrashFileSystem} takes a few appends, then a fault is injected (or the disk fills up)
 * and appends go on until the writer fails. Checked, as DESIGN.md demands of a failed write
 * or fsync (fail-stop):
 * <ul>
 *   <li>the first append that failed was in flight: OUTCOME_UNKNOWN, never a plain refusal;</li>
 *   <li>the failed store writes and forces nothing more, up to and including its close (a
 *   failed fsync is never retried);</li>
 *   <li>nothing submitted after it is acknowledged; new appends get WRITER_FAILED;</li>
 *   <li>{@code writerFailure()} is set and its message names the error;</li>
 *   <li>reads keep working and show exactly the acknowledged batches;</li>
 *   <li>an I/O error during appends never goes unnoticed (the writer must stop);</li>
 *   <li>after a restart, on the same disk once the fault is gone (after first trying while
 *   it persists: a clear error or a working store, never a refusal to open as corrupt) or on
 *   the image a crash leaves, nothing acknowledged is lost, the recovered store appends, and
 *   what it acknowledges then survives a power failure too (except after a failed force: a
 *   known bug, see {@code knownBugAfterRestart}).</li>
 * </ul>
 * Short writes are not errors: the store must finish them and go on. Not thread-safe.
 */
public final class FaultScenario {
    /** How the store comes back after the failure. */
    public enum Restart {
        /** Close, then open the same file system (the page cache survives); faults are cleared first. */
        SAME_DISK,
        /** The machine crashes right after the failure; open the crash image. */
        CRASH_IMAGE
    }

    /** What is wrong with the disk: an injected fault, or a space limit (null fault). */
    public record Trouble(Fault fault, long spaceLeftBytes) {
        public static Trouble of(Fault fault) {
            return new Trouble(fault, -1);
        }

        public static Trouble diskFullAfter(long bytes) {
            return new Trouble(null, bytes);
        }

        String message() {
            return fault != null ? fault.error().message() : FaultError.ENOSPC.message();
        }

        boolean persistent() {
            return fault == null || fault.persistent();
        }

        boolean failsWrites() {
            return fault == null || fault.error() != FaultError.SHORT_WRITE;
        }

        @Override
        public String toString() {
            return fault != null ? fault.toString() : "disk full after " + spaceLeftBytes + " bytes";
        }
    }

    /** What the scenario did and found. */
    public record Result(long seed, Trouble trouble, Restart restart, List<Violation> violations, History history,
                         long faultsInjected, boolean writerFailed, boolean powerFailureSkipped, String operations) {
        public boolean failed() {
            return !violations.isEmpty();
        }

        public String describe() {
            StringBuilder b = new StringBuilder("fault scenario with seed " + seed + " (" + trouble + ", restart " + restart + "): ");
            violations.forEach(v -> b.append("\n  ").append(v));
            return b.append("\nlast operations:\n").append(operations).toString();
        }
    }

    private static final int MAX_BATCHES = 400;

    private final long seed;
    private final Trouble trouble;
    private final Restart restart;
    private final Random random;
    private final StoreConfig config;
    private final History history = new History();
    private final Workload workload;
    private final List<Violation> violations = new ArrayList<>();
    private long faultsInjected;
    private long logFaultsInjected;
    private boolean writerFailed;
    private boolean powerFailureSkipped;
    private String operations = "";

    private FaultScenario(long seed, Trouble trouble, Restart restart) {
        this.seed = seed;
        this.trouble = trouble;
        this.restart = restart;
        this.random = new Random(Seeds.mix(seed));
        this.workload = new Workload(new Random(random.nextLong()));
        this.config = new StoreConfig(StoreConfig.MIN_SEGMENT_SIZE, FsyncPolicy.ALWAYS, Workload.MAX_EVENT_BYTES, 64,
                random.nextBoolean() ? 0 : 1000, random.nextBoolean());
    }

    public static Result run(long seed, Trouble trouble, Restart restart) {
        return new FaultScenario(seed, trouble, restart).run();
    }

    private Result run() {
        CrashFileSystem fs = CrashFileSystem.create(random.nextLong());
        Path dir = fs.getPath("/store");
        try {
            EventStore store = EventStore.open(dir, config);
            long writesAtFailure, forcesAtFailure;
            try {
                appendBursts(store, 1 + random.nextInt(20), false);
                if (trouble.fault() != null) fs.inject(trouble.fault());
                else fs.limitSpace(trouble.spaceLeftBytes());
                appendBursts(store, MAX_BATCHES, true);
                faultsInjected = fs.stats().faultsInjected;
                logFaultsInjected = fs.stats().logFaultsInjected;
                writesAtFailure = fs.logOperations(OpKind.WRITE);
                forcesAtFailure = fs.logOperations(OpKind.FORCE);
                checkFailStop(store);
                checkReads(store, "while the writer is stopped", true);
            } finally {
                closeQuietly(store);
            }
            if (writerFailed && (fs.logOperations(OpKind.FORCE) != forcesAtFailure || fs.logOperations(OpKind.WRITE) != writesAtFailure)) {
                violations.add(new Violation(Violation.Kind.FAIL_STOP_BROKEN, "after the failure the store wrote its log " + (fs.logOperations(OpKind.WRITE) - writesAtFailure)
                        + " and forced it " + (fs.logOperations(OpKind.FORCE) - forcesAtFailure) + " more times, up to its close; a failed write or fsync must never be retried"));
            }
            if (restart == Restart.SAME_DISK) {
                if (trouble.persistent()) reopenWhileTheFaultPersists(fs, dir);
                fs.clearFaults();
                reopenAndAppend(dir, "after the restart");
                if (knownBugAfterRestart()) {
                    powerFailureSkipped = true;
                } else {
                    CrashFileSystem image = fs.crash(random);
                    fs.close();
                    fs = image;
                    reopenAndAppend(fs.getPath("/store"), "after a crash following the restart");
                }
            } else {
                CrashFileSystem image = fs.crash(random);
                fs.close();
                fs = image;
                reopenAndAppend(fs.getPath("/store"), "after a crash right after the failure");
            }
        } catch (IOException | RuntimeException e) {
            violations.add(new Violation(Violation.Kind.OPEN_FAILED, "unexpected " + e));
        } finally {
            operations = fs.recentOperations();
            try {
                fs.close();
            } catch (IOException e) {
                violations.add(new Violation(Violation.Kind.OPEN_FAILED, "closing the in-memory file system: " + e));
            }
        }
        return new Result(seed, trouble, restart, violations, history, faultsInjected, writerFailed, powerFailureSkipped, tail(operations, 60));
    }

    /** Appends bursts until {@code max} batches were submitted, or (when {@code untilFailure}) the writer failed. */
    private void appendBursts(EventStore store, int max, boolean untilFailure) {
        for (int submitted = 0; submitted < max; ) {
            int burst = random.nextInt(10) < 3 ? 2 + random.nextInt(4) : 1;
            List<History.Pending> pending = new ArrayList<>();
            // A lone append goes through the blocking call, which commits it on this thread.
            if (burst == 1) pending.add(history.appendHere(store, workload.next(), 0));
            else for (int i = 0; i < burst; i++) pending.add(history.submit(store, workload.next(), 0));
            submitted += burst;
            for (History.Pending p : pending) {
                if (!history.await(p)) throw new IllegalStateException(p.batch() + " did not complete in 30 s");
                if (p.batch().outcome() == Outcome.ACKNOWLEDGED) workload.observe(p.batch().result());
            }
            if (untilFailure && store.writerFailure() != null) return;
        }
    }

    private void checkFailStop(EventStore store) {
        StoreException failure = store.writerFailure();
        writerFailed = failure != null;
        if (failure == null) {
            // Only faults on the log must stop the writer; the index is derived and may fail alone.
            if (logFaultsInjected > 0 && trouble.failsWrites()) {
                violations.add(new Violation(Violation.Kind.FAIL_STOP_BROKEN, logFaultsInjected + " injected I/O errors on the log, but the writer carried on"));
            }
            return;
        }
        if (!trouble.failsWrites()) {
            violations.add(new Violation(Violation.Kind.FAIL_STOP_BROKEN, "short writes are not errors, but the writer failed: " + failure.getMessage()));
        }
        if (!failure.getMessage().contains(trouble.message())) {
            violations.add(new Violation(Violation.Kind.FAIL_STOP_BROKEN, "writerFailure() does not name the error '" + trouble.message() + "': " + failure.getMessage()));
        }
        List<SubmittedBatch> batches = history.batches();
        int first = -1;
        for (int i = 0; i < batches.size() && first < 0; i++) {
            SubmittedBatch b = batches.get(i);
            if (b.outcome() == Outcome.UNKNOWN || b.reason().startsWith(StoreException.Code.WRITER_FAILED.name())) first = i;
        }
        if (first < 0) {
            violations.add(new Violation(Violation.Kind.FAIL_STOP_BROKEN, "the writer failed, but no append was told so"));
            return;
        }
        if (batches.get(first).outcome() != Outcome.UNKNOWN) {
            violations.add(new Violation(Violation.Kind.FAIL_STOP_BROKEN, "the first failed append was in flight and must be OUTCOME_UNKNOWN: " + batches.get(first)));
        }
        for (int i = first + 1; i < batches.size(); i++) {
            SubmittedBatch b = batches.get(i);
            if (b.outcome() == Outcome.ACKNOWLEDGED) {
                violations.add(new Violation(Violation.Kind.FAIL_STOP_BROKEN, b + " was acknowledged after " + batches.get(first) + " failed"));
            } else if (b.outcome() == Outcome.REFUSED && !b.reason().startsWith("conflict") && !b.reason().startsWith(StoreException.Code.WRITER_FAILED.name())) {
                violations.add(new Violation(Violation.Kind.FAIL_STOP_BROKEN, b + " was refused for another reason than the writer failure"));
            }
        }
        for (int i = 0; i < 3; i++) {
            History.Pending p = history.submit(store, workload.next(), 0);
            history.await(p);
            if (!p.batch().reason().startsWith(StoreException.Code.WRITER_FAILED.name())) {
                violations.add(new Violation(Violation.Kind.FAIL_STOP_BROKEN, "an append after the failure got " + p.batch() + ", not WRITER_FAILED"));
            }
        }
    }

    /** Reads everything and checks it; {@code onlyAcknowledged}: the running store shows exactly what it acknowledged. */
    private void checkReads(EventStore store, String when, boolean onlyAcknowledged) {
        try {
            RecoveredState state = RecoveredState.read(store);
            for (Violation v : StateChecker.check(history, state, true)) violations.add(new Violation(v.kind(), when + ": " + v.message()));
            // In-flight batches stay invisible in the store that failed; a reopened one may have recovered them.
            long acknowledged = history.events(Outcome.ACKNOWLEDGED);
            if (onlyAcknowledged && state.events().size() != acknowledged) {
                violations.add(new Violation(Violation.Kind.READ_MISMATCH, when + ": reads show " + state.events().size() + " events, " + acknowledged + " were acknowledged"));
            }
        } catch (RuntimeException e) {
            violations.add(new Violation(Violation.Kind.READ_MISMATCH, when + ": reading failed: " + e));
        }
    }

    /**
     * While the disk still fails, opening must either work or fail with an error that names
     * the problem; never call the store corrupt (that would send an operator to fsck for a
     * full disk), and trying again must give the same answer (nothing got damaged).
     */
    private void reopenWhileTheFaultPersists(CrashFileSystem fs, Path dir) {
        String first = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            String outcome;
            try (EventStore es = EventStore.open(dir, config)) {
                outcome = "opened";
                checkReads(es, "reopened while the disk still fails", false);
            } catch (StoreException e) {
                outcome = e.code() + ": " + e.getMessage();
                if (e.code() == StoreException.Code.CORRUPT || !e.getMessage().contains(trouble.message())) {
                    violations.add(new Violation(Violation.Kind.OPEN_FAILED, "opening while the disk fails (" + trouble + ") must fail clearly, not with " + outcome));
                }
            } catch (IOException e) {
                outcome = e.toString();
                if (!String.valueOf(e.getMessage()).contains(trouble.message())) {
                    violations.add(new Violation(Violation.Kind.OPEN_FAILED, "opening while the disk fails (" + trouble + ") failed without naming it: " + e));
                }
            } catch (RuntimeException e) {
                outcome = e.toString();
                violations.add(new Violation(Violation.Kind.OPEN_FAILED, "opening while the disk fails (" + trouble + ") threw " + e));
            }
            if (first == null) first = outcome;
            else if (outcome.startsWith("opened") != first.startsWith("opened")) {
                violations.add(new Violation(Violation.Kind.OPEN_FAILED, "a second open while the disk fails changed the answer: " + first + ", then " + outcome));
            }
        }
        faultsInjected = fs.stats().faultsInjected;
    }

    private void reopenAndAppend(Path dir, String when) throws IOException {
        try (EventStore es = EventStore.open(dir, config)) {
            for (Violation v : StateChecker.check(history, RecoveredState.read(es), true)) {
                violations.add(new Violation(v.kind(), when + ": " + v.message()));
            }
            workload.observe(es);
            appendBursts(es, 3 + random.nextInt(10), false);
            if (es.writerFailure() != null) {
                violations.add(new Violation(Violation.Kind.APPEND_AFTER_RECOVERY_FAILED, when + ": the writer failed again: " + es.writerFailure().getMessage()));
            }
        } catch (StoreException e) {
            violations.add(new Violation(Violation.Kind.OPEN_FAILED, when + ": " + e.code() + ": " + e.getMessage()));
        }
    }

    /**
     * A known bug, not fixed here (see the disabled test
     * {@code RecoveryCrashRegressionTest.bytesWhoseForceFailedAreNotTrustedAfterARestart}):
     * after a failed fsync the kernel marks the pages clean, the bytes never reach the disk,
     * and a store restarted without a reboot builds acknowledged events on them; a later power
     * failure then leaves a hole before those events. So after a same-disk restart following a
     * failed force, the final power failure is skipped (and counted); everything before it,
     * fail-stop, reads, the restart and its appends, is still checked.
     */
    private boolean knownBugAfterRestart() {
        return trouble.fault() != null && trouble.fault().kind() == OpKind.FORCE && faultsInjected > 0;
    }

    private static void closeQuietly(EventStore store) {
        try {
            store.close();
        } catch (IOException | RuntimeException expected) {
            // Closing a store whose writer failed may fail too (the final force); the test is what follows.
        }
    }

    private static String tail(String lines, int n) {
        String[] all = lines.split("\n");
        return String.join("\n", java.util.Arrays.asList(all).subList(Math.max(0, all.length - n), all.length));
    }
}
