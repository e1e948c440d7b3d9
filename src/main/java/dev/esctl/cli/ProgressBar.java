package dev.esctl.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of a long operation on stderr: a redrawn bar when stderr is a terminal, otherwise
 * a plain line at most every ten seconds, the first after ten seconds and the last (100%) only
 * when earlier lines were printed (so logs and cron mail stay readable, and a short operation
 * prints none). Thread-safe.
 */
final class ProgressBar {
    private final String label;
    private final PrintStream err;
    private final boolean terminal;
    private final long startNanos = System.nanoTime();
    private long lastDrawNanos;
    private boolean drawn;
    private boolean finished;

    ProgressBar(String label) {
        this.label = label;
        this.err = System.err;
        this.terminal = System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
        this.lastDrawNanos = terminal ? 0 : startNanos;
    }

    synchronized void update(long done, long total) {
        long now = System.nanoTime();
        long every = terminal ? 100_000_000L : 10_000_000_000L;
        boolean last = done >= total;
        if (!last && now - lastDrawNanos < every) return;
        if (last && (finished || (!terminal && !drawn))) return;
        finished = last;
        lastDrawNanos = now;
        double fraction = total <= 0 ? 1 : Math.min(1, done / (double) total);
        double seconds = (now - startNanos) / 1e9;
        String rate = seconds > 0 ? String.format(Locale.ROOT, "%,.0f/s", done / seconds) : "";
        if (terminal) {
            int width = 30, filled = (int) Math.round(fraction * width);
            err.printf(Locale.ROOT, "\r%s [%s%s] %3.0f%% %,d/%,d %s ", label, "#".repeat(filled), ".".repeat(width - filled), fraction * 100, done, total, rate);
            drawn = true;
        } else {
            err.printf(Locale.ROOT, "%s: %,d of %,d (%.0f%%) %s%n", label, done, total, fraction * 100, rate);
            drawn = true;
        }
        err.flush();
    }

    synchronized void finish() {
        if (drawn && terminal) err.println();
        err.flush();
    }
}
