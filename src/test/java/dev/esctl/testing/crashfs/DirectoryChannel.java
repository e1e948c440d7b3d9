package dev.esctl.testing.crashfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/**
 * What {@code FileChannel.open(directory, READ)} returns on a {@link CrashFileSystem}, as on
 * Linux: a channel whose only use is {@link #force}, which is a numbered
 * {@link OpKind#DIRECTORY_FORCE} operation that makes the directory's entry changes (creations,
 * deletions, renames) durable. Reading or writing fails with "Is a directory". Thread-safe.
 */
final class DirectoryChannel extends FileChannel {
    private final Disk disk;
    private final Path path;
    private final TrackedDirectory dir;

    DirectoryChannel(Disk disk, Path path, TrackedDirectory dir) {
        this.disk = disk;
        this.path = path;
        this.dir = dir;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        if (!isOpen()) throw new java.nio.channels.ClosedChannelException();
        synchronized (disk) {
            Fault f = disk.begin(OpKind.DIRECTORY_FORCE, path, "");
            if (f != null) throw f.error().exception();
            disk.directoryForced(dir);
        }
    }

    private IOException isADirectory() {
        return new IOException(path + ": Is a directory");
    }

    @Override public int read(ByteBuffer dst) throws IOException { throw isADirectory(); }
    @Override public long read(ByteBuffer[] dsts, int offset, int length) throws IOException { throw isADirectory(); }
    @Override public int read(ByteBuffer dst, long position) throws IOException { throw isADirectory(); }
    @Override public int write(ByteBuffer src) throws IOException { throw isADirectory(); }
    @Override public long write(ByteBuffer[] srcs, int offset, int length) throws IOException { throw isADirectory(); }
    @Override public int write(ByteBuffer src, long position) throws IOException { throw isADirectory(); }
    @Override public long position() { return 0; }
    @Override public FileChannel position(long newPosition) { return this; }
    @Override public long size() { return 0; }
    @Override public FileChannel truncate(long size) throws IOException { throw isADirectory(); }
    @Override public long transferTo(long position, long count, WritableByteChannel target) throws IOException { throw isADirectory(); }
    @Override public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException { throw isADirectory(); }
    @Override public MappedByteBuffer map(MapMode mode, long position, long size) { throw new UnsupportedOperationException("cannot map a directory"); }
    @Override public FileLock lock(long position, long size, boolean shared) throws IOException { throw isADirectory(); }
    @Override public FileLock tryLock(long position, long size, boolean shared) throws IOException { throw isADirectory(); }
    @Override protected void implCloseChannel() {}
}
