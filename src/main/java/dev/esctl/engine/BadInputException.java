package dev.esctl.engine;

/** Input that can never be appended as it is (a bad name, a missing field, a size over the limit). Nothing was changed. */
public class BadInputException extends IllegalArgumentException {
    private final String code;

    public BadInputException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** A short machine-readable reason, e.g. {@code invalid_stream}, {@code too_large}. */
    public String code() {
        return code;
    }
}
