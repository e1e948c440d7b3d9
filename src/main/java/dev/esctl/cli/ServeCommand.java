package dev.esctl.cli;

import dev.esctl.engine.EventStore;
import dev.esctl.engine.StoreConfig;
import dev.esctl.server.EsctlServer;
import dev.esctl.server.ServerConfig;
import dev.esctl.server.SnapshotHandler;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

@Command(name = "serve",
        description = {"Run the daemon: the store of one data directory served over HTTP as ndjson (see esctl-serve(1) for the API).",
                "Stops cleanly on SIGTERM or Ctrl-C: stops accepting, finishes appends in flight, forces, closes, releases the lock, exits 0."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  esctl serve                                   # ./esctl-data on 127.0.0.1:7171",
                "  esctl serve --data /var/lib/esctl --listen 0.0.0.0:7171 --token-file /etc/esctl/token",
                "  curl -s localhost:7171/health"})
final class ServeCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (created on first run). Default: ./esctl-data, or ESCTL_DATA.")
    Path data;

    @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:" + ServerConfig.DEFAULT_PORT,
            description = "Address to listen on. Default: ${DEFAULT-VALUE}. Beyond loopback, set a token.")
    String listen;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Require 'Authorization: Bearer <token>' (the file's one line) on every request but /health. Env: ESCTL_TOKEN.")
    Path tokenFile;

    @Option(names = "--max-body-size", paramLabel = "SIZE", defaultValue = "64MiB", converter = SizeConverter.class,
            description = "Largest request body accepted. Default: ${DEFAULT-VALUE}.")
    long maxBodySize;

    @Option(names = "--max-requests", paramLabel = "N", defaultValue = "1024",
            description = "Requests served at once (watches not counted); more get 503. Default: ${DEFAULT-VALUE}.")
    int maxRequests;

    @Mixin WriteOptions write;

    @Override
    public Integer call() throws Exception {
        Path dir = data != null ? data : System.getenv("ESCTL_DATA") != null ? Path.of(System.getenv("ESCTL_DATA")) : Path.of("esctl-data");
        StoreConfig config = write.config();
        ServerConfig serverConfig = new ServerConfig(ServerConfig.parseListen(listen), StoreOptions.token(tokenFile), maxBodySize, maxRequests);
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());

        EventStore store = EventStore.open(dir, config);
        EsctlServer server = new EsctlServer(store, serverConfig, VersionProvider.version());
        server.route("/snapshot", new SnapshotHandler(store));
        try {
            server.start();
        } catch (Exception e) {
            store.close();
            throw new IllegalArgumentException("cannot listen on " + listen + ": " + e.getMessage(), e);
        }
        var head = store.head();
        var recovered = store.recovered();
        log.info("event=started version={} data={} listen={}:{} fsync={} segments={} events={} streams={} recovery=\"{}\" open_ms={} auth={}",
                VersionProvider.version(), dir.toAbsolutePath(), serverConfig.listen().getHostString(), server.address().getPort(),
                config.fsync(), head.segments().size(), head.seq(), store.streamCount(),
                recovered.actions().isEmpty() ? "none" : String.join("; ", recovered.actions()), store.openNanos() / 1_000_000,
                serverConfig.token() == null ? "none" : "bearer");

        stop.await();
        log.info("event=stopping reason=signal");
        long t0 = System.nanoTime();
        server.stop(10);
        store.close();
        log.info("event=stopped head_seq={} ms={}", store.head().seq(), (System.nanoTime() - t0) / 1_000_000);
        return ExitCodes.OK;
    }
}
