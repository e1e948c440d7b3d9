package dev.esctl.testing.crashfs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The model behind a {@link CrashFileSystem}: which bytes and directory entries are durable,
 * which changes are not yet, the operation counter where the machine may stop, and the faults
 * to inject. Every changing operation of the file system runs while holding this object's
 * monitor (the channel or provider does the real change on jimfs and records it here in one
 * step), so that operations are numbered in the order they happen and a crash image is a
 * consistent cut. Thread-safe through that monitor.
 *
 * <p>Directory entries: creating, deleting or renaming changes a directory's live entries at
 * once and its durable entries only when the directory is forced. A rename is one change of
 * two entries, applied atomically (both or neither) on a crash; forcing either directory makes
 * it durable. Each unforced change is kept or undone independently on a crash (with the
 * entries as the directory force left them, in the order the changes were made), so a new
 * file whose directory was not forced may vanish although its data was forced, and a deleted
 * one may come back.
 */
final class Disk {
    /** One directory-entry change not yet made durable; the changes of one rename share a group. */
    private record EntryChange(long group, TrackedDirectory dir, String name, Node node) {
        void applyTo(Map<String, Node> entries) {
            if (node == null) entries.remove(name);
            else entries.put(name, node);
        }
    }

    private static final class ArmedFault {
        final Fault fault;
        long seen;

        ArmedFault(Fault fault) {
            this.fault = fault;
        }
    }

    private static final int RECENT_OPERATIONS = 400;

    private final TrackedDirectory root;
    private final List<TrackedDirectory> directories = new ArrayList<>();
    private final List<EntryChange> unforcedEntries = new ArrayList<>();
    private final Random random;
    private final CrashStats stats = new CrashStats();
    private final List<ArmedFault> faults = new ArrayList<>();
    private final long[] operationsByKind = new long[OpKind.values().length];
    private final long[] logOperationsByKind = new long[OpKind.values().length];
    /** Index files are derived: the store may keep going when they fail (see StoreIndex). */
    static final String INDEX_DIR = "/index/";
    private final ArrayDeque<String> recent = new ArrayDeque<>();
    private final Map<TrackedFile, Object> lockHolders = new IdentityHashMap<>();
    private long operations;
    private long crashAt = Long.MAX_VALUE;
    /** Alternatively, stop at the n-th operation of a kind on a matching path (counted from arming). */
    private Fault crashTrigger;
    private long crashTriggerSeen;
    private boolean stopped;
    private long stoppedAt;
    private OpKind stoppedAtKind;
    private long spaceLeft = Long.MAX_VALUE;
    private int nextId;

    /** Models what {@code fs} holds now as entirely durable (as after a clean shutdown, or as a crash image). */
    Disk(FileSystem fs, long seed) throws IOException {
        this.random = new Random(seed);
        this.root = newDirectory();
        Path rootPath = fs.getRootDirectories().iterator().next();
        scan(rootPath, root);
    }

