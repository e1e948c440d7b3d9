package dev.esctl.storage;

/**
 * Bad data on disk, a failed I/O, or a store that cannot do what was asked in its present
 * state. The {@link Code} tells callers (CLI exit codes, HTTP statuses) what kind it is; the
 * message is a sentence for a person.
 */
public class StoreException extends RuntimeException {

    public enum Code {
        /** Another process holds the data directory's lock. */
        LOCKED,
        /** Bytes on disk that were acknowledged are damaged; the store will not open for writing. */
        CORRUPT,
        /** A read or write failed at the operating-system level. */
        IO,
        /** The writer stopped after a failed write or fsync; appends are refused until a restart. */
        WRITER_FAILED,
        /** An append's outcome is unknown: it was in flight when the writer failed. */
        OUTCOME_UNKNOWN,
        /** The write queue is full. */
        OVERLOADED,
        /** The store is closed or closing. */
        CLOSED,
        /** The data directory is missing or not a data directory. */
        NOT_A_STORE
    }

    private final Code code;

    public StoreException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public StoreException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
