package dev.esctl.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads back the stream versions of an append result line (the CLI chains split batches with them). */
public final class AppendResultJson {
    private AppendResultJson() {}

    /** Stream → last version, from {@code {"firstSeq":…,"streams":[{"stream":…,"lastVersion":…},…]}}. */
    public static Map<String, Long> lastVersions(byte[] json) throws IOException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (JsonParser p = Json.FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("an append result is not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                if (!field.equals("streams") || t != JsonToken.START_ARRAY) {
                    p.skipChildren();
                    continue;
                }
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    String stream = null;
                    long last = 0;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String f = p.currentName();
                        p.nextToken();
                        if (f.equals("stream")) stream = p.getText();
                        else if (f.equals("lastVersion")) last = p.getLongValue();
                        else p.skipChildren();
                    }
                    if (stream != null) out.put(stream, last);
                }
            }
        }
        return out;
    }
}
