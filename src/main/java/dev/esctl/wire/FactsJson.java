package dev.esctl.wire;

import dev.esctl.engine.StoreFacts;
import java.util.List;

/** The JSON form of {@link StoreFacts}, shared by {@code GET /info} and {@code esctl stat --json}. */
public final class FactsJson {
    private FactsJson() {}

    public static JsonObject of(StoreFacts f) {
        StoreFacts.WriterCounts w = f.writer();
        return new JsonObject()
                .put("dataDir", f.dataDir())
                .put("headSeq", f.headSeq())
                .put("headHash", f.headHash())
                .put("headTime", f.headTimeMicros() == 0 ? null : Timestamps.format(f.headTimeMicros()))
                .put("events", f.headSeq())
                .put("streams", f.streams())
                .put("segments", f.segments())
                .put("segmentBytes", f.segmentBytes())
                .put("indexFiles", f.indexFiles())
                .put("indexBytes", f.indexBytes())
                .put("indexRuns", f.indexRuns())
                .put("fsync", f.fsync())
                .put("readOnly", f.readOnly())
                .put("idWindow", f.idWindow())
                .put("writerHealthy", f.writerFailure() == null)
                .put("writerFailure", f.writerFailure())
                .put("indexFailure", f.indexFailure())
                .put("openMillis", f.openMillis())
                .put("writer", new JsonObject()
                        .put("batches", w.batches()).put("events", w.events()).put("bytes", w.bytes())
                        .put("groups", w.groups()).put("fsyncs", w.fsyncs()).put("fsyncSeconds", w.fsyncSeconds())
                        .put("conflicts", w.conflicts())
                        .put("replays", w.replays()).put("overloads", w.overloads()).put("queueDepth", w.queueDepth()))
                .put("indexState", f.indexFailure() == null ? "ok" : "degraded")
                .put("index", new JsonObject()
                        .put("rebuilds", f.index().rebuilds()).put("discarded", f.index().discarded())
                        .put("runsWritten", f.index().runsWritten()).put("merges", f.index().merges())
                        .put("failures", f.index().failures()).put("replayedEvents", f.index().replayedEvents()))
                .put("recovery", new JsonObject()
                        .put("cutBytes", f.recovery().cutBytes())
                        .putRaw("actions", strings(f.recovery().actions())));
    }

    private static String strings(List<String> values) {
        StringBuilder b = new StringBuilder("[");
        for (String v : values) {
            if (b.length() > 1) b.append(',');
            JsonObject.quote(b, v);
        }
        return b.append(']').toString();
    }
}
