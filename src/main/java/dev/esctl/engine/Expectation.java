package dev.esctl.engine;

/**
 * What a writer expects of a stream before its batch is appended (optimistic concurrency).
 * {@code any}: no check; {@code none}: the stream must not exist; {@code exists}: it must;
 * {@code N}: its last version must be exactly N (0 = the stream is empty, i.e. does not exist).
 */
public sealed interface Expectation {
    Any ANY = new Any();
    NoStream NONE = new NoStream();
    Exists EXISTS = new Exists();

    /** True when a stream whose last version is {@code currentVersion} (0 = absent) meets the expectation. */
    boolean admits(long currentVersion);

    /** The wire form: {@code any}, {@code none}, {@code exists} or a number. */
    String wire();

    record Any() implements Expectation {
        public boolean admits(long v) { return true; }
        public String wire() { return "any"; }
    }

    record NoStream() implements Expectation {
        public boolean admits(long v) { return v == 0; }
        public String wire() { return "none"; }
    }

    record Exists() implements Expectation {
        public boolean admits(long v) { return v > 0; }
        public String wire() { return "exists"; }
    }

    record Exact(long version) implements Expectation {
        public Exact {
            if (version < 0) throw new BadInputException("invalid_expectation", "expected version " + version + " is negative");
        }
        public boolean admits(long v) { return v == version; }
        public String wire() { return Long.toString(version); }
    }

    static Expectation parse(String s) {
        if (s == null) return ANY;
        switch (s.trim()) {
            case "any": return ANY;
            case "none": return NONE;
            case "exists": return EXISTS;
            default:
                try {
                    return new Exact(Long.parseLong(s.trim()));
                } catch (NumberFormatException e) {
                    throw new BadInputException("invalid_expectation", "expectation '" + s + "' is not any, none, exists or a version number");
                }
        }
    }
}
