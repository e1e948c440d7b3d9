package dev.esctl.server.http;

import java.io.IOException;

/** A request that breaks HTTP/1.1 (answered with {@code status} and the connection closed). */
final class HttpProtocolException extends IOException {
    private final int status;

    HttpProtocolException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
