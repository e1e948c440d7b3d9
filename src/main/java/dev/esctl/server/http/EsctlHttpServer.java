package dev.esctl.server.http;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import javax.net.ssl.SSLServerSocket;

/**
 * The JDK's {@link HttpServer} API, served by blocking sockets with one thread per connection:
 * a kept-alive connection's next request is read by the thread that served the last one, where
 * the JDK's own server hands the connection back to a selector thread and forward to a new task
 * for every request (about three times the cost per request on a small machine). Also an
 * {@link HttpsServer} when given an {@link HttpsConfigurator}. The executor, if set, is kept but
 * not used. Thread-safe.
 *
 * <p>The first {@value #PLATFORM_CONNECTIONS} connections open at a time get platform threads,
 * the others virtual threads. A platform thread blocked on its socket is woken by the kernel
 * directly; a virtual thread needs the poller thread and then a carrier thread woken, two thread
 * switches where a quiet machine's cores are asleep. One client over HTTP went from 1,728 to
 * 2,311 appends/s with the few platform threads (p50 0.51 → 0.38 ms, daemon CPU per append
 * 344 → 207 µs); under load virtual threads cost less (all connections on platform threads: 64
 * clients 12 % slower, 27 % more CPU), and with 4 platform threads among many they are unchanged.
 */
public final class EsctlHttpServer extends HttpsServer {
    private final HttpLimits limits;
    private final Map<String, Context> contexts = new ConcurrentHashMap<>();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private ServerSocket listener;
    private Executor executor;
    private HttpsConfigurator https;
    private Thread acceptor;
    private Thread deadlineSweep;
    private volatile boolean stopping;
    /** Connections served on platform threads at a time; the rest get virtual threads (see the class comment). */
    static final int PLATFORM_CONNECTIONS = 4;
    private final Semaphore platformSlots = new Semaphore(PLATFORM_CONNECTIONS);

    public EsctlHttpServer(HttpLimits limits) {
        this.limits = limits;
    }

    @Override
    public void bind(InetSocketAddress address, int backlog) throws IOException {
        if (listener != null) throw new IllegalStateException("already bound");
        listener = https != null ? https.getSSLContext().getServerSocketFactory().createServerSocket() : new ServerSocket();
        if (listener instanceof SSLServerSocket ssl) ssl.setUseClientMode(false);
        listener.setReuseAddress(true);
        listener.bind(address, backlog);
    }

    @Override
    public void start() {
        if (listener == null) throw new IllegalStateException("not bound");
        acceptor = Thread.ofPlatform().name("esctl-http-accept").daemon().start(this::accept);
        deadlineSweep = Thread.ofPlatform().name("esctl-http-deadlines").daemon().start(this::sweepDeadlines);
    }

    /**
     * Cuts off reads that wait past their request or idle deadline (see {@link RequestInput}),
     * checking every twentieth of the shortest limit: a deadline is kept to within that (at most
     * half a second late).
     */
    private void sweepDeadlines() {
        long tickMillis = Math.clamp(Math.min(limits.requestMillis(), limits.idleMillis()) / 20, 10, 500);
        while (!stopping) {
            try {
                Thread.sleep(tickMillis);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Connection c : connections) c.cutIfLate(now);
        }
    }

    private void accept() {
        while (!stopping) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (stopping || listener.isClosed()) return;
                continue;
            }
            Connection c = new Connection(this, socket, limits);
            if (connections.size() >= limits.connections()) {
                // Beyond the limit a connection is closed at once: it must not cost a thread.
                c.abort();
                continue;
            }
            connections.add(c);
            // A free platform slot first (see the class comment); it is given back when the connection ends.
            if (platformSlots.tryAcquire()) {
                Thread.ofPlatform().name("esctl-http-connection").daemon().start(() -> {
                    try {
                        c.run();
                    } finally {
                        platformSlots.release();
                    }
                });
            } else {
                Thread.ofVirtual().name("esctl-http-connection").start(c);
            }
        }
    }

    void closed(Connection c) {
        connections.remove(c);
    }

    boolean stopping() {
        return stopping;
    }

    /** The context whose path is the longest prefix of {@code path}. */
    HttpContext contextFor(String path) {
        Context best = null;
        for (Context c : contexts.values()) {
            if (path.startsWith(c.path) && (best == null || c.path.length() > best.path.length())) best = c;
        }
        return best;
    }

    /** Stops accepting, closes idle connections, waits up to {@code delaySeconds} for exchanges in flight, then closes the rest. */
    @Override
    public void stop(int delaySeconds) {
        stopping = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // Closing anyway.
        }
        long deadline = System.nanoTime() + delaySeconds * 1_000_000_000L;
        while (true) {
            for (Connection c : connections) if (c.idle()) c.abort();
            if (connections.isEmpty() || System.nanoTime() > deadline) break;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (Connection c : connections) c.abort();
        if (deadlineSweep != null) deadlineSweep.interrupt();
    }

    @Override
    public void setExecutor(Executor executor) { this.executor = executor; }
    @Override
    public Executor getExecutor() { return executor; }
    @Override
    public InetSocketAddress getAddress() { return (InetSocketAddress) listener.getLocalSocketAddress(); }
    @Override
    public void setHttpsConfigurator(HttpsConfigurator config) { this.https = config; }
    @Override
    public HttpsConfigurator getHttpsConfigurator() { return https; }

    @Override
    public HttpContext createContext(String path, HttpHandler handler) {
        Context c = new Context(path, handler);
        if (contexts.putIfAbsent(path, c) != null) throw new IllegalArgumentException("a context for " + path + " exists");
        return c;
    }

    @Override
    public HttpContext createContext(String path) {
        return createContext(path, null);
    }

    @Override
    public void removeContext(String path) {
        if (contexts.remove(path) == null) throw new IllegalArgumentException("no context for " + path);
    }

    @Override
    public void removeContext(HttpContext context) {
        removeContext(context.getPath());
    }

    /** A path and its handler. */
    private final class Context extends HttpContext {
        private final String path;
        private HttpHandler handler;
        private final Map<String, Object> attributes = new HashMap<>();
        private final List<Filter> filters = new ArrayList<>();
        private Authenticator authenticator;

        Context(String path, HttpHandler handler) {
            this.path = path;
            this.handler = handler;
        }

        @Override
        public HttpHandler getHandler() { return handler; }
        @Override
        public void setHandler(HttpHandler h) { handler = h; }
        @Override
        public String getPath() { return path; }
        @Override
        public HttpServer getServer() { return EsctlHttpServer.this; }
        @Override
        public Map<String, Object> getAttributes() { return attributes; }
        @Override
        public List<Filter> getFilters() { return filters; }
        @Override
        public Authenticator setAuthenticator(Authenticator a) {
            Authenticator old = authenticator;
            authenticator = a;
            return old;
        }
        @Override
        public Authenticator getAuthenticator() { return authenticator; }
    }
}
