package dev.esctl.testing.crashfs;

import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.testing.Dirs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The crash file system itself: what survives a crash, what may not, where the machine stops,
 * and what injected faults do. If these did not hold, a green crash campaign would prove nothing.
 */
class CrashFileSystemTest {
    private static final int SEEDS = 300;

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static void write(FileChannel ch, long at, byte[] b) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b);
        while (buf.hasRemaining()) at += ch.write(buf, at);
    }

    private static FileChannel openNew(Path p) throws IOException {
        return FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    private static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** A file system with /d/f holding {@code base}, all of it durable. */
    private static CrashFileSystem withDurableFile(byte[] base) throws IOException {
        return withDurableFile(base, 1);
    }

    private static CrashFileSystem withDurableFile(byte[] base, long seed) throws IOException {
        CrashFileSystem fs = CrashFileSystem.create(seed);
        Files.createDirectory(fs.getPath("/d"));
        forceDirectory(fs.getPath("/"));
        try (FileChannel ch = openNew(fs.getPath("/d/f"))) {
            write(ch, 0, base);
            ch.force(false);
        }
        forceDirectory(fs.getPath("/d"));
        return fs;
    }

    private static byte[] readOrNull(CrashFileSystem fs, String path) throws IOException {
        Path p = fs.getPath(path);
        return Files.exists(p) ? Files.readAllBytes(p) : null;
    }

    @Test
    void forcedBytesAndForcedEntriesSurviveEveryCrash() throws IOException {
        byte[] base = bytes(5000, 1);
        CrashFileSystem fs = withDurableFile(base);
        for (int seed = 0; seed < SEEDS; seed++) {
            try (CrashFileSystem image = fs.imageAfterCrash(new Random(seed))) {
                assertArrayEquals(base, readOrNull(image, "/d/f"), "seed " + seed);
            }
        }
    }

    @Test
    void anUnforcedWriteIsKeptDroppedTornAtASectorBoundaryOrGarbled() throws IOException {
        byte[] base = bytes(1000, 1);
        byte[] update = bytes(3000, 2);
        long at = 700;
        CrashFileSystem fs = withDurableFile(base);
        try (FileChannel ch = FileChannel.open(fs.getPath("/d/f"), StandardOpenOption.WRITE)) {
            write(ch, at, update);
        }
        byte[] live = Files.readAllBytes(fs.getPath("/d/f"));
        assertEquals(3700, live.length, "the running system sees the write at once");
        EnumSet<WriteFate> seen = EnumSet.noneOf(WriteFate.class);
        for (int seed = 0; seed < SEEDS; seed++) {
            byte[] after;
            try (CrashFileSystem image = fs.imageAfterCrash(new Random(seed))) {
                after = readOrNull(image, "/d/f");
            }
            assertNotNull(after, "seed " + seed);
            assertArrayEquals(Arrays.copyOf(base, (int) at), Arrays.copyOf(after, (int) at), "bytes before the write are durable, seed " + seed);
            if (Arrays.equals(after, live)) {
                seen.add(WriteFate.KEEP);
            } else if (Arrays.equals(after, base)) {
                seen.add(WriteFate.DROP);
            } else if (after.length < live.length) {
                assertEquals(0, after.length % WriteFate.SECTOR_BYTES, "a torn write ends at a sector boundary, seed " + seed);
                assertArrayEquals(Arrays.copyOf(live, after.length), after, "a torn write keeps a prefix, seed " + seed);
                seen.add(WriteFate.TORN);
            } else {
                assertEquals(live.length, after.length, "seed " + seed);
                seen.add(WriteFate.GARBAGE);
            }
        }
        assertEquals(EnumSet.allOf(WriteFate.class), seen, "every fate happens across " + SEEDS + " seeds");
    }

    @Test
    void aNewFileVanishesUnlessItsDirectoryWasForced() throws IOException {
        CrashFileSystem fs = withDurableFile(new byte[10]);
        try (FileChannel ch = openNew(fs.getPath("/d/new"))) {
            write(ch, 0, bytes(100, 3));
            ch.force(true);
        }
        int present = 0;
        for (int seed = 0; seed < SEEDS; seed++) {
            try (CrashFileSystem image = fs.imageAfterCrash(new Random(seed))) {
                byte[] b = readOrNull(image, "/d/new");
                if (b != null) {
                    present++;
                    assertArrayEquals(bytes(100, 3), b, "its forced data is all there when its name is, seed " + seed);
                }
            }
        }
        assertTrue(present > 0 && present < SEEDS, "present in " + present + " of " + SEEDS + " images");
        forceDirectory(fs.getPath("/d"));
        for (int seed = 0; seed < SEEDS; seed++) {
            try (CrashFileSystem image = fs.imageAfterCrash(new Random(seed))) {
                assertNotNull(readOrNull(image, "/d/new"), "seed " + seed);
            }
        }
    }

    @Test
    void anUnforcedRenameHappensEntirelyOrNotAtAll() throws IOException {
        byte[] base = bytes(700, 4);
        CrashFileSystem fs = withDurableFile(base);
        Files.move(fs.getPath("/d/f"), fs.getPath("/d/g"), StandardCopyOption.ATOMIC_MOVE);
        int renamed = 0;
        for (int seed = 0; seed < SEEDS; seed++) {
            try (CrashFileSystem image = fs.imageAfterCrash(new Random(seed))) {
                byte[] f = readOrNull(image, "/d/f"), g = readOrNull(image, "/d/g");
                assertTrue(f == null ^ g == null, "exactly one of the names exists, seed " + seed);
                assertArrayEquals(base, f == null ? g : f, "seed " + seed);
                if (g != null) renamed++;
            }
        }
        assertTrue(renamed > 0 && renamed < SEEDS, "renamed in " + renamed + " of " + SEEDS);
        forceDirectory(fs.getPath("/d"));
        try (CrashFileSystem image = fs.imageAfterCrash(new Random(0))) {
            assertNull(readOrNull(image, "/d/f"));
            assertArrayEquals(base, readOrNull(image, "/d/g"));
        }
    }

    @Test
    void anUnforcedDeleteOrTruncationMayBeUndone() throws IOException {
        byte[] base = bytes(3000, 5);
        CrashFileSystem fs = withDurableFile(base);
        try (FileChannel ch = openNew(fs.getPath("/d/gone"))) {
            ch.force(true);
        }
        forceDirectory(fs.getPath("/d"));
        Files.delete(fs.getPath("/d/gone"));
        try (FileChannel ch = FileChannel.open(fs.getPath("/d/f"), StandardOpenOption.WRITE)) {
            ch.truncate(1000);
        }
        int deleted = 0, truncated = 0;
        for (int seed = 0; seed < SEEDS; seed++) {
            try (CrashFileSystem image = fs.imageAfterCrash(new Random(seed))) {
                if (readOrNull(image, "/d/gone") == null) deleted++;
                byte[] f = readOrNull(image, "/d/f");
                assertTrue(f.length == 1000 || f.length == 3000, "seed " + seed);
                assertArrayEquals(Arrays.copyOf(base, f.length), f, "seed " + seed);
                if (f.length == 1000) truncated++;
            }
        }
        assertTrue(deleted > 0 && deleted < SEEDS, "deleted in " + deleted);
        assertTrue(truncated > 0 && truncated < SEEDS, "truncated in " + truncated);
    }

    @Test
    void theMachineStopsJustBeforeTheChosenOperationAndNothingChangesAfter() throws IOException {
        CrashFileSystem fs = withDurableFile(bytes(100, 6));
        long before = fs.operations();
        fs.crashAtOperation(before + 3);
        FileChannel ch = FileChannel.open(fs.getPath("/d/f"), StandardOpenOption.WRITE, StandardOpenOption.READ);
        write(ch, 100, bytes(10, 7));                       // before + 1
        ch.force(false);                                      // before + 2
        SimulatedCrash crash = assertThrows(SimulatedCrash.class, () -> write(ch, 110, bytes(10, 8)));
        assertEquals(before + 3, crash.operation());
        assertTrue(crash.getMessage().contains("WRITE /d/f @110 +10"), crash.getMessage());
        assertTrue(fs.stopped());
        assertThrows(SimulatedCrash.class, () -> ch.force(true), "nothing reaches the disk any more");
        assertThrows(SimulatedCrash.class, () -> Files.createDirectory(fs.getPath("/late")));
        assertEquals(110, Files.size(fs.getPath("/d/f")), "reads still work, and the stopped write never happened");
        ch.close();
        assertTrue(fs.recentOperations().contains("<- the machine stops here"), fs.recentOperations());
        for (int seed = 0; seed < 50; seed++) {
            try (CrashFileSystem image = fs.imageAfterCrash(new Random(seed))) {
                assertEquals(110, readOrNull(image, "/d/f").length, "what was forced before the stop survives, seed " + seed);
                assertFalse(Files.exists(image.getPath("/late")));
            }
        }
    }

    @Test
    void theImageOfACrashCanItselfCrash() throws IOException {
        CrashFileSystem fs = withDurableFile(bytes(100, 9));
        CrashFileSystem image = fs.crash(new Random(1));
        assertTrue(fs.stopped());
        assertFalse(image.stopped());
        assertEquals(0, image.operations());
        try (FileChannel ch = openNew(image.getPath("/d/second"))) {
            write(ch, 0, bytes(10, 1));
        }
        CrashFileSystem again = image.crash(new Random(2));
        assertArrayEquals(bytes(100, 9), readOrNull(again, "/d/f"));
        assertEquals(1, fs.stats().crashes);
        assertEquals(1, image.stats().crashes);
    }

    @Test
    void aWriteFaultFailsTheNthWriteOnceOrForEver() throws IOException {
        CrashFileSystem fs = withDurableFile(new byte[0]);
        fs.inject(Fault.once(OpKind.WRITE, 2, FaultError.EIO));
        try (FileChannel ch = FileChannel.open(fs.getPath("/d/f"), StandardOpenOption.WRITE)) {
            write(ch, 0, new byte[10]);
            IOException x = assertThrows(IOException.class, () -> write(ch, 10, new byte[10]));
            assertEquals("EIO", x.getMessage());
            assertEquals(10, ch.size(), "the failed write changed nothing");
            write(ch, 10, new byte[10]);
        }
        fs.clearFaults();
        fs.inject(Fault.persistent(OpKind.WRITE, 1, FaultError.ENOSPC).onPathsContaining("/d/f"));
        try (FileChannel ch = FileChannel.open(fs.getPath("/d/f"), StandardOpenOption.WRITE)) {
            for (int i = 0; i < 3; i++) {
                assertEquals("No space left on device", assertThrows(IOException.class, () -> write(ch, 0, new byte[1])).getMessage());
            }
        }
        assertEquals(4, fs.stats().faultsInjected);
    }

    @Test
    void aShortWriteStoresHalfAndReturnsTheCount() throws IOException {
        CrashFileSystem fs = withDurableFile(new byte[0]);
        fs.inject(Fault.once(OpKind.WRITE, 1, FaultError.SHORT_WRITE));
        try (FileChannel ch = FileChannel.open(fs.getPath("/d/f"), StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(bytes(100, 1));
            assertEquals(50, ch.write(b, 0));
            assertEquals(50, b.remaining());
            assertEquals(50, ch.write(b, 50));
        }
        assertArrayEquals(bytes(100, 1), Files.readAllBytes(fs.getPath("/d/f")));
    }

    @Test
    void aFullDiskWritesWhatFitsThenFailsUntilSpaceIsBack() throws IOException {
        CrashFileSystem fs = withDurableFile(new byte[0]);
        fs.limitSpace(30);
        try (FileChannel ch = FileChannel.open(fs.getPath("/d/f"), StandardOpenOption.WRITE)) {
            assertEquals(20, ch.write(ByteBuffer.wrap(new byte[20]), 0));
            assertEquals(10, ch.write(ByteBuffer.wrap(new byte[20]), 20), "a short write fills the disk");
            assertEquals("No space left on device", assertThrows(IOException.class, () -> ch.write(ByteBuffer.wrap(new byte[1]), 30)).getMessage());
            fs.clearFaults();
            assertEquals(1, ch.write(ByteBuffer.wrap(new byte[1]), 30));
        }
    }

    @Test
    void aFailedForceLosesThePendingWritesOnDiskButNotInThePageCache() throws IOException {
        byte[] base = bytes(1000, 1);
        int lost = 0;
        for (long fsSeed = 0; fsSeed < 40; fsSeed++) {
            CrashFileSystem fs = withDurableFile(base, fsSeed);
            fs.inject(Fault.once(OpKind.FORCE, 1, FaultError.EIO));
            try (FileChannel ch = FileChannel.open(fs.getPath("/d/f"), StandardOpenOption.WRITE)) {
                write(ch, 1000, bytes(4000, 2));
                assertEquals("EIO", assertThrows(IOException.class, () -> ch.force(false)).getMessage());
                ch.force(false); // "succeeds", as a retried fsync does on Linux, but the lost pages stay lost
            }
            byte[] live = Files.readAllBytes(fs.getPath("/d/f"));
            assertEquals(5000, live.length, "reads still see the bytes");
            byte[] first = null;
            for (int seed = 0; seed < 20; seed++) {
                try (CrashFileSystem image = fs.imageAfterCrash(new Random(seed))) {
                    byte[] f = readOrNull(image, "/d/f");
                    assertArrayEquals(base, Arrays.copyOf(f, 1000), "fs seed " + fsSeed + ", seed " + seed);
                    // The failed force decided the write's fate once; every later crash image agrees on it.
                    if (first == null) first = f;
                    else assertArrayEquals(first, f, "fs seed " + fsSeed + ", seed " + seed);
                }
            }
            if (!Arrays.equals(live, first)) lost++;
        }
        assertTrue(lost > 0, "a failed force lost (part of) the write for " + lost + " of 40 file systems");
    }

    @Test
    void aDirectoryForceIsAnOperationThatCanFail() throws IOException {
        CrashFileSystem fs = withDurableFile(new byte[0]);
        long forces = fs.operations(OpKind.DIRECTORY_FORCE);
        fs.inject(Fault.once(OpKind.DIRECTORY_FORCE, 1, FaultError.EIO));
        try (FileChannel ch = FileChannel.open(fs.getPath("/d"), StandardOpenOption.READ)) {
            assertEquals("EIO", assertThrows(IOException.class, () -> ch.force(true)).getMessage());
            ch.force(true);
            assertThrows(IOException.class, () -> ch.read(ByteBuffer.allocate(1)), "a directory cannot be read as a file");
        }
        assertEquals(forces + 2, fs.operations(OpKind.DIRECTORY_FORCE));
        assertThrows(IOException.class, () -> FileChannel.open(fs.getPath("/d"), StandardOpenOption.WRITE));
    }

    @Test
    void mappingIsUnsupportedAndLocksExcludeEachOther() throws IOException {
        CrashFileSystem fs = withDurableFile(new byte[100]);
        try (FileChannel a = FileChannel.open(fs.getPath("/d/f"), StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileChannel b = FileChannel.open(fs.getPath("/d/f"), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            assertThrows(UnsupportedOperationException.class, () -> a.map(FileChannel.MapMode.READ_ONLY, 0, 100));
            FileLock lock = a.tryLock();
            assertTrue(lock.isValid());
            assertThrows(OverlappingFileLockException.class, b::tryLock);
            lock.release();
            assertFalse(lock.isValid());
            b.tryLock().release();
        }
    }

    @Test
    void theFilesApiWorksThroughIt() throws IOException {
        CrashFileSystem fs = CrashFileSystem.create(1);
        Path root = fs.getPath("/a");
        Files.createDirectories(root.resolve("b/c"));
        Files.write(root.resolve("b/c/x"), bytes(10, 1));
        Files.write(root.resolve("y"), bytes(20, 2));
        Dirs.copy(root, fs.getPath("/copy"));
        try (Stream<Path> walk = Files.walk(fs.getPath("/copy"))) {
            assertEquals(List.of("/copy", "/copy/b", "/copy/b/c", "/copy/b/c/x", "/copy/y"), walk.map(Path::toString).sorted().toList());
        }
        assertArrayEquals(bytes(10, 1), Files.readAllBytes(fs.getPath("/copy/b/c/x")));
        assertSame(fs, fs.getPath("/copy").resolve("y").getFileSystem());
        Files.delete(fs.getPath("/copy/y"));
        assertFalse(Files.exists(fs.getPath("/copy/y")));
        assertTrue(Files.isDirectory(fs.getPath("/copy/b")));
        assertTrue(fs.operations(OpKind.CREATE) >= 8, "directories and files created: " + fs.operations(OpKind.CREATE));
    }

    @Test
    void theMachineCanStopAtANamedStep() throws IOException {
        CrashFileSystem fs = withDurableFile(new byte[0]);
        fs.crashAtOperation(OpKind.FORCE, "/d/f", 2);
        try (FileChannel ch = FileChannel.open(fs.getPath("/d/f"), StandardOpenOption.WRITE)) {
            write(ch, 0, new byte[10]);
            ch.force(false);
            write(ch, 10, new byte[10]);
            SimulatedCrash crash = assertThrows(SimulatedCrash.class, () -> ch.force(false));
            assertTrue(crash.getMessage().contains("FORCE /d/f"), crash.getMessage());
        }
        assertEquals(OpKind.FORCE, fs.stoppedAt());
    }

    @Test
    void aProcessCrashKeepsThePageCacheAndReleasesLocksButLeavesUnforcedWritesAtRisk() throws IOException {
        byte[] base = bytes(600, 1);
        CrashFileSystem fs = withDurableFile(base);
        FileChannel dead = FileChannel.open(fs.getPath("/d/f"), StandardOpenOption.READ, StandardOpenOption.WRITE);
        dead.tryLock();
        write(dead, 600, bytes(2000, 2));
        fs.stopTheWorld();
        fs.restartProcess();
        assertFalse(fs.stopped());
        assertEquals(2600, Files.size(fs.getPath("/d/f")), "the restarted process sees what the dead one wrote");
        try (FileChannel ch = FileChannel.open(fs.getPath("/d/f"), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            assertNotNull(ch.tryLock(), "the dead process's lock is gone");
        }
        int lost = 0;
        for (int seed = 0; seed < 100; seed++) {
            try (CrashFileSystem image = fs.imageAfterCrash(new Random(seed))) {
                if (!Arrays.equals(Files.readAllBytes(fs.getPath("/d/f")), readOrNull(image, "/d/f"))) lost++;
            }
        }
        assertTrue(lost > 0, "unforced writes of the dead process can still be lost in a power failure");
        try (FileChannel ch = FileChannel.open(fs.getPath("/d/f"), StandardOpenOption.WRITE)) {
            ch.force(true); // the restarted process forces: the dirty pages reach the disk
        }
        for (int seed = 0; seed < 100; seed++) {
            try (CrashFileSystem image = fs.imageAfterCrash(new Random(seed))) {
                assertArrayEquals(Files.readAllBytes(fs.getPath("/d/f")), readOrNull(image, "/d/f"), "seed " + seed);
            }
        }
        dead.close();
    }
}
