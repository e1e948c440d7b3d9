package dev.esctl.testing.crashfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/**
 * A channel on a regular file of a {@link CrashFileSystem}. Reads go straight to jimfs (what
 * the running system sees: the page cache). Every write, truncate and force is one numbered
 * operation: it may be where the machine stops or where a fault hits, and otherwise it happens
 * on jimfs and is recorded in the {@link Disk} as unforced (write, truncate) or makes the
 * file's changes durable (force). A gathering write is one operation per buffer.
 *
 * <p>{@link #map} throws {@link UnsupportedOperationException}: writes through a mapping could
 * not be tracked. Locks are process-wide fakes: a second lock on the same file, through any
 * channel, is refused with {@link java.nio.channels.OverlappingFileLockException} until the
 * first is released or its channel closed. Thread-safe (operations serialize on the Disk).
 */
final class CrashFileChannel extends FileChannel {
    private final Disk disk;
    private final Path path;
    private final FileChannel delegate;
    private final TrackedFile file;
    private final boolean append;
    private final boolean writable;
    private final boolean sync;

    CrashFileChannel(Disk disk, Path path, FileChannel delegate, TrackedFile file, boolean append, boolean writable, boolean sync) {
        this.disk = disk;
        this.path = path;
        this.delegate = delegate;
        this.file = file;
        this.append = append;
        this.writable = writable;
        this.sync = sync;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return delegate.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return delegate.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return delegate.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        synchronized (disk) {
            long at = append ? delegate.size() : delegate.position();
            int n = writeAt(src, at);
            delegate.position(at + n);
            return n;
        }
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            int remaining = srcs[i].remaining();
            int n = write(srcs[i]);
            total += n;
            if (n < remaining) break;
        }
        return total;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        if (position < 0) throw new IllegalArgumentException("negative position " + position);
        synchronized (disk) {
            return writeAt(src, position);
        }
    }

    private int writeAt(ByteBuffer src, long position) throws IOException {
        if (!writable) throw new NonWritableChannelException();
        ensureOpen();
        int length = disk.beginWrite(path, position, src.remaining());
        byte[] bytes = new byte[length];
        src.get(src.position(), bytes);
        int n = delegate.write(ByteBuffer.wrap(bytes), position);
        assert n == length : "jimfs wrote " + n + " of " + length + " bytes";
        src.position(src.position() + n);
        disk.recordWrite(file, position, bytes);
        if (sync) forceNow();
        return n;
    }

    @Override
    public long position() throws IOException {
        return delegate.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        delegate.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        if (!writable) throw new NonWritableChannelException();
        if (size < 0) throw new IllegalArgumentException("negative size " + size);
        synchronized (disk) {
            ensureOpen();
            Fault f = disk.begin(OpKind.TRUNCATE, path, "to " + size);
            if (f != null) throw f.error().exception();
            long before = delegate.size();
            delegate.truncate(size);
            if (size < before) disk.recordTruncate(file, size);
            if (sync) forceNow();
        }
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        synchronized (disk) {
            ensureOpen();
            forceNow();
        }
    }

    private void forceNow() throws IOException {
        Fault f = disk.begin(OpKind.FORCE, path, "");
        if (f != null) {
            disk.forceFailed(file);
            throw f.error().exception();
        }
        disk.recordForce(file);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return delegate.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(count, 64 * 1024));
        long done = 0;
        while (done < count) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), count - done));
            int n = src.read(buffer);
            if (n <= 0) break;
            buffer.flip();
            while (buffer.hasRemaining()) done += write(buffer, position + done);
        }
        return done;
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) {
        throw new UnsupportedOperationException("crashfs cannot memory-map " + path + ": writes through a mapping would escape the durability model");
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        FileLock lock = tryLock(position, size, shared);
        if (lock == null) throw new IOException("crashfs cannot wait for a lock; " + path + " is locked");
        return lock;
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        ensureOpen();
        if (!disk.lock(file, this)) throw new java.nio.channels.OverlappingFileLockException();
        return new FileLock(this, position, size, shared) {
            private volatile boolean valid = true;

            @Override
            public boolean isValid() {
                return valid && CrashFileChannel.this.isOpen();
            }

            @Override
            public void release() {
                if (valid) {
                    valid = false;
                    disk.unlock(file, CrashFileChannel.this);
                }
            }
        };
    }

    private void ensureOpen() throws IOException {
        if (!isOpen()) throw new java.nio.channels.ClosedChannelException();
    }

    @Override
    protected void implCloseChannel() throws IOException {
        disk.unlock(file, this);
        delegate.close();
    }
}
