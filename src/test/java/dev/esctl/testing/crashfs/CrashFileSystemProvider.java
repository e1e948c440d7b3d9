package dev.esctl.testing.crashfs;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.spi.FileSystemProvider;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The provider of one {@link CrashFileSystem} (not installed; reached through its paths). It
 * passes queries straight to jimfs and turns every change into numbered operations recorded
 * in the {@link Disk}: creating a file or directory, deleting, renaming, opening with
 * {@code TRUNCATE_EXISTING}; writes and forces go through {@link CrashFileChannel}.
 * {@code FileChannel.open(dir, READ)} gives a {@link DirectoryChannel}. Symbolic links,
 * {@code DELETE_ON_CLOSE} and watch services are not supported. Thread-safe.
 */
final class CrashFileSystemProvider extends FileSystemProvider {
    static final String SCHEME = "crashfs";

    private final CrashFileSystem fs;
    private final Disk disk;

    CrashFileSystemProvider(CrashFileSystem fs, Disk disk) {
        this.fs = fs;
        this.disk = disk;
    }

    private Path real(Path p) {
        return CrashPath.unwrap(fs, p);
    }

    /** The absolute, normalized jimfs path: the key into the Disk's model. */
    private Path absolute(Path p) {
        return real(p).toAbsolutePath().normalize();
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
        throw new UnsupportedOperationException("use CrashFileSystem.create");
    }

    @Override
    public FileSystem getFileSystem(URI uri) {
        throw new UnsupportedOperationException("crashfs file systems are not registered; keep a reference");
    }

    @Override
    public Path getPath(URI uri) {
        throw new UnsupportedOperationException("crashfs file systems are not registered; use CrashFileSystem.getPath");
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        return newFileChannel(path, options, attrs);
    }

    @Override
    public FileChannel newFileChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        if (options.contains(StandardOpenOption.DELETE_ON_CLOSE)) throw new UnsupportedOperationException("crashfs does not support DELETE_ON_CLOSE");
        Path abs = absolute(path);
        boolean append = options.contains(StandardOpenOption.APPEND);
        boolean writable = append || options.contains(StandardOpenOption.WRITE);
        boolean sync = options.contains(StandardOpenOption.SYNC) || options.contains(StandardOpenOption.DSYNC);
        synchronized (disk) {
            Node existing = disk.live(abs);
            if (existing instanceof TrackedDirectory dir) {
                if (writable) throw new FileSystemException(path.toString(), null, "Is a directory");
                return new DirectoryChannel(disk, abs, dir);
            }
            boolean create = existing == null && writable
                    && (options.contains(StandardOpenOption.CREATE_NEW) || options.contains(StandardOpenOption.CREATE));
            if (existing != null && writable && options.contains(StandardOpenOption.CREATE_NEW)) throw new FileAlreadyExistsException(path.toString());
            if (create) {
                Fault f = disk.begin(OpKind.CREATE, abs, "file");
                if (f != null) throw f.error().exception();
            }
            // Truncation and sync are done here, so that they are numbered operations too.
            Set<OpenOption> passed = new HashSet<>(options);
            passed.removeAll(Arrays.asList(StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC, StandardOpenOption.DSYNC));
            FileChannel channel = abs.getFileSystem().provider().newFileChannel(abs, passed, attrs);
            TrackedFile file = create ? disk.createdFile(abs) : (TrackedFile) disk.live(abs);
            if (file == null) {
                channel.close();
                throw new IllegalStateException("crashfs model out of step: jimfs opened " + abs + " but the model has no such file");
            }
            CrashFileChannel crash = new CrashFileChannel(disk, abs, channel, file, append, writable, sync);
            if (writable && !create && options.contains(StandardOpenOption.TRUNCATE_EXISTING)) {
                try {
                    crash.truncate(0);
                } catch (IOException | RuntimeException e) {
                    crash.close();
                    throw e;
                }
            }
            return crash;
        }
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
        DirectoryStream<Path> inner = Files.newDirectoryStream(real(dir), p -> filter.accept(new CrashPath(fs, p)));
        return new DirectoryStream<>() {
            @Override
            public Iterator<Path> iterator() {
                Iterator<Path> it = inner.iterator();
                return new Iterator<>() {
                    @Override public boolean hasNext() { return it.hasNext(); }
                    @Override public Path next() { return new CrashPath(fs, it.next()); }
                };
            }

            @Override
            public void close() throws IOException {
                inner.close();
            }
        };
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        Path abs = absolute(dir);
        synchronized (disk) {
            if (disk.live(abs) != null) throw new FileAlreadyExistsException(dir.toString());
            Fault f = disk.begin(OpKind.CREATE, abs, "directory");
            if (f != null) throw f.error().exception();
            Files.createDirectory(abs, attrs);
            disk.createdDirectory(abs);
        }
    }

    @Override
    public void delete(Path path) throws IOException {
        Path abs = absolute(path);
        synchronized (disk) {
            if (disk.live(abs) == null) throw new java.nio.file.NoSuchFileException(path.toString());
            Fault f = disk.begin(OpKind.DELETE, abs, "");
            if (f != null) throw f.error().exception();
            Files.delete(abs);
            disk.deleted(abs);
        }
    }

    @Override
    public void copy(Path source, Path target, CopyOption... options) throws IOException {
        Path from = real(source);
        if (Files.isDirectory(from)) {
            // As Files.copy does for a directory: an empty directory, not its contents.
            boolean replace = Arrays.asList(options).contains(StandardCopyOption.REPLACE_EXISTING);
            if (replace && Files.exists(real(target))) delete(target);
            createDirectory(target);
            return;
        }
        byte[] bytes = Files.readAllBytes(from);
        Set<OpenOption> open = new HashSet<>(Arrays.asList(StandardOpenOption.WRITE,
                Arrays.asList(options).contains(StandardCopyOption.REPLACE_EXISTING) ? StandardOpenOption.CREATE : StandardOpenOption.CREATE_NEW,
                StandardOpenOption.TRUNCATE_EXISTING));
        try (FileChannel ch = newFileChannel(target, open)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) ch.write(b);
        }
    }

    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        Path from = absolute(source);
        Path to = absolute(target);
        synchronized (disk) {
            if (disk.live(from) == null) throw new java.nio.file.NoSuchFileException(source.toString());
            boolean replace = Arrays.asList(options).contains(StandardCopyOption.REPLACE_EXISTING);
            if (!replace && disk.live(to) != null) throw new FileAlreadyExistsException(target.toString());
            Fault f = disk.begin(OpKind.RENAME, from, "to " + to);
            if (f != null) throw f.error().exception();
            Files.move(from, to, options);
            disk.renamed(from, to);
        }
    }

    @Override
    public boolean isSameFile(Path path, Path path2) throws IOException {
        return Files.isSameFile(real(path), real(path2));
    }

    @Override
    public boolean isHidden(Path path) throws IOException {
        return Files.isHidden(real(path));
    }

    @Override
    public FileStore getFileStore(Path path) throws IOException {
        return Files.getFileStore(real(path));
    }

    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        Path p = real(path);
        p.getFileSystem().provider().checkAccess(p, modes);
    }

    @Override
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        return Files.getFileAttributeView(real(path), type, options);
    }

    @Override
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options) throws IOException {
        return Files.readAttributes(real(path), type, options);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        return Files.readAttributes(real(path), attributes, options);
    }

    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) throws IOException {
        Files.setAttribute(real(path), attribute, value, options);
    }
}
