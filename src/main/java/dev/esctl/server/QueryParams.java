package dev.esctl.server;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Query parameters, decoded (UTF-8), checked strictly: unknown names and malformed values are named in the refusal. */
final class QueryParams {
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    QueryParams(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) return;
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new HttpError(400, "bad_parameter", "the query has a malformed escape: " + s);
        }
    }

    /** Refuses any parameter not in {@code allowed}, nor starting with one of {@code prefixes}. */
    void allowOnly(Set<String> allowed, String... prefixes) {
        for (String name : values.keySet()) {
            if (allowed.contains(name)) continue;
            boolean ok = false;
            for (String p : prefixes) ok |= name.startsWith(p) && name.length() > p.length();
            if (!ok) throw new HttpError(400, "bad_parameter", "unknown parameter '" + name + "' (known: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
        }
    }

    Set<String> names() {
        return values.keySet();
    }

    String get(String name) {
        List<String> v = values.get(name);
        if (v == null) return null;
        if (v.size() > 1) throw new HttpError(400, "bad_parameter", "parameter '" + name + "' is given " + v.size() + " times");
        return v.get(0);
    }

    /** Every value of a repeatable parameter, each split on commas. */
    List<String> all(String name) {
        List<String> out = new ArrayList<>();
        for (String v : values.getOrDefault(name, List.of())) {
            for (String part : v.split(",")) if (!part.isBlank()) out.add(part.trim());
        }
        return out;
    }

    long getLong(String name, long defaultValue, long min) {
        String v = get(name);
        if (v == null) return defaultValue;
        try {
            long n = Long.parseLong(v);
            if (n < min) throw new HttpError(400, "bad_parameter", "parameter '" + name + "' is " + n + ", less than " + min);
            return n;
        } catch (NumberFormatException e) {
            throw new HttpError(400, "bad_parameter", "parameter '" + name + "' is '" + v + "', not a whole number");
        }
    }

    boolean flag(String name) {
        String v = get(name);
        if (v == null) return false;
        return switch (v) {
            case "", "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new HttpError(400, "bad_parameter", "parameter '" + name + "' is '" + v + "', not true or false");
        };
    }
}
