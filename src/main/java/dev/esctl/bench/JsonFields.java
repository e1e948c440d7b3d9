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
        String k = "\"" + key + "\":";
        int i = json.indexOf(k);
        if (i < 0) return -1;
        i += k.length();
        int j = i;
        while (j < json.length() && Character.isDigit(json.charAt(j))) j++;
        return j == i ? -1 : Long.parseLong(json.substring(i, j));
    }

    /** The non-negative number (integer, decimal or exponent form) after {@code "key":}, or -1 when absent. */
    static double decimal(String json, String key) {
        String k = "\"" + key + "\":";
        int i = json.indexOf(k);
        if (i < 0) return -1;
        i += k.length();
        int j = i;
        while (j < json.length() && "0123456789.eE+-".indexOf(json.charAt(j)) >= 0) j++;
        return j == i ? -1 : Double.parseDouble(json.substring(i, j));
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
