package dev.esctl.index;

import java.io.IOException;

/** An index file that cannot be trusted (bad checksum, wrong length, pointing past the log). It is discarded and rebuilt. */
public final class CorruptIndexException extends IOException {
    public CorruptIndexException(String message) {
        super(message);
    }
}
