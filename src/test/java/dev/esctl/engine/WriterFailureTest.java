package dev.esctl.engine;

import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.testing.Seeds;
import dev.esctl.testing.campaign.FaultScenario;
import dev.esctl.testing.campaign.FaultScenario.Restart;
import dev.esctl.testing.campaign.FaultScenario.Trouble;
import dev.esctl.testing.crashfs.Fault;
import dev.esctl.testing.crashfs.FaultError;
import dev.esctl.testing.crashfs.OpKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The writer is fail-stop (DESIGN.md, "Write path"): a failed write, fsync or directory fsync
 * stops it; the appends in flight are told OUTCOME_UNKNOWN, later ones WRITER_FAILED, nothing
 * is acknowledged after the failure, reads keep working, and a restart (same disk once the
 * fault is gone, or the image of a crash) recovers with nothing acknowledged lost. The
 * properties are checked by {@link FaultScenario}; this class chooses the faults.
 */
class WriterFailureTest {
    static Stream<Arguments> faults() {
        List<Arguments> out = new ArrayList<>();
        for (OpKind kind : List.of(OpKind.WRITE, OpKind.FORCE, OpKind.DIRECTORY_FORCE)) {
            for (FaultError error : List.of(FaultError.EIO, FaultError.ENOSPC)) {
                for (boolean persistent : List.of(false, true)) {
                    for (Restart restart : Restart.values()) {
                        // The log's directory is forced when a segment is created, so the first such
                        // force after the fault is armed is the next roll; segment writes and forces
                        // happen per group. Background I/O is left alone here: the index's (its faults
                        // are the index's, see IndexFaultTest) and the spare segment's (it holds no
                        // event); the random campaign below hits every file.
                        long nth = kind == OpKind.DIRECTORY_FORCE ? 1 : 3;
                        Fault f = persistent ? Fault.persistent(kind, nth, error) : Fault.once(kind, nth, error);
                        f = f.onPathsContaining(kind == OpKind.DIRECTORY_FORCE ? "/segments" : "/segments/0");
                        out.add(Arguments.of(f, restart));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, restart {1}")
    @MethodSource("faults")
    void aFailedWriteOrForceStopsTheWriterAndARestartLosesNothingAcknowledged(Fault fault, Restart restart) {
        FaultScenario.Result r = FaultScenario.run(fault.hashCode() * 31L + restart.ordinal(), Trouble.of(fault), restart);
        assertFalse(r.failed(), r::describe);
        assertTrue(r.faultsInjected() > 0, () -> "the fault never hit: " + r.describe());
        assertTrue(r.writerFailed(), r::describe);
    }

    @Test
    void shortWritesAreFinishedNotTreatedAsFailures() {
        for (Fault f : List.of(Fault.once(OpKind.WRITE, 3, FaultError.SHORT_WRITE), Fault.persistent(OpKind.WRITE, 1, FaultError.SHORT_WRITE))) {
            FaultScenario.Result r = FaultScenario.run(7, Trouble.of(f), Restart.CRASH_IMAGE);
            assertFalse(r.failed(), r::describe);
            assertTrue(r.faultsInjected() > 0, r::describe);
            assertFalse(r.writerFailed(), r::describe);
        }
    }

    @Test
    void aFullDiskIsAClearErrorAndTheStoreReopensOnceSpaceIsBack() {
        // 100 KB: a couple of dozen appends, usually a roll, then a short write and ENOSPC.
        FaultScenario.Result r = FaultScenario.run(11, Trouble.diskFullAfter(100_000), Restart.SAME_DISK);
        assertFalse(r.failed(), r::describe);
        assertTrue(r.writerFailed(), r::describe);
    }

    /**
     * Random faults (kind, error, which occurrence, once or for ever, on segments, the
     * checkpoint or anything), each scenario restarting one way or the other. A fresh master
     * seed each run; replay with {@code -Desctl.fault.seed=SEED -Desctl.fault.scenarios=1}.
     */
    @Test
    void randomFaultsNeverLoseAnAcknowledgedEvent() {
        long master = Seeds.fromProperty("esctl.fault.seed");
        int scenarios = Integer.getInteger("esctl.fault.scenarios", 150);
        long injected = 0, writerFailures = 0, acknowledged = 0, skipped = 0;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < scenarios; i++) {
            long seed = Seeds.iteration(master, i);
            Random r = new Random(Seeds.mix(seed));
            Trouble trouble = r.nextInt(8) == 0 ? Trouble.diskFullAfter(20_000 + r.nextInt(200_000)) : Trouble.of(randomFault(r));
            FaultScenario.Result result = FaultScenario.run(seed, trouble, r.nextBoolean() ? Restart.SAME_DISK : Restart.CRASH_IMAGE);
            injected += result.faultsInjected();
            writerFailures += result.writerFailed() ? 1 : 0;
            skipped += result.powerFailureSkipped() ? 1 : 0;
            acknowledged += result.history().events(dev.esctl.testing.campaign.Outcome.ACKNOWLEDGED);
            if (result.failed() && failures.size() < 3) {
                failures.add(result.describe() + "\nreplay: mvn test -Dtest='WriterFailureTest#randomFaultsNeverLoseAnAcknowledgedEvent' -Desctl.fault.seed=" + seed + " -Desctl.fault.scenarios=1");
            }
        }
        System.out.println("fault campaign: " + scenarios + " scenarios (master seed " + master + "), " + injected + " faults injected, "
                + writerFailures + " writer failures, " + acknowledged + " events acknowledged, " + failures.size() + " failed; "
                + skipped + " power failures after a same-disk restart skipped for the known failed-fsync bug");
        assertTrue(failures.isEmpty(), () -> "fault campaign with master seed " + master + " failed:\n" + String.join("\n\n", failures));
    }

    private static Fault randomFault(Random r) {
        OpKind[] kinds = {OpKind.WRITE, OpKind.WRITE, OpKind.FORCE, OpKind.FORCE, OpKind.DIRECTORY_FORCE, OpKind.CREATE, OpKind.TRUNCATE};
        OpKind kind = kinds[r.nextInt(kinds.length)];
        FaultError error = kind == OpKind.WRITE && r.nextInt(4) == 0 ? FaultError.SHORT_WRITE
                : r.nextBoolean() ? FaultError.EIO : FaultError.ENOSPC;
        long nth = 1 + r.nextInt(kind == OpKind.WRITE || kind == OpKind.FORCE ? 12 : 2);
        Fault f = r.nextBoolean() ? Fault.persistent(kind, nth, error) : Fault.once(kind, nth, error);
        return switch (r.nextInt(4)) {
            case 0 -> f.onPathsContaining(".seg");
            case 1 -> f.onPathsContaining("checkpoint");
            default -> f;
        };
    }
}
