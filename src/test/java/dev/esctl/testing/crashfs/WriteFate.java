package dev.esctl.testing.crashfs;

import java.util.Random;

/**
 * What a crash (or a failed force) does to one write that was not yet forced. A disk writes a
 * 512-byte sector atomically or not at all, but the sectors of one write, and separate writes,
 * reach the platters in any order, or never.
 */
public enum WriteFate {
    /** Every byte of the write reached the disk. */
    KEEP,
    /** None did: the disk holds what was there before (zeros beyond the old end). */
    DROP,
    /** A prefix of whole sectors (counted by file offset) reached the disk, the rest did not. */
    TORN,
    /** The range holds random bytes: the device wrote garbage, as happens on power loss. */
    GARBAGE;

    public static final int SECTOR_BYTES = 512;

    /** Keep 40 %, drop 25 %, torn 20 %, garbage 15 %: every fate is common enough to be hit often. */
    static WriteFate choose(Random random) {
        int r = random.nextInt(100);
        if (r < 40) return KEEP;
        if (r < 65) return DROP;
        if (r < 85) return TORN;
        return GARBAGE;
    }
}
