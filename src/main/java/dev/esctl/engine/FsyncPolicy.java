package dev.esctl.engine;

/**
 * When the writer forces the log to disk.
 * <ul>
 *   <li>{@code always} (default): after every group write, before any append in it is acknowledged;</li>
 *   <li>{@code interval=MS}: at most every MS milliseconds; acknowledged appends survive a
 *   process crash but may be lost on power failure;</li>
 *   <li>{@code never}: the operating system decides; same caveat.</li>
 * </ul>
 */
public record FsyncPolicy(Mode mode, long intervalMs) {
    public enum Mode { ALWAYS, INTERVAL, NEVER }

    public static final FsyncPolicy ALWAYS = new FsyncPolicy(Mode.ALWAYS, 0);
    public static final FsyncPolicy NEVER = new FsyncPolicy(Mode.NEVER, 0);

    public static FsyncPolicy interval(long ms) {
        if (ms < 1 || ms > 60_000) throw new BadInputException("invalid_fsync", "fsync interval " + ms + " ms is outside 1..60000");
        return new FsyncPolicy(Mode.INTERVAL, ms);
    }

    public static FsyncPolicy parse(String s) {
        String v = s.trim();
        if (v.equals("always")) return ALWAYS;
        if (v.equals("never")) return NEVER;
        if (v.startsWith("interval=")) {
            try {
                return interval(Long.parseLong(v.substring("interval=".length())));
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new BadInputException("invalid_fsync", "fsync policy '" + s + "' is not always, interval=<ms> or never");
    }

    /** True when an acknowledged append is on disk (survives power failure). */
    public boolean durableAck() {
        return mode == Mode.ALWAYS;
    }

    @Override
    public String toString() {
        return switch (mode) {
            case ALWAYS -> "always";
            case NEVER -> "never";
            case INTERVAL -> "interval=" + intervalMs;
        };
    }
}
