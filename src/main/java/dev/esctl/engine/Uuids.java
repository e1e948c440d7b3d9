package dev.esctl.engine;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Generated event ids: UUID version 7 (time-ordered, RFC 9562), so ids sort roughly by
 * creation. The 74 random bits come from ThreadLocalRandom: ids must be unique, not secret,
 * and SecureRandom serializes every caller on one lock around the kernel's entropy.
 */
public final class Uuids {
    private Uuids() {}

    public static UUID newV7() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long millis = System.currentTimeMillis();
        long msb = (millis << 16) | 0x7000L | (random.nextInt() & 0x0FFFL);
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
