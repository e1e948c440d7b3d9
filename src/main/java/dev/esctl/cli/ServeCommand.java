package dev.esctl.cli;

import dev.esctl.engine.EventStore;
import dev.esctl.engine.StoreConfig;
import dev.esctl.engine.WriterStats;
import dev.esctl.metrics.MetricsHandler;
import dev.esctl.metrics.StoreMetrics;
import dev.esctl.metrics.WriterEventLog;
import dev.esctl.metrics.WriterListeners;
import dev.esctl.server.AccessLog;
import dev.esctl.server.EsctlServer;
import dev.esctl.server.ServerConfig;
import dev.esctl.server.WatchRegistry;
import dev.esctl.server.SnapshotHandler;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
                "Stops cleanly on SIGTERM or Ctrl-C: stops accepting, finishes appends in flight, forces, closes, releases the lock, exits 0.",
                "GET /metrics serves Prometheus metrics (esctl_*, plus jvm_* and process_*); every metric is described in esctl-metrics(7): man -l man/esctl-metrics.7"},
        footerHeading = "%nExamples:%n",
        footer = {
                "  esctl serve                                   # ./esctl-data on 127.0.0.1:7171",
                "  esctl serve --data /var/lib/esctl --listen 0.0.0.0:7171 --token-file /etc/esctl/token",
                "  curl -s localhost:7171/health",
                "  curl -s localhost:7171/metrics | grep ^esctl_append",
                "  esctl serve --access-log=/var/log/esctl/access.log --slow-fsync 50ms"})
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

    @Option(names = "--request-timeout", paramLabel = "TIME", defaultValue = "120s", converter = DurationConverter.class,
            description = "A request's headers and body must arrive within this time (slow clients are cut off). Default: ${DEFAULT-VALUE}.")
    long requestTimeoutMs;

    @Option(names = "--max-watches", paramLabel = "N", defaultValue = "10000",
            description = "Watches served at once; more get 503. Default: ${DEFAULT-VALUE}.")
    int maxWatches;

    @Option(names = "--no-preallocate", description = "Do not keep the next segment file written ahead of time (saves one segment of disk; fsyncs cost more).")
    boolean noPreallocate;

    @Option(names = "--http-engine", paramLabel = "ENGINE", defaultValue = "esctl",
            description = "esctl (default: a virtual thread per connection) or jdk (the JDK's own HttpServer, for comparison). Default: ${DEFAULT-VALUE}.")
    String httpEngine;

    @Option(names = "--tls-keystore", paramLabel = "FILE", description = "Serve HTTPS with the key and certificate in this PKCS#12 file.")
    Path tlsKeystore;

    @Option(names = "--tls-password-file", paramLabel = "FILE", description = "Password of --tls-keystore. Env: ESCTL_TLS_PASSWORD.")
    Path tlsPasswordFile;

    @Mixin WriteOptions write;

    @Option(names = "--no-metrics", description = "Do not serve GET /metrics and record no latency histograms (the writer's plain counters stay, for stat and /info).")
    boolean noMetrics;

    @Option(names = "--access-log", paramLabel = "FILE", arity = "0..1", fallbackValue = "-",
            description = "Log one line per HTTP request (method, path, status, bytes, duration): to stderr with the other log lines, or appended to FILE. Never logs headers or the token.")
    String accessLog;

    @Option(names = "--slow-fsync", paramLabel = "TIME", defaultValue = "100ms", converter = DurationConverter.class,
            description = "Log (event=slow_fsync, at most one line per 10 s, with the count) fsyncs that take at least this long; 0: never. Default: ${DEFAULT-VALUE}.")
    long slowFsyncMs;

    private boolean jdkEngine() {
        return switch (httpEngine) {
            case "esctl" -> false;
            case "jdk" -> true;
            default -> throw new IllegalArgumentException("--http-engine '" + httpEngine + "' is not esctl or jdk");
        };
    }

    @Override
    public Integer call() throws Exception {
        Path dir = data != null ? data : System.getenv("ESCTL_DATA") != null ? Path.of(System.getenv("ESCTL_DATA")) : Path.of("esctl-data");
        StoreConfig config = write.config().withPreallocate(!noPreallocate);
        ServerConfig serverConfig = new ServerConfig(ServerConfig.parseListen(listen), StoreOptions.token(tokenFile), maxBodySize, maxRequests,
                tlsKeystore == null ? null : Tls.server(tlsKeystore, Tls.password(tlsPasswordFile)), jdkEngine(), requestTimeoutMs);
        // The JDK server reads its time limit once, when its classes load: set it before.
        System.setProperty("sun.net.httpserver.maxReqTime", Long.toString(Math.max(1, (requestTimeoutMs + 999) / 1000)));
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());

        if (slowFsyncMs < 0) throw new IllegalArgumentException("--slow-fsync must not be negative");
        if ("-".equals(accessLog)) Logging.enable(AccessLog.class.getName());
        AccessLog access = accessLog == null ? null : "-".equals(accessLog) ? AccessLog.toStderr() : AccessLog.toFile(Path.of(accessLog));

        EventStore store = EventStore.open(dir, config);
        EsctlServer server = new EsctlServer(store, serverConfig, VersionProvider.version());
        WatchRegistry watches = server.watches();
        watches.limit(maxWatches);
        WriterEventLog writerLog = new WriterEventLog(TimeUnit.MILLISECONDS.toNanos(slowFsyncMs), TimeUnit.SECONDS.toNanos(10)).start();
        List<WriterStats.Listener> listeners = new ArrayList<>(List.of(writerLog));
        if (!noMetrics) {
            StoreMetrics metrics = StoreMetrics.of(store).withServer(server);
            listeners.add(metrics.listener());
            server.route("/metrics", new MetricsHandler(metrics));
        }
        store.stats().setListener(WriterListeners.of(listeners));
        server.accessLog(access);
        server.route("/snapshot", new SnapshotHandler(store));
        try {
            server.start();
        } catch (Exception e) {
            writerLog.close();
            store.close();
            throw new IllegalArgumentException("cannot listen on " + listen + ": " + e.getMessage(), e);
        }
        var head = store.head();
        var recovered = store.recovered();
        log.info("event=started version={} data={} listen={}:{} fsync={} segments={} events={} streams={} recovery=\"{}\" open_ms={} auth={} tls={} http_engine={} metrics={} access_log={}",
                VersionProvider.version(), dir.toAbsolutePath(), serverConfig.listen().getHostString(), server.address().getPort(),
                config.fsync(), head.segments().size(), head.seq(), store.streamCount(),
                recovered.actions().isEmpty() ? "none" : String.join("; ", recovered.actions()), store.openNanos() / 1_000_000,
                serverConfig.token() == null ? "none" : "bearer", serverConfig.tls() == null ? "off" : "on", httpEngine, noMetrics ? "off" : "/metrics",
                accessLog == null ? "off" : "-".equals(accessLog) ? "stderr" : Path.of(accessLog).toAbsolutePath());

        stop.await();
        log.info("event=stopping reason=signal");
        long t0 = System.nanoTime();
        // Watches first: they end cleanly at once; one whose client stopped reading is cut off.
        watches.closeAll();
        for (int i = 0; i < 50 && watches.active() > 0; i++) Thread.sleep(20);
        watches.abortRemaining();
        server.stop(10);
        writerLog.close();
        store.close();
        if (access != null) access.close();
        log.info("event=stopped head_seq={} ms={}", store.head().seq(), (System.nanoTime() - t0) / 1_000_000);
        return ExitCodes.OK;
    }
}
