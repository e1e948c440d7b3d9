package dev.esctl.testing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the {@code key=value} fields of a log line ({@code key="a value"} when quoted). */
public final class LogFields {
    private LogFields() {}

    public static Map<String, String> of(String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        int start = line.indexOf("event=");
        if (start < 0) return fields;
        int i = start;
        while (i < line.length()) {
            int eq = line.indexOf('=', i);
            if (eq < 0) break;
            String key = line.substring(i, eq);
            String value;
            if (eq + 1 < line.length() && line.charAt(eq + 1) == '"') {
                int end = line.indexOf('"', eq + 2);
                if (end < 0) end = line.length();
                value = line.substring(eq + 2, end);
                i = end + 1;
            } else {
                int end = line.indexOf(' ', eq + 1);
                if (end < 0) end = line.length();
                value = line.substring(eq + 1, end);
                i = end;
            }
            fields.put(key, value);
            while (i < line.length() && line.charAt(i) == ' ') i++;
        }
        return fields;
    }

    /** The fields of the first line holding {@code event=NAME}; fails naming the lines when there is none. */
    public static Map<String, String> first(List<String> lines, String event) {
        for (String l : lines) {
            Map<String, String> f = of(l);
            if (event.equals(f.get("event"))) return f;
        }
        throw new AssertionError("no event=" + event + " line in:\n" + String.join("\n", lines));
    }
}
