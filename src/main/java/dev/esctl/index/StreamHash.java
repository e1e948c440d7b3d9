package dev.esctl.index;

/**
 * The 64-bit hash of a stream name's UTF-8 bytes: FNV-1a, then the MurmurHash3 finalizer
 * so that every input bit affects every output bit. Used to probe the stream table and to
 * key posting runs; equal hashes never imply equal names (every lookup compares names).
 */
public final class StreamHash {
    private StreamHash() {}

    public static long of(byte[] utf8) {
        long h = 0xcbf29ce484222325L;
        for (byte b : utf8) {
            h ^= b & 0xFF;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
