package dev.esctl.engine;

import java.security.SecureRandom;
import java.util.UUID;

/** Generated event ids: UUID version 7 (time-ordered, RFC 9562), so ids sort roughly by creation. */
public final class Uuids {
    private Uuids() {}

    private static final SecureRandom random = new SecureRandom();

    public static UUID newV7() {
        long millis = System.currentTimeMillis();
        long msb = (millis << 16) | 0x7000L | (random.nextInt() & 0x0FFFL);
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