    private void scan(Path dir, TrackedDirectory node) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                Node child;
                if (Files.isSymbolicLink(p)) {
                    throw new IOException("crashfs does not model symbolic links: " + p);
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    TrackedDirectory d = newDirectory();
                    scan(p, d);
                    child = d;
                } else {
                    child = new TrackedFile(nextId++, Files.readAllBytes(p));
                }
                node.live.put(name, child);
                node.durable.put(name, child);
            }
        }
    }

    private TrackedDirectory newDirectory() {
        TrackedDirectory d = new TrackedDirectory(nextId++);
        directories.add(d);
        return d;
    }

    // ---- numbering, crashing and faults ----

    /**
     * Numbers the next operation. Throws {@link SimulatedCrash} when the machine has stopped or
     * stops here; otherwise returns the fault that hits this operation, or null.
     */
    synchronized Fault begin(OpKind kind, Path path, String detail) {
        if (stopped) {
            throw new SimulatedCrash(stoppedAt, "the machine stopped at operation " + stoppedAt + "; " + kind + " " + path + " never happens");
        }
        long op = ++operations;
        String what = "#" + op + " " + kind + " " + path + (detail.isEmpty() ? "" : " " + detail);
        boolean triggered = crashTrigger != null && crashTrigger.kind() == kind && path.toString().contains(crashTrigger.pathContains())
                && ++crashTriggerSeen == crashTrigger.nth();
        if (op >= crashAt || triggered) {
            stopped = true;
            stoppedAt = op;
            stoppedAtKind = kind;
            remember(what + "  <- the machine stops here");
            throw new SimulatedCrash(op, "simulated crash: the machine stopped before operation " + what);
        }
        operationsByKind[kind.ordinal()]++;
        String p = path.toString();
        // The spare segment (zeros written ahead of time) holds no event until it is renamed into the log.
        boolean onLog = !p.contains(INDEX_DIR) && !p.endsWith("/index") && !p.endsWith("/next.seg.tmp");
        if (onLog) logOperationsByKind[kind.ordinal()]++;
        Fault hit = null;
        for (ArmedFault a : faults) {
            if (a.fault.kind() != kind || !p.contains(a.fault.pathContains())) continue;
            a.seen++;
            if (hit == null && (a.seen == a.fault.nth() || (a.fault.persistent() && a.seen > a.fault.nth()))) hit = a.fault;
        }
        if (hit != null) {
            stats.faultsInjected++;
            if (onLog) stats.logFaultsInjected++;
        }
        remember(hit == null ? what : what + "  <- fails: " + hit.error().message());
        return hit;
    }

    /**
     * Numbers a write of {@code length} bytes; returns how many bytes it may write (fewer for a
     * short write or when the disk fills up), or throws the injected error.
     */
    synchronized int beginWrite(Path path, long offset, int length) throws IOException {
        Fault f = begin(OpKind.WRITE, path, "@" + offset + " +" + length);
        int allowed = length;
        if (f != null) {
            if (f.error() != FaultError.SHORT_WRITE) throw f.error().exception();
            allowed = Math.max(1, length / 2);
        }
        if (spaceLeft != Long.MAX_VALUE && allowed > 0) {
            if (spaceLeft == 0) {
                stats.faultsInjected++;
                remember("  disk full: #" + operations + " fails: " + FaultError.ENOSPC.message());
                throw FaultError.ENOSPC.exception();
            }
            allowed = (int) Math.min(allowed, spaceLeft);
            spaceLeft -= allowed;
        }
        return Math.min(allowed, length);
    }

    private void remember(String what) {
        if (recent.size() == RECENT_OPERATIONS) recent.removeFirst();
        recent.addLast(what);
    }

    synchronized void crashAt(long op) {
        if (op <= operations) throw new IllegalArgumentException("operation " + op + " has already happened (" + operations + " so far)");
        crashAt = op;
    }

    synchronized void crashAt(OpKind kind, String pathContains, long nth) {
        crashTrigger = new Fault(kind, nth, FaultError.EIO, false, pathContains);
        crashTriggerSeen = 0;
    }

    synchronized void stop() {
        if (stopped) return;
        stopped = true;
        stoppedAt = operations + 1;
        remember("#" + stoppedAt + " <- the machine stops here (idle)");
    }

    synchronized void resume() {
        stopped = false;
        stoppedAtKind = null;
        crashAt = Long.MAX_VALUE;
        crashTrigger = null;
        // The kernel releases every lock of a process that dies.
        lockHolders.clear();
        remember("  the process restarts; the kernel kept its page cache and dirty pages, and released its locks");
    }

    synchronized boolean stopped() {
        return stopped;
    }

    synchronized OpKind stoppedAtKind() {
        return stoppedAtKind;
    }

    synchronized long operations() {
        return operations;
    }

    synchronized long operations(OpKind kind) {
        return operationsByKind[kind.ordinal()];
    }

    /** Operations of one kind on the log's files (everything but the derived {@code index/}). */
    synchronized long logOperations(OpKind kind) {
        return logOperationsByKind[kind.ordinal()];
    }

    synchronized void inject(Fault fault) {
        faults.add(new ArmedFault(fault));
    }

    synchronized void limitSpace(long bytes) {
        spaceLeft = bytes;
    }

    synchronized void clearFaults() {
        faults.clear();
        spaceLeft = Long.MAX_VALUE;
    }

    synchronized CrashStats stats() {
        CrashStats copy = new CrashStats();
        copy.add(stats);
        return copy;
    }

    synchronized String recentOperations() {
        return String.join("\n", recent);
    }

    // ---- the live namespace ----

    /** The node at an absolute, normalized path as the running system sees it, or null. */
    synchronized Node live(Path absolute) {
        Node n = root;
        for (Path name : absolute) {
            if (!(n instanceof TrackedDirectory d)) return null;
            n = d.live.get(name.toString());
            if (n == null) return null;
        }
        return n;
    }

    private TrackedDirectory liveParent(Path absolute) {
        Path parent = absolute.getParent();
        Node n = parent == null ? null : live(parent);
        if (!(n instanceof TrackedDirectory d)) throw new IllegalStateException("crashfs model out of step: no directory " + parent);
        return d;
    }

    private static String name(Path absolute) {
        return absolute.getFileName().toString();
    }

    // ---- recording what happened (call with the change made on jimfs, under this monitor) ----

    synchronized TrackedFile createdFile(Path absolute) {
        TrackedFile f = new TrackedFile(nextId++, new byte[0]);
        link(absolute, f);
        return f;
    }

    synchronized void createdDirectory(Path absolute) {
        link(absolute, newDirectory());
    }

    private void link(Path absolute, Node node) {
        TrackedDirectory dir = liveParent(absolute);
        dir.live.put(name(absolute), node);
        unforcedEntries.add(new EntryChange(operations, dir, name(absolute), node));
    }

    synchronized void deleted(Path absolute) {
        TrackedDirectory dir = liveParent(absolute);
        dir.live.remove(name(absolute));
        unforcedEntries.add(new EntryChange(operations, dir, name(absolute), null));
    }

    synchronized void renamed(Path from, Path to) {
        TrackedDirectory fromDir = liveParent(from);
        TrackedDirectory toDir = liveParent(to);
        Node node = fromDir.live.remove(name(from));
        if (node == null) throw new IllegalStateException("crashfs model out of step: nothing at " + from);
        toDir.live.put(name(to), node);
        unforcedEntries.add(new EntryChange(operations, fromDir, name(from), null));
        unforcedEntries.add(new EntryChange(operations, toDir, name(to), node));
    }

    synchronized void directoryForced(TrackedDirectory dir) {
        java.util.Set<Long> groups = new java.util.HashSet<>();
        for (EntryChange c : unforcedEntries) if (c.dir == dir) groups.add(c.group);
        for (Iterator<EntryChange> it = unforcedEntries.iterator(); it.hasNext(); ) {
            EntryChange c = it.next();
            if (groups.contains(c.group)) {
                c.applyTo(c.dir.durable);
                it.remove();
            }
        }
    }

    synchronized void recordWrite(TrackedFile file, long offset, byte[] bytes) {
        file.wrote(offset, bytes);
    }

    synchronized void recordTruncate(TrackedFile file, long size) {
        file.truncated(size);
    }

    synchronized void recordForce(TrackedFile file) {
        file.forced();
    }

    synchronized void forceFailed(TrackedFile file) {
        file.forceFailed(random, stats);
    }

    /** Takes the (fake, process-wide) lock on a file for {@code holder}; false when another holder has it. */
    synchronized boolean lock(TrackedFile file, Object holder) {
        Object current = lockHolders.get(file);
        if (current != null && current != holder) return false;
        lockHolders.put(file, holder);
        return true;
    }

    synchronized void unlock(TrackedFile file, Object holder) {
        lockHolders.remove(file, holder);
    }

    // ---- crash images ----

    /**
     * Writes onto {@code target} (a fresh file system) what the disk would hold after a crash
     * now: durable bytes and entries, and each unforced change kept or lost at random.
     */
    synchronized void writeCrashImage(FileSystem target, Random fate) throws IOException {
        stats.crashes++;
        Map<TrackedDirectory, Map<String, Node>> entries = new IdentityHashMap<>();
        for (TrackedDirectory d : directories) entries.put(d, new TreeMap<>(d.durable));
        for (int i = 0; i < unforcedEntries.size(); ) {
            long group = unforcedEntries.get(i).group;
            boolean keep = fate.nextBoolean();
            for (; i < unforcedEntries.size() && unforcedEntries.get(i).group == group; i++) {
                if (keep) unforcedEntries.get(i).applyTo(entries.get(unforcedEntries.get(i).dir));
            }
            if (keep) stats.entryChangesKept++;
            else stats.entryChangesUndone++;
        }
        Path rootPath = target.getRootDirectories().iterator().next();
        materialize(rootPath, root, entries, fate, new IdentityHashMap<>(), new IdentityHashMap<>());
    }

    private void materialize(Path path, TrackedDirectory dir, Map<TrackedDirectory, Map<String, Node>> entries, Random fate,
                             Map<TrackedFile, byte[]> contents, Map<TrackedDirectory, Boolean> visited) throws IOException {
        // An interleaving of undone and kept renames could bind one directory twice; write it once.
        if (visited.put(dir, Boolean.TRUE) != null) return;
        for (Map.Entry<String, Node> e : entries.get(dir).entrySet()) {
            Path child = path.resolve(e.getKey());
            switch (e.getValue()) {
                case TrackedDirectory d -> {
                    if (!Files.isDirectory(child)) Files.createDirectory(child);
                    materialize(child, d, entries, fate, contents, visited);
                }
                case TrackedFile f -> {
                    byte[] bytes = contents.get(f);
                    if (bytes == null) {
                        bytes = f.afterCrash(fate, stats).toArray();
                        contents.put(f, bytes);
                    }
                    Files.write(child, bytes);
                }
            }
        }
    }
}
