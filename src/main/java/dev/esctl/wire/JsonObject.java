package dev.esctl.wire;

import java.util.Locale;

/**
 * A small builder for the JSON documents the API answers with besides events (errors, info,
 * health): fields appended in order, strings escaped by the same rules as events.
 */
public final class JsonObject {
    private final StringBuilder b = new StringBuilder("{");
    private boolean empty = true;

    private JsonObject key(String name) {
        if (!empty) b.append(',');
        empty = false;
        quote(b, name);
        b.append(':');
        return this;
    }

    public JsonObject put(String name, String value) {
        key(name);
        if (value == null) b.append("null"); else quote(b, value);
        return this;
    }

    public JsonObject put(String name, long value) {
        key(name).b.append(value);
        return this;
    }

    public JsonObject put(String name, double value) {
        key(name).b.append(String.format(Locale.ROOT, "%.3f", value));
        return this;
    }

    public JsonObject put(String name, boolean value) {
        key(name).b.append(value);
        return this;
    }

    public JsonObject put(String name, JsonObject value) {
        key(name).b.append(value.toString());
        return this;
    }

    /** A value that is already JSON text (trusted). */
    public JsonObject putRaw(String name, String json) {
        key(name).b.append(json);
        return this;
    }

    @Override
    public String toString() {
        return b + "}";
    }

    static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c)); else b.append(c);
                }
            }
        }
        b.append('"');
    }
}
