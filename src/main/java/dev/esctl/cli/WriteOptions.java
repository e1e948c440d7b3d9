package dev.esctl.cli;

import dev.esctl.engine.FsyncPolicy;
import dev.esctl.engine.StoreConfig;
import picocli.CommandLine.Option;

/** Settings of a store opened for writing: fsync policy, segment size, event size limit. */
final class WriteOptions {
    @Option(names = "--fsync", paramLabel = "POLICY", defaultValue = "always",
            description = "When appends are forced to disk: always (ack after fsync), interval=<ms>, never. Default: ${DEFAULT-VALUE}.")
    String fsync;

    @Option(names = "--segment-size", paramLabel = "SIZE", defaultValue = "256MiB", converter = SizeConverter.class,
            description = "Roll to a new segment file past this size (64KiB..1GiB). Default: ${DEFAULT-VALUE}.")
    long segmentSize;

    @Option(names = "--max-event-size", paramLabel = "SIZE", defaultValue = "1MiB", converter = SizeConverter.class,
            description = "Largest event accepted (stream + type + data + meta bytes). Default: ${DEFAULT-VALUE}.")
    long maxEventSize;

    StoreConfig config() {
        if (maxEventSize > Integer.MAX_VALUE) throw new IllegalArgumentException("--max-event-size " + maxEventSize + " is too large");
        return StoreConfig.defaults()
                .withFsync(FsyncPolicy.parse(fsync))
                .withSegmentSize(segmentSize)
                .withMaxEventBytes((int) maxEventSize);
    }
}
