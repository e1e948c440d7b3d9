package dev.esctl.testing.crashfs;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;

/**
 * A path of a {@link CrashFileSystem}: a jimfs path that answers to the crash file system, so
 * that {@code FileChannel.open}, {@code Files.*} and friends reach its provider. Immutable and
 * thread-safe, like the path it wraps.
 */
final class CrashPath implements Path {
    private final CrashFileSystem fs;
    private final Path delegate;

    CrashPath(CrashFileSystem fs, Path delegate) {
        this.fs = fs;
        this.delegate = delegate;
    }

    Path delegate() {
        return delegate;
    }

    /** The jimfs path behind {@code p}, which must belong to {@code fs}. */
    static Path unwrap(CrashFileSystem fs, Path p) {
        if (p instanceof CrashPath c && c.fs == fs) return c.delegate;
        throw new ProviderMismatchException("not a path of " + fs + ": " + p + (p == null ? "" : " (" + p.getClass().getName() + ")"));
    }

    private CrashPath wrap(Path p) {
        return p == null ? null : new CrashPath(fs, p);
    }

    @Override public FileSystem getFileSystem() { return fs; }
    @Override public boolean isAbsolute() { return delegate.isAbsolute(); }
    @Override public Path getRoot() { return wrap(delegate.getRoot()); }
    @Override public Path getFileName() { return wrap(delegate.getFileName()); }
    @Override public Path getParent() { return wrap(delegate.getParent()); }
    @Override public int getNameCount() { return delegate.getNameCount(); }
    @Override public Path getName(int index) { return wrap(delegate.getName(index)); }
    @Override public Path subpath(int beginIndex, int endIndex) { return wrap(delegate.subpath(beginIndex, endIndex)); }
    @Override public boolean startsWith(Path other) { return other instanceof CrashPath c && c.fs == fs && delegate.startsWith(c.delegate); }
    @Override public boolean startsWith(String other) { return delegate.startsWith(other); }
    @Override public boolean endsWith(Path other) { return other instanceof CrashPath c && c.fs == fs && delegate.endsWith(c.delegate); }
    @Override public boolean endsWith(String other) { return delegate.endsWith(other); }
    @Override public Path normalize() { return wrap(delegate.normalize()); }
    @Override public Path resolve(Path other) { return wrap(delegate.resolve(unwrap(fs, other))); }
    @Override public Path resolve(String other) { return wrap(delegate.resolve(other)); }
    @Override public Path resolveSibling(Path other) { return wrap(delegate.resolveSibling(unwrap(fs, other))); }
    @Override public Path resolveSibling(String other) { return wrap(delegate.resolveSibling(other)); }
    @Override public Path relativize(Path other) { return wrap(delegate.relativize(unwrap(fs, other))); }
    @Override public Path toAbsolutePath() { return wrap(delegate.toAbsolutePath()); }
    @Override public Path toRealPath(LinkOption... options) throws IOException { return wrap(delegate.toRealPath(options)); }

    @Override
    public URI toUri() {
        try {
            return new URI(CrashFileSystemProvider.SCHEME, fs.id(), delegate.toAbsolutePath().toString(), null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
        throw new UnsupportedOperationException("crashfs has no watch service");
    }

    @Override
    public int compareTo(Path other) {
        return delegate.compareTo(unwrap(fs, other));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CrashPath c && c.fs == fs && c.delegate.equals(delegate);
    }

    @Override
    public int hashCode() {
        return delegate.hashCode();
    }

    @Override
    public String toString() {
        return delegate.toString();
    }
}
