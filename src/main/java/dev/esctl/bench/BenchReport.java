package dev.esctl.bench;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The outcome of one benchmark run: its parameters, throughput, latency percentiles and
 * extras (events per fsync, CPU time). Printed as an aligned table for people or as one JSON
 * object for scripts.
 */
public final class BenchReport {
    private final String workload;
    private final Map<String, Object> parameters = new LinkedHashMap<>();
    private final Map<String, Object> results = new LinkedHashMap<>();
    private Histogram latencyMicros;

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
    }

    public void printJson(PrintStream out) {
        StringBuilder b = new StringBuilder("{\"workload\":\"").append(workload).append("\",\"parameters\":{");
        appendMap(b, parameters);
        b.append("},\"results\":{");
        appendMap(b, results);
        b.append('}');
        if (latencyMicros != null && latencyMicros.getTotalCount() > 0) {
            b.append(",\"latencyMs\":{");
            b.append("\"p50\":").append(msNumber(latencyMicros.getValueAtPercentile(50)));
            b.append(",\"p90\":").append(msNumber(latencyMicros.getValueAtPercentile(90)));
            b.append(",\"p99\":").append(msNumber(latencyMicros.getValueAtPercentile(99)));
            b.append(",\"p999\":").append(msNumber(latencyMicros.getValueAtPercentile(99.9)));
            b.append(",\"max\":").append(msNumber(latencyMicros.getMaxValue())).append('}');
        }
        out.println(b.append('}'));
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
