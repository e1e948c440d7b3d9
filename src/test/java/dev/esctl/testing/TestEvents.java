package dev.esctl.testing;

import dev.esctl.engine.AppendBatch;
import dev.esctl.engine.Expectation;
import dev.esctl.engine.NewEvent;
import dev.esctl.engine.StoreConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builders for events and batches in tests. */
public final class TestEvents {
    private TestEvents() {}

    public static NewEvent event(String stream, String type, String dataJson) {
        return new NewEvent(stream, type, null, dataJson.getBytes(StandardCharsets.UTF_8), null);
    }

    public static NewEvent event(String stream, int i) {
        return event(stream, "Tick", "{\"i\":" + i + ",\"pad\":\"" + "x".repeat(150) + "\"}");
    }

    public static AppendBatch batch(String stream, int count, Expectation expectation) {
        List<NewEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) events.add(event(stream, i));
        return AppendBatch.toStream(events, expectation, StoreConfig.DEFAULT_MAX_EVENT_BYTES);
    }

    public static AppendBatch batch(List<NewEvent> events) {
        return new AppendBatch(events, Map.of(), StoreConfig.DEFAULT_MAX_EVENT_BYTES);
    }

    public static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
