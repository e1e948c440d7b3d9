package dev.esctl.testing.crashfs;

import java.util.Arrays;

/**
 * The bytes of one file as a crash image would hold them: a growable array where bytes beyond
 * the end always read as zero, so that a write past the end leaves a zero-filled hole, as a
 * sparse file does. Not thread-safe; guarded by the owning {@link Disk}.
 */
final class FileContent {
    private byte[] bytes;
    private int size;

    FileContent(byte[] initial) {
        this.bytes = initial.clone();
        this.size = initial.length;
    }

    private FileContent(byte[] bytes, int size) {
        this.bytes = bytes;
        this.size = size;
    }

    int size() {
        return size;
    }

    void write(long offset, byte[] src, int from, int length) {
        int end = checkedEnd(offset, length);
        if (end > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(end, bytes.length * 2));
        System.arraycopy(src, from, bytes, (int) offset, length);
        size = Math.max(size, end);
    }

    void truncate(long newSize) {
        if (newSize >= size) return;
        // Zero what is cut off, so that a later write beyond the new end leaves zeros in between.
        Arrays.fill(bytes, (int) newSize, size, (byte) 0);
        size = (int) newSize;
    }

    FileContent copy() {
        return new FileContent(bytes.clone(), size);
    }

    byte[] toArray() {
        return Arrays.copyOf(bytes, size);
    }

    private static int checkedEnd(long offset, int length) {
        long end = offset + length;
        if (offset < 0 || end > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("crashfs keeps files below 2 GiB; write at " + offset + " of " + length + " bytes");
        }
        return (int) end;
    }
}
