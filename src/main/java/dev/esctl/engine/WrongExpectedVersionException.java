package dev.esctl.engine;

/** A batch's expectation for a stream did not hold; nothing of the batch was appended. */
public final class WrongExpectedVersionException extends RuntimeException {
    private final String stream;
    private final Expectation expected;
    private final long actualVersion;

    public WrongExpectedVersionException(String stream, Expectation expected, long actualVersion) {
        super(describe(stream, expected, actualVersion));
        this.stream = stream;
        this.expected = expected;
        this.actualVersion = actualVersion;
    }

    private static String describe(String stream, Expectation expected, long actual) {
        String is = actual == 0 ? "the stream does not exist" : "the stream is at version " + actual;
        String want = switch (expected) {
            case Expectation.NoStream n -> "expected no stream";
            case Expectation.Exists e -> "expected the stream to exist";
            case Expectation.Exact x -> x.version() == 0 ? "expected an empty stream (version 0)" : "expected version " + x.version();
            case Expectation.Any a -> "expected anything";
        };
        return "stream " + Names.quote(stream) + ": " + want + ", but " + is;
    }

    public String stream() { return stream; }
    public Expectation expected() { return expected; }
    /** The stream's last version when the batch was checked (0 = it did not exist). */
    public long actualVersion() { return actualVersion; }
}
