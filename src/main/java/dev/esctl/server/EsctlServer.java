package dev.esctl.server;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.esctl.engine.EventStore;
import dev.esctl.server.http.EsctlHttpServer;
import dev.esctl.server.http.HttpLimits;
import dev.esctl.wire.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's HTTP side: a JDK {@link HttpServer} with a thread per connection over one
 * {@link EventStore}. {@link #stop} stops accepting, lets requests in flight finish (an append
 * waiting for its fsync completes), then returns; the caller closes the store.
 */
public final class EsctlServer {
    private static final Logger log = LoggerFactory.getLogger(EsctlServer.class);
    /** Connections waiting to be accepted. */
    private static final int BACKLOG = 1024;

    static {
        // The JDK server's own limits: a request (headers and body) must arrive within two
        // minutes (slowloris), responses may take as long as they need (watches are long-lived).
        System.setProperty("sun.net.httpserver.maxReqTime", System.getProperty("sun.net.httpserver.maxReqTime", "120"));
        System.setProperty("sun.net.httpserver.maxReqHeaders", System.getProperty("sun.net.httpserver.maxReqHeaders", "64"));
        // Small responses go out at once: with Nagle's algorithm an ack waits on the client's delayed ACK.
        System.setProperty("sun.net.httpserver.nodelay", System.getProperty("sun.net.httpserver.nodelay", "true"));
    }

    private final EventStore store;
    private final ServerConfig config;
    private final String version;
    private final Map<String, HttpHandler> longLived = new LinkedHashMap<>();
    private final java.util.List<Consumer<JsonObject>> infoExtras = new java.util.ArrayList<>();
    private final WatchRegistry watches = new WatchRegistry();
    private final HttpStats httpStats = new HttpStats();
    private final ReadStats readStats = new ReadStats();
    private final AppendStats appendStats = new AppendStats();
    private AccessLog accessLog;
    private HttpServer server;
    private ExecutorService executor;

    public EsctlServer(EventStore store, ServerConfig config, String version) {
        this.store = store;
        this.config = config;
        this.version = version;
    }

    /** Adds a handler for one exact path that is not counted against the request limit (a watch, a snapshot). Before {@link #start}. */
    public void route(String path, HttpHandler handler) {
        longLived.put(path, handler);
    }

    /** Adds fields to {@code /info}. Before {@link #start}. */
    public void info(Consumer<JsonObject> extra) {
        infoExtras.add(extra);
    }

    /** The watches being served (for shutdown and metrics). */
    public WatchRegistry watches() {
        return watches;
    }

    /** HTTP requests by method, route and status (for metrics). */
    public HttpStats httpStats() {
        return httpStats;
    }

    /** Read requests by kind, events and bytes served (for metrics and {@code /info}). */
    public ReadStats readStats() {
        return readStats;
    }

    /** Append requests and refusals by reason (for metrics and {@code /info}). */
    public AppendStats appendStats() {
        return appendStats;
    }

    /** Writes one line per request to {@code log} (null: none). Before {@link #start}. */
    public void accessLog(AccessLog log) {
        this.accessLog = log;
    }

    /** esctl's own engine, or the JDK's with --http-engine jdk; HTTPS when TLS is configured. */
    private HttpServer createServer() throws IOException {
        HttpsConfigurator tls = config.tls() == null ? null : new HttpsConfigurator(config.tls());
        if (!config.jdkEngine()) {
            EsctlHttpServer own = new EsctlHttpServer(HttpLimits.defaults().withRequestMillis(config.requestTimeoutMs()));
            if (tls != null) own.setHttpsConfigurator(tls);
            own.bind(config.listen(), BACKLOG);
            return own;
        }
        if (tls == null) return HttpServer.create(config.listen(), BACKLOG);
        HttpsServer https = HttpsServer.create(config.listen(), BACKLOG);
        https.setHttpsConfigurator(tls);
        return https;
    }

    public void start() throws IOException {
        longLived.putIfAbsent("/watch", new WatchHandler(store, watches, readStats));
        infoExtras.add(watches::describe);
        infoExtras.add(readStats::describe);
        infoExtras.add(info -> info.put("appends", new JsonObject().put("requests", appendStats.requests()).putRaw("refusals", refusalsJson()))
                .put("http", new JsonObject().put("requests", httpStats.total())));
        server = createServer();
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        String listen = config.listen().getHostString() + ":" + server.getAddress().getPort();
        Router router = new Router(config, new AppendHandler(store, config), new ReadHandler(store, readStats), new StreamsHandler(store),
                new HealthHandler(store), new InfoHandler(store, version, listen, info -> infoExtras.forEach(e -> e.accept(info))), longLived,
                httpStats, readStats, appendStats, accessLog);
        server.createContext("/", router);
        server.start();
        if (config.token() == null && !config.listen().getAddress().isLoopbackAddress()) {
            log.warn("event=insecure_listen listen={} problem=\"listening beyond loopback without a token: anyone who can reach this port can read and append\" fix=\"--token-file FILE or ESCTL_TOKEN\"", listen);
        }
    }

    private String refusalsJson() {
        JsonObject o = new JsonObject();
        appendStats.refusals().forEach(o::put);
        return o.toString();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Stops accepting connections and waits up to {@code graceSeconds} for requests in flight. */
    public void stop(int graceSeconds) {
        if (server == null) return;
        server.stop(graceSeconds);
        executor.shutdown();
    }
}
