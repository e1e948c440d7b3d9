package dev.esctl.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * The outcome of one benchmark run: its parameters, throughput, latency percentiles and
 * extras (events per fsync, CPU time), and, for a run with several kinds of clients at once
 * (appenders, readers, watchers), one row per role with its own throughput and latency.
 * Printed as an aligned table for people or as one JSON object for scripts.
 */
public final class BenchReport {
    private final String workload;
    private final Map<String, Object> parameters = new LinkedHashMap<>();
    private final Map<String, Object> results = new LinkedHashMap<>();
    private Histogram latencyMicros;
    private final List<Role> roles = new ArrayList<>();

    /** One kind of client in a run: its numbers and its latency histogram (microseconds; may be null). */
    private record Role(String name, Map<String, Object> values, Histogram latencyMicros) {}

    public BenchReport(String workload) {
        this.workload = workload;
    }

    public BenchReport parameter(String name, Object value) {
        parameters.put(name, value);
        return this;
    }

    public BenchReport result(String name, Object value) {
        results.put(name, value);
        return this;
    }

    public BenchReport latency(Histogram micros) {
        this.latencyMicros = micros;
        return this;
    }

    /** Adds a row for one role (e.g. "append", "read", "watch"); {@code values} keep their order, and become the table's columns. */
    public BenchReport role(String name, Map<String, Object> values, Histogram latencyMicros) {
        roles.add(new Role(name, new LinkedHashMap<>(values), latencyMicros));
        return this;
    }

    /** Column values for {@link #role}, in the order given: name, value, name, value, … */
    public static Map<String, Object> columns(Object... namesAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        return m;
    }

    public Object result(String name) {
        return results.get(name);
    }

    public Object parameter(String name) {
        return parameters.get(name);
    }

    /** The 99th percentile latency in milliseconds (0 without samples). */
    public double p99Millis() {
        return latencyMicros == null || latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getValueAtPercentile(99) / 1000.0;
    }

    public void printTable(PrintStream out) {
        out.println("workload: " + workload);
        parameters.forEach((k, v) -> out.printf(Locale.ROOT, "  %-22s %s%n", k, v));
        out.println("results:");
        results.forEach((k, v) -> out.printf(Locale.ROOT, "  %-22s %s%n", k, format(v)));
        if (latencyMicros != null && latencyMicros.getTotalCount() > 0) {
            out.printf(Locale.ROOT, "  %-22s p50 %s  p90 %s  p99 %s  p99.9 %s  max %s%n", "latency",
                    ms(latencyMicros.getValueAtPercentile(50)), ms(latencyMicros.getValueAtPercentile(90)),
                    ms(latencyMicros.getValueAtPercentile(99)), ms(latencyMicros.getValueAtPercentile(99.9)),
                    ms(latencyMicros.getMaxValue()));
        }
        if (!roles.isEmpty()) printRoles(out);
    }

    /** The roles as a table: one row each, a column per value, then the latency percentiles in ms. */
    private void printRoles(PrintStream out) {
        Set<String> keys = new LinkedHashSet<>();
        for (Role r : roles) keys.addAll(r.values().keySet());
        List<String> header = new ArrayList<>(List.of("role"));
        header.addAll(keys);
        header.addAll(List.of("p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms"));
        List<List<String>> rows = new ArrayList<>();
        for (Role r : roles) {
            List<String> row = new ArrayList<>(List.of(r.name()));
            for (String k : keys) row.add(r.values().containsKey(k) ? format(r.values().get(k)) : "-");
            Histogram h = r.latencyMicros();
            boolean any = h != null && h.getTotalCount() > 0;
            for (double p : new double[] {50, 90, 99, 99.9}) row.add(any ? msNumber(h.getValueAtPercentile(p)) : "-");
            row.add(any ? msNumber(h.getMaxValue()) : "-");
            rows.add(row);
        }
        int[] width = new int[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = header.get(c).length();
            for (List<String> row : rows) width[c] = Math.max(width[c], row.get(c).length());
        }
        out.println("roles:");
        for (List<String> row : prepend(header, rows)) {
            StringBuilder b = new StringBuilder(" ");
            for (int c = 0; c < width.length; c++) {
                String cell = row.get(c);
                // Names left, numbers right.
                b.append(' ').append(c == 0 ? cell + " ".repeat(width[c] - cell.length()) : " ".repeat(width[c] - cell.length()) + cell);
            }
            out.println(b);
        }
    }

    private static List<List<String>> prepend(List<String> first, List<List<String>> rest) {
        List<List<String>> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }

    public void printJson(PrintStream out) {
        StringBuilder b = new StringBuilder("{\"workload\":\"").append(workload).append("\",\"parameters\":{");
        appendMap(b, parameters);
        b.append("},\"results\":{");
        appendMap(b, results);
        b.append('}');
        appendLatency(b, latencyMicros);
        if (!roles.isEmpty()) {
            b.append(",\"roles\":[");
            for (int i = 0; i < roles.size(); i++) {
                Role r = roles.get(i);
                if (i > 0) b.append(',');
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("role", r.name());
                m.putAll(r.values());
                b.append('{');
                appendMap(b, m);
                appendLatency(b, r.latencyMicros());
                b.append('}');
            }
            b.append(']');
        }
        out.println(b.append('}'));
    }

    /** ,"latencyMs":{"p50":…,"p90":…,"p99":…,"p999":…,"max":…} when there are samples. */
    private static void appendLatency(StringBuilder b, Histogram h) {
        if (h == null || h.getTotalCount() == 0) return;
        b.append(",\"latencyMs\":{");
        b.append("\"p50\":").append(msNumber(h.getValueAtPercentile(50)));
        b.append(",\"p90\":").append(msNumber(h.getValueAtPercentile(90)));
        b.append(",\"p99\":").append(msNumber(h.getValueAtPercentile(99)));
        b.append(",\"p999\":").append(msNumber(h.getValueAtPercentile(99.9)));
        b.append(",\"max\":").append(msNumber(h.getMaxValue())).append('}');
    }

    private static void appendMap(StringBuilder b, Map<String, Object> m) {
        boolean first = true;
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (!first) b.append(',');
            first = false;
            b.append('"').append(e.getKey()).append("\":");
            Object v = e.getValue();
            if (v instanceof Number n) b.append(n instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : n.toString());
            else b.append('"').append(String.valueOf(v).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
    }

    private static String format(Object v) {
        if (v instanceof Double d) return String.format(Locale.ROOT, "%,.1f", d);
        if (v instanceof Long l) return String.format(Locale.ROOT, "%,d", l);
        return String.valueOf(v);
    }

    private static String ms(long micros) {
        return String.format(Locale.ROOT, "%.3fms", micros / 1000.0);
    }

    private static String msNumber(long micros) {
        return String.format(Locale.ROOT, "%.3f", micros / 1000.0);
    }
}
