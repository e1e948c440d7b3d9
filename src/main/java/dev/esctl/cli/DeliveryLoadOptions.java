package dev.esctl.cli;

import picocli.CommandLine.Option;

/** The shape of the appends a watch or mixed benchmark delivers to its watchers, and how long delivery may lag. */
final class DeliveryLoadOptions {
    @Option(names = "--batch", paramLabel = "B", defaultValue = "10", description = "Events per append. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--event-size", paramLabel = "BYTES", defaultValue = "200", description = "Bytes of JSON data per event. Default: ${DEFAULT-VALUE}.")
    int eventSize;

    @Option(names = "--drain", paramLabel = "TIME", defaultValue = "30s", converter = DurationConverter.class,
            description = "After the last ack, how long the watchers may take to receive everything before the run fails. Default: ${DEFAULT-VALUE}.")
    long drainMs;
}
