package dev.esctl.server;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** A request body that may not exceed a limit: reading past it is refused with 413, so no request can exhaust memory. */
final class LimitedInputStream extends FilterInputStream {
    private final long limit;
    private long read;

    LimitedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) count(1);
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, (int) Math.min(len, limit - read + 1));
        if (n > 0) count(n);
        return n;
    }

    private void count(int n) {
        read += n;
        if (read > limit) throw new HttpError(413, "body_too_large", "the request body is larger than the limit of " + limit + " bytes");
    }
}
