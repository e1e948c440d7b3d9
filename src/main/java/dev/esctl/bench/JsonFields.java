package dev.esctl.bench;

/**
 * Picks single fields out of the daemon's small JSON answers (an append result, /health, a
 * stream listing line) by scanning for {@code "key":}, without a parser: the benchmark reads a
 * few known fields of well-formed responses, many times a second. Not a JSON parser: a key is
 * found wherever it first occurs.
 */
final class JsonFields {
    private JsonFields() {}

    /** The non-negative integer after {@code "key":}, or -1 when absent. */
    static long number(String json, String key) {
        String digits = valueAfter(json, key, "0123456789");
        return digits == null ? -1 : Long.parseLong(digits);
    }

    /** The non-negative number (integer, decimal or exponent form) after {@code "key":}, or -1 when absent. */
    static double decimal(String json, String key) {
        String number = valueAfter(json, key, "0123456789.eE+-");
        return number == null ? -1 : Double.parseDouble(number);
    }

    /** The run of {@code chars} right after {@code "key":}, or null when the key is absent or the run empty. */
    private static String valueAfter(String json, String key, String chars) {
        String k = "\"" + key + "\":";
        int i = json.indexOf(k);
        if (i < 0) return null;
        i += k.length();
        int j = i;
        while (j < json.length() && chars.indexOf(json.charAt(j)) >= 0) j++;
        return j == i ? null : json.substring(i, j);
    }

    /** The string after {@code "key":}, unescaped, or null when absent. */
    static String string(String json, String key) {
        String k = "\"" + key + "\":\"";
        int i = json.indexOf(k);
        if (i < 0) return null;
        StringBuilder b = new StringBuilder();
        for (i += k.length(); i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"') return b.toString();
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = json.charAt(++i);
            switch (e) {
                case 'u' -> {
                    b.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                default -> b.append(e);
            }
        }
        return null;
    }
}
