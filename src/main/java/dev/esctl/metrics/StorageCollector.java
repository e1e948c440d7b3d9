package dev.esctl.metrics;

import dev.esctl.engine.EventStore;
import dev.esctl.engine.StoreFacts;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;

/**
 * What the store holds, sampled once per scrape from {@link StoreFacts} (the same facts as
 * {@code esctl stat} and {@code /info}, so they agree): head, streams, segments and bytes on
 * disk, index files and what the indexes went through, and what recovery did at start-up.
 * Costs a directory listing per scrape and nothing in between.
 */
final class StorageCollector implements MultiCollector {
    private final EventStore store;

    StorageCollector(EventStore store) {
        this.store = store;
    }

    @Override
    public MetricSnapshots collect() {
        StoreFacts f = StoreFacts.of(store);
        List<MetricSnapshot> out = new ArrayList<>();
        out.add(gauge("esctl_head_seq", "Seq of the last committed event (0: empty store)", null, f.headSeq()));
        out.add(gauge("esctl_head_time_seconds", "Commit time of the last event, seconds since the epoch (0: empty store)", Unit.SECONDS,
                f.headTimeMicros() / 1e6));
        out.add(gauge("esctl_streams", "Streams in the store", null, f.streams()));
        out.add(gauge("esctl_segments", "Segment files of the log, sealed and active", null, f.segments()));
        out.add(gauge("esctl_segment_bytes", "Bytes of the segment files on disk", Unit.BYTES, f.segmentBytes()));
        out.add(gauge("esctl_index_files", "Files in the index directory (derived data)", null, f.indexFiles()));
        out.add(gauge("esctl_index_bytes", "Bytes of the index files on disk", Unit.BYTES, f.indexBytes()));
        out.add(gauge("esctl_index_runs", "Stream posting runs a stream lookup may visit (merged in the background)", null, f.indexRuns()));
        out.add(gauge("esctl_index_degraded", "1 when writing an index file failed: the store works from memory and the next open rebuilds", null,
                f.indexFailure() == null ? 0 : 1));
        out.add(counter("esctl_index_rebuilds", "Index files rebuilt from the segments since the store was opened", f.index().rebuilds()));
        out.add(counter("esctl_index_discarded_files", "Index files found missing, corrupt or stale and discarded since the store was opened",
                f.index().discarded()));
        out.add(counter("esctl_index_runs_written", "Posting runs written at segment seals since the store was opened", f.index().runsWritten()));
        out.add(counter("esctl_index_merges", "Posting run merges since the store was opened", f.index().merges()));
        out.add(counter("esctl_index_failures", "Failed index writes since the store was opened", f.index().failures()));
        out.add(gauge("esctl_recovery_truncated_bytes", "Bytes of a torn tail that recovery cut from the log when the store was opened",
                Unit.BYTES, f.recovery().cutBytes()));
        out.add(gauge("esctl_recovery_actions", "Actions recovery took when the store was opened (each logged as event=recovery)", null,
                f.recovery().actions().size()));
        out.add(gauge("esctl_open_duration_seconds", "Time opening the store took (recovery and index load)", Unit.SECONDS,
                f.openMillis() / 1e3));
        return new MetricSnapshots(out);
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of("esctl_head_seq", "esctl_head_time_seconds", "esctl_streams", "esctl_segments", "esctl_segment_bytes",
                "esctl_index_files", "esctl_index_bytes", "esctl_index_runs", "esctl_index_degraded", "esctl_index_rebuilds",
                "esctl_index_discarded_files", "esctl_index_runs_written", "esctl_index_merges", "esctl_index_failures",
                "esctl_recovery_truncated_bytes", "esctl_recovery_actions", "esctl_open_duration_seconds");
    }

    private static MetricSnapshot gauge(String name, String help, Unit unit, double value) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        if (unit != null) b.unit(unit);
        return b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value).build()).build();
    }

    private static MetricSnapshot counter(String name, String help, double value) {
        return CounterSnapshot.builder().name(name).help(help)
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(value).build()).build();
    }
}
