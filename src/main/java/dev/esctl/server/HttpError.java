package dev.esctl.server;

import java.util.Map;

/**
 * A refusal with its HTTP status, machine-readable code and sentence, answered as
 * {@code {"error":"<code>","message":"<sentence>", ...details}}; headers (Allow, Retry-After,
 * WWW-Authenticate) go along.
 */
public final class HttpError extends RuntimeException {
    private final int status;
    private final String code;
    private final Map<String, Object> details;
    private final Map<String, String> headers;

    public HttpError(int status, String code, String message) {
        this(status, code, message, Map.of(), Map.of());
    }

    public HttpError(int status, String code, String message, Map<String, Object> details, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = details;
        this.headers = headers;
    }

    public int status() { return status; }
    public String code() { return code; }
    public Map<String, Object> details() { return details; }
    public Map<String, String> headers() { return headers; }
}
