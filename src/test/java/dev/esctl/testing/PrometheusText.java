package dev.esctl.testing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4), for tests: the
 * client library has a writer but no parser. Every line must be a {@code # HELP}, a
 * {@code # TYPE}, another comment, blank, or a sample {@code name{label="value",...} value
 * [timestamp]}; label values may hold any character, escaped as the format says. It also
 * checks what a scraper relies on: a family's TYPE comes once and before its samples, sample
 * names fit their family's type, no series appears twice, counters are not negative, and a
 * histogram's buckets grow with {@code le} up to {@code +Inf}, which equals {@code _count}.
 * Any violation throws, naming the line.
 */
public final class PrometheusText {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** One sample: the name as written and its labels in the order written. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private final Map<String, String> types = new HashMap<>();
    private final List<Sample> samples = new ArrayList<>();

    private PrometheusText() {}

    public static PrometheusText parse(String text) {
        PrometheusText t = new PrometheusText();
        Set<String> helped = new HashSet<>();
        Set<String> seriesSeen = new HashSet<>();
        Set<String> familiesWithSamples = new HashSet<>();
        String[] lines = text.split("\n", -1);
        if (!text.isEmpty() && !text.endsWith("\n")) throw new AssertionError("the exposition does not end with a newline");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            String where = "line " + (i + 1) + ": " + line;
            if (line.isEmpty()) continue;
            if (line.startsWith("#")) {
                String[] parts = line.split(" ", 4);
                if (parts.length >= 3 && parts[1].equals("HELP")) {
                    check(NAME.matcher(parts[2]).matches(), "bad metric name in HELP", where);
                    check(helped.add(parts[2]), "second HELP for " + parts[2], where);
                } else if (parts.length >= 3 && parts[1].equals("TYPE")) {
                    check(parts.length == 4 && TYPES.contains(parts[3]), "bad TYPE", where);
                    check(NAME.matcher(parts[2]).matches(), "bad metric name in TYPE", where);
                    check(!t.types.containsKey(parts[2]), "second TYPE for " + parts[2], where);
                    check(!familiesWithSamples.contains(parts[2]), "TYPE after samples of " + parts[2], where);
                    t.types.put(parts[2], parts[3]);
                }
                continue;
            }
            Sample s = sample(line, where);
            String family = t.familyOf(s.name());
            check(family != null, "sample without a TYPE for its family", where);
            familiesWithSamples.add(family);
            String series = s.name() + new TreeMap<>(s.labels());
            check(seriesSeen.add(series), "duplicate series " + series, where);
            if (t.types.get(family).equals("counter")) check(s.value() >= 0, "negative counter", where);
            t.samples.add(s);
        }
        t.checkHistograms();
        return t;
    }

    private String familyOf(String name) {
        String type = types.get(name);
        if (type != null && !type.equals("histogram") && !type.equals("summary")) return name;
        for (String suffix : List.of("_bucket", "_sum", "_count", "_created")) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                String t = types.get(base);
                if (t != null && (t.equals("histogram") || (t.equals("summary") && !suffix.equals("_bucket")))) return base;
            }
        }
        return null;
    }

    private static Sample sample(String line, String where) {
        Matcher m = NAME.matcher(line);
        check(m.lookingAt(), "a sample must start with a metric name", where);
        String name = m.group();
        int i = m.end();
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                Matcher ln = LABEL_NAME.matcher(line).region(i, line.length());
                check(ln.lookingAt(), "bad label name", where);
                String label = ln.group();
                i = ln.end();
                check(line.startsWith("=\"", i), "expected =\" after label " + label, where);
                i += 2;
                StringBuilder v = new StringBuilder();
                for (; ; i++) {
                    check(i < line.length(), "unterminated label value", where);
                    char c = line.charAt(i);
                    if (c == '"') break;
                    if (c == '\\') {
                        char e = line.charAt(++i);
                        check(e == '\\' || e == '"' || e == 'n', "bad escape \\" + e, where);
                        v.append(e == 'n' ? '\n' : e);
                    } else {
                        v.append(c);
                    }
                }
                i++;
                check(labels.put(label, v.toString()) == null, "label " + label + " twice", where);
                if (line.charAt(i) == ',') i++;
                else check(line.charAt(i) == '}', "expected , or } after a label", where);
            }
            i++;
        }
        check(i < line.length() && line.charAt(i) == ' ', "expected one space before the value", where);
        String[] rest = line.substring(i + 1).split(" ", -1);
        check(rest.length == 1 || rest.length == 2, "expected a value and an optional timestamp", where);
        double value = value(rest[0], where);
        if (rest.length == 2) {
            try {
                Long.parseLong(rest[1]);
            } catch (NumberFormatException e) {
                throw new AssertionError("bad timestamp: " + where);
            }
        }
        return new Sample(name, labels, value);
    }

    private static double value(String v, String where) {
        switch (v) {
            case "+Inf": return Double.POSITIVE_INFINITY;
            case "-Inf": return Double.NEGATIVE_INFINITY;
            case "NaN": return Double.NaN;
            default:
                check(v.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?"), "bad value " + v, where);
                return Double.parseDouble(v);
        }
    }

    private void checkHistograms() {
        types.forEach((family, type) -> {
            if (!type.equals("histogram")) return;
            Map<Map<String, String>, TreeMap<Double, Double>> buckets = new HashMap<>();
            Map<Map<String, String>, Double> counts = new HashMap<>();
            for (Sample s : samples) {
                Map<String, String> rest = new TreeMap<>(s.labels());
                if (s.name().equals(family + "_bucket")) {
                    String le = rest.remove("le");
                    check(le != null, "bucket without le", family);
                    buckets.computeIfAbsent(rest, k -> new TreeMap<>()).put(value(le, family), s.value());
                } else if (s.name().equals(family + "_count")) {
                    counts.put(rest, s.value());
                }
            }
            check(!buckets.isEmpty(), "histogram without buckets", family);
            buckets.forEach((labels, b) -> {
                double previous = 0;
                for (double count : b.values()) {
                    check(count >= previous, "bucket counts must not decrease", family + labels);
                    previous = count;
                }
                check(b.lastKey() == Double.POSITIVE_INFINITY, "no +Inf bucket", family + labels);
                check(b.lastEntry().getValue().equals(counts.get(labels)), "+Inf bucket differs from _count", family + labels);
            });
        });
    }

    private static void check(boolean ok, String what, String where) {
        if (!ok) throw new AssertionError("not Prometheus text format: " + what + " (" + where + ")");
    }

    /** The type of a family, or null. */
    public String type(String family) {
        return types.get(family);
    }

    public Set<String> families() {
        return types.keySet();
    }

    /** The value of the one series with this name and exactly these labels (name, value, name, value, ...); fails if absent. */
    public double value(String name, String... labels) {
        Map<String, String> want = new HashMap<>();
        for (int i = 0; i + 1 < labels.length; i += 2) want.put(labels[i], labels[i + 1]);
        for (Sample s : samples) if (s.name().equals(name) && s.labels().equals(want)) return s.value();
        throw new AssertionError("no series " + name + want + " in the exposition");
    }

    public List<Sample> samples() {
        return samples;
    }
}
