package dev.esctl.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code esctl stat} for a terminal: the facts of {@code /info} (or of a data directory) as a
 * dozen labelled lines, sizes in KiB/MiB/GiB, durations as 1h 02m 03s, rates as events/s.
 * Fields a store opened offline does not have (server, rates, reads, watchers) are left out.
 */
final class StatView {
    private StatView() {}

    /** Parses a JSON object into maps, lists, longs, doubles, strings, booleans and nulls. */
    static Map<String, Object> parse(String json) throws IOException {
        try (JsonParser p = new JsonFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("not a JSON object: " + json);
            return object(p);
        }
    }

    private static Map<String, Object> object(JsonParser p) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            m.put(name, value(p));
        }
        return m;
    }

    private static Object value(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case START_OBJECT -> object(p);
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) l.add(value(p));
                yield l;
            }
            case VALUE_NUMBER_INT -> p.getLongValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            case VALUE_NULL -> null;
            default -> p.getText();
        };
    }

    static String render(Map<String, Object> f) {
        StringBuilder out = new StringBuilder();
        boolean server = f.containsKey("listen");
        line(out, "store", f.get("dataDir") + (Boolean.TRUE.equals(f.get("readOnly")) ? " (opened read-only)" : ""));
        if (server) {
            line(out, "server", "esctl " + f.get("version") + " on " + f.get("listen") + ", up " + duration(num(f, "uptimeSeconds"))
                    + " (since " + f.get("startedAt") + ")");
        }
        line(out, "head", "seq " + f.get("headSeq") + (f.get("headTime") == null ? "" : ", committed " + f.get("headTime")));
        line(out, "head hash", String.valueOf(f.get("headHash")));
        line(out, "events", f.get("events") + " in " + f.get("streams") + " streams");
        line(out, "segments", f.get("segments") + " (" + bytes(num(f, "segmentBytes")) + ")");
        Map<String, Object> index = map(f, "index");
        line(out, "index", f.get("indexState") + ": " + f.get("indexFiles") + " files (" + bytes(num(f, "indexBytes")) + "), "
                + f.get("indexRuns") + " runs; since open: " + num(index, "rebuilds") + " rebuilt, " + num(index, "discarded") + " discarded, "
                + num(index, "merges") + " merges" + (f.get("indexFailure") == null ? "" : "; failure: " + f.get("indexFailure")));
        boolean readOnly = Boolean.TRUE.equals(f.get("readOnly"));
        // The policy belongs to the process that writes; a store opened offline to look at it has none.
        line(out, "fsync", readOnly ? "(the writing process's setting; not recorded in the data directory)" : String.valueOf(f.get("fsync")));
        Map<String, Object> w = map(f, "writer");
        String writer = readOnly ? "none (opened read-only)" : Boolean.FALSE.equals(f.get("writerHealthy")) ? "FAILED: " + f.get("writerFailure") : "healthy";
        if (!readOnly) {
            writer += "; queue " + num(w, "queueDepth") + " batches; since open: " + num(w, "events") + " events in " + num(w, "batches")
                    + " batches, " + num(w, "groups") + " groups, " + num(w, "fsyncs") + " fsyncs, " + num(w, "conflicts") + " conflicts, "
                    + num(w, "replays") + " replays, " + num(w, "overloads") + " overloaded";
        }
        line(out, "writer", writer);
        Map<String, Object> rec = map(f, "recovery");
        Object actions = rec.get("actions");
        line(out, "recovery", actions instanceof List<?> l && !l.isEmpty()
                ? bytes(num(rec, "cutBytes")) + " cut; " + String.join("; ", l.stream().map(String::valueOf).toList()) : "nothing to do at open");
        Map<String, Object> rates = map(f, "rates");
        if (!rates.isEmpty()) {
            String basis = rates.get("intervalSeconds") == null ? "since start"
                    : String.format(Locale.ROOT, "over the last %.1f s", ((Number) rates.get("intervalSeconds")).doubleValue());
            line(out, "appends", rate(rates, "appendEventsPerSecond") + " events/s, " + rate(rates, "appendBatchesPerSecond") + " batches/s " + basis
                    + "; " + rate(rates, "appendEventsPerSecondSinceStart") + " events/s since start");
            line(out, "reads", rate(rates, "readEventsPerSecond") + " events/s, " + rate(rates, "readRequestsPerSecond") + " requests/s " + basis
                    + "; " + rate(rates, "readEventsPerSecondSinceStart") + " events/s since start");
        }
        Map<String, Object> watchers = map(f, "watchers");
        if (!watchers.isEmpty()) {
            line(out, "watchers", num(watchers, "active") + " active (" + num(watchers, "served") + " since start), lag max "
                    + num(watchers, "maxLag") + " events, sum " + num(watchers, "sumLag"));
        }
        return out.toString();
    }

    private static void line(StringBuilder out, String label, String value) {
        out.append(String.format(Locale.ROOT, "%-10s %s%n", label, value));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> f, String key) {
        return f.get(key) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static long num(Map<String, Object> f, String key) {
        return f.get(key) instanceof Number n ? n.longValue() : 0;
    }

    private static String rate(Map<String, Object> f, String key) {
        double v = f.get(key) instanceof Number n ? n.doubleValue() : 0;
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.1f", v);
    }

    static String bytes(long b) {
        if (b < 1024) return b + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static String duration(long seconds) {
        long d = seconds / 86400, h = seconds / 3600 % 24, m = seconds / 60 % 60, s = seconds % 60;
        if (d > 0) return String.format(Locale.ROOT, "%dd %02dh %02dm", d, h, m);
        if (h > 0) return String.format(Locale.ROOT, "%dh %02dm %02ds", h, m, s);
        if (m > 0) return String.format(Locale.ROOT, "%dm %02ds", m, s);
        return s + "s";
    }
}
