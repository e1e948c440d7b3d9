package dev.esctl.testing.crashfs;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.esctl.testing.Seeds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.spi.FileSystemProvider;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-memory file system (jimfs underneath, Unix-like) that knows what a crash would leave
 * on disk, for tests of crash safety: a filter file system in the manner of Lucene's
 * {@code FilterFileSystem}, whose paths, provider and channels record every change.
 *
 * <h2>What is durable</h2>
 * Bytes written to a file become durable when the file is forced ({@code FileChannel.force},
 * either flag); until then each write is pending. A directory entry (a created, deleted or
 * renamed file or directory) becomes durable when the directory is forced:
 * {@code FileChannel.open(dir, READ).force(true)}, as {@code dev.esctl.storage.Fsync} does.
 * Forcing a file does not make its name durable. {@link #crash(Random)} returns a new file
 * system holding what the disk would hold after a power failure now: the durable state, with
 * each pending write independently kept, dropped, torn to a prefix of 512-byte sectors or
 * replaced by garbage ({@link WriteFate}), each pending truncation kept or undone, and each
 * pending directory-entry change kept or undone (a rename as a whole). The image starts with
 * everything durable, so it can be crashed again.
 *
 * <h2>Operations</h2>
 * Every create, write, force, directory force, truncate, delete and rename is a numbered
 * operation ({@link OpKind}); {@link #crashAtOperation(long)} makes the machine stop just
 * before operation k: that operation and every later one throw {@link SimulatedCrash} and
 * change nothing, freezing what a crash would find. Reads keep working.
 *
 * <h2>Faults</h2>
 * {@link #inject(Fault)} fails the k-th operation of a kind (write, force, directory force, or
 * any other) with EIO, ENOSPC or a short write, once or persistently; {@link #limitSpace(long)} fills the
 * disk after so many more bytes (a short write, then ENOSPC). A failed force loses the file's
 * pending writes the way Linux does (see {@link Fault}).
 *
 * <h2>Limits</h2>
 * {@code FileChannel.map} throws {@link UnsupportedOperationException}; file locks are
 * in-process fakes; no symbolic links, watch services or {@code DELETE_ON_CLOSE}; files stay
 * below 2 GiB. Thread-safe: all changes are serialized on one monitor, reads are not.
 */
public final class CrashFileSystem extends FileSystem {
    private static final AtomicLong IDS = new AtomicLong();

    private final FileSystem delegate;
    private final Disk disk;
    private final CrashFileSystemProvider provider;
    private final String id = "fs" + IDS.incrementAndGet();

    private CrashFileSystem(FileSystem delegate, long seed) throws IOException {
        this.delegate = delegate;
        this.disk = new Disk(delegate, seed);
        this.provider = new CrashFileSystemProvider(this, disk);
    }

    /** An empty file system; {@code seed} drives the fates of writes lost by a failed force. */
    public static CrashFileSystem create(long seed) {
        try {
            return new CrashFileSystem(Jimfs.newFileSystem(Configuration.unix()), Seeds.mix(seed));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String id() {
        return id;
    }

    /** Stops the machine just before operation {@code op} (1-based, counted since this file system was created). */
    public void crashAtOperation(long op) {
        disk.crashAt(op);
    }

    /**
     * Stops the machine just before the {@code nth} operation of {@code kind} (counted from now)
     * on a path containing {@code pathContains}: a crash at a named step, e.g. the first
     * truncation of a segment file.
     */
    public void crashAtOperation(OpKind kind, String pathContains, long nth) {
        disk.crashAt(kind, pathContains, nth);
    }

    /** Stops the machine now: every later changing operation throws {@link SimulatedCrash}. */
    public void stopTheWorld() {
        disk.stop();
    }

    /**
     * Turns a stop into a process crash (kill -9) instead of a power failure: operations work
     * again on the same state. What was written stays visible and what was not forced stays
     * pending, as the kernel keeps its page cache when a process dies, and every file lock is
     * released, as the kernel releases a dead process's locks; a later
     * {@link #crash(Random)} then decides what of it the disk holds.
     */
    public void restartProcess() {
        disk.resume();
    }

    /** True once the machine has stopped (at the chosen operation, or by {@link #stopTheWorld()}). */
    public boolean stopped() {
        return disk.stopped();
    }

    /** The kind of operation the machine stopped at; null while running or when stopped while idle. */
    public OpKind stoppedAt() {
        return disk.stoppedAtKind();
    }

    /** Operations numbered so far. */
    public long operations() {
        return disk.operations();
    }

    /** Operations of one kind so far (not counting one the machine stopped at). */
    public long operations(OpKind kind) {
        return disk.operations(kind);
    }

    /** Operations of one kind on the log's files, not counting the derived {@code index/} directory. */
    public long logOperations(OpKind kind) {
        return disk.logOperations(kind);
    }

    /**
     * Stops the machine and returns what its disk holds after the power failure: a new file
     * system, in which everything is durable. {@code random} decides every lost change.
     */
    public CrashFileSystem crash(Random random) {
        stopTheWorld();
        return imageAfterCrash(random);
    }

    /** The disk as a crash now would leave it, while this file system keeps running. */
    public CrashFileSystem imageAfterCrash(Random random) {
        // java.util.Random seeded with small neighbouring numbers starts with nearly equal
        // draws (seeds 0..299 all give the same first boolean); mixing the seed decorrelates them.
        Random fate = new Random(Seeds.mix(random.nextLong()));
        try {
            FileSystem image = Jimfs.newFileSystem(Configuration.unix());
            disk.writeCrashImage(image, fate);
            return new CrashFileSystem(image, fate.nextLong());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void inject(Fault fault) {
        disk.inject(fault);
    }

    /** After {@code bytes} more bytes are written, writes are short and then fail with ENOSPC. */
    public void limitSpace(long bytes) {
        disk.limitSpace(bytes);
    }

    /** Removes every injected fault and the space limit: the disk works again. */
    public void clearFaults() {
        disk.clearFaults();
    }

    /** What crashes and faults of this file system did so far (a copy). */
    public CrashStats stats() {
        return disk.stats();
    }

    /** The last few hundred operations, one a line, marking the one the machine stopped at and faults. */
    public String recentOperations() {
        return disk.recentOperations();
    }

    @Override
    public FileSystemProvider provider() {
        return provider;
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }

    @Override
    public boolean isOpen() {
        return delegate.isOpen();
    }

    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public String getSeparator() {
        return delegate.getSeparator();
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        return () -> {
            java.util.Iterator<Path> it = delegate.getRootDirectories().iterator();
            return new java.util.Iterator<>() {
                @Override public boolean hasNext() { return it.hasNext(); }
                @Override public Path next() { return new CrashPath(CrashFileSystem.this, it.next()); }
            };
        };
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return delegate.getFileStores();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return delegate.supportedFileAttributeViews();
    }

    @Override
    public Path getPath(String first, String... more) {
        return new CrashPath(this, delegate.getPath(first, more));
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        PathMatcher m = delegate.getPathMatcher(syntaxAndPattern);
        return p -> m.matches(CrashPath.unwrap(this, p));
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        return delegate.getUserPrincipalLookupService();
    }

    @Override
    public WatchService newWatchService() {
        throw new UnsupportedOperationException("crashfs has no watch service");
    }

    @Override
    public String toString() {
        return "crashfs:" + id;
    }

    /** Only for assertions in tests of this package: the jimfs file system behind. */
    FileSystem delegate() {
        return delegate;
    }
}
