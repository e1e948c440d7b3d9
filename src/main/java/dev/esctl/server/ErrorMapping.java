package dev.esctl.server;

import dev.esctl.engine.BadInputException;
import dev.esctl.engine.IdReusedException;
import dev.esctl.engine.WrongExpectedVersionException;
import dev.esctl.storage.StoreException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;

/** The one place where failures become HTTP statuses and error codes (documented in esctl-serve(1)). */
final class ErrorMapping {
    private ErrorMapping() {}

    static HttpError toHttp(Throwable t) {
        while ((t instanceof CompletionException || t instanceof UncheckedIOException) && t.getCause() != null) t = t.getCause();
        return switch (t) {
            case HttpError e -> e;
            case BadInputException e -> switch (e.code()) {
                case "too_large", "line_too_long" -> new HttpError(413, e.code(), e.getMessage());
                default -> new HttpError(400, e.code(), e.getMessage());
            };
            case WrongExpectedVersionException e -> {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("stream", e.stream());
                d.put("expected", e.expected().wire());
                d.put("actual", e.actualVersion());
                yield new HttpError(409, "wrong_expected_version", e.getMessage(), d, Map.of());
            }
            case IdReusedException e -> new HttpError(422, "id_reused", e.getMessage(), Map.of("id", e.id().toString()), Map.of());
            case StoreException e -> switch (e.code()) {
                case OVERLOADED -> new HttpError(503, "overloaded", e.getMessage(), Map.of(), Map.of("Retry-After", "1"));
                case WRITER_FAILED -> new HttpError(503, "writer_failed", e.getMessage());
                case OUTCOME_UNKNOWN -> new HttpError(503, "outcome_unknown", e.getMessage()
                        + "; retrying with the same event ids is safe: a committed batch is answered as a replay");
                case CLOSED -> new HttpError(503, "shutting_down", e.getMessage(), Map.of(), Map.of("Retry-After", "1"));
                case CORRUPT -> new HttpError(500, "corrupt", e.getMessage());
                default -> new HttpError(500, "io_error", e.getMessage());
            };
            case IllegalArgumentException e -> new HttpError(400, "bad_request", e.getMessage());
            // The body stopped arriving: the request deadline (--request-timeout) passed.
            case java.net.SocketTimeoutException e -> new HttpError(408, "request_timeout", "the request body did not arrive within the request timeout");
            default -> new HttpError(500, "internal", "internal error: " + t);
        };
    }
}
