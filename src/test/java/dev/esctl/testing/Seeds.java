package dev.esctl.testing;

/** Seeds for randomized tests: well-mixed, and one per iteration derived from a master seed. */
public final class Seeds {
    private Seeds() {}

    /**
     * The finalizer of MurmurHash3, as SplittableRandom uses it: neighbouring inputs give
     * unrelated outputs. {@code new java.util.Random(seed)} with small neighbouring seeds starts
     * with nearly equal draws (seeds 0..299 all give the same first boolean); mix them first.
     */
    public static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb93e53c8e1cbL;
        return z ^ (z >>> 33);
    }

    /**
     * The seed of iteration {@code i} of a run whose master seed is {@code master}. Iteration 0
     * uses the master seed itself, so any iteration replays alone as a run of one with its seed.
     */
    public static long iteration(long master, long i) {
        return master + i * 0x9E3779B97F4A7C15L;
    }

    /** A seed from the system property {@code name} (decimal or 0x-hex), or a fresh one. */
    public static long fromProperty(String name) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) return mix(System.nanoTime() ^ ProcessHandle.current().pid());
        v = v.trim();
        return v.startsWith("0x") ? Long.parseUnsignedLong(v.substring(2), 16) : Long.parseLong(v);
    }
}
