package dev.esctl.bench;

import dev.esctl.client.EsctlClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP clients of the append benchmark, all driven by one thread over one selector, as
 * redis-benchmark and wrk drive theirs: each client is a kept-alive connection with one request
 * in flight, waiting for its ack before the next. A thread per client would cost a wake-up (a
 * context switch) per response, in this process and in the daemon's write to the socket, and on
 * a 2-core machine the load generator would take the CPU the daemon is measured on. A request
 * without an expectation is built once per client and resent as is, and a response is read in
 * place. Not thread-safe: {@link #run} once.
 */
final class HttpAppendLoop {
    /** A response needs no more than this (an append's result, a one-event read). */
    private static final int RESPONSE_BYTES_MAX = 64 * 1024;
    /** After the deadline, how long the acks still in flight may take before the run fails. */
    private static final long ACK_WAIT_AFTER_DEADLINE_NANOS = 60_000_000_000L;

    private final URI server;
    private final String token;
    private final AppendBenchmark.Options options;
    private final byte[] body;
    private final AppendTally tally;

    HttpAppendLoop(URI server, String token, AppendBenchmark.Options options, byte[] data, AppendTally tally) {
        this.server = server;
        this.token = token;
        this.options = options;
        this.tally = tally;
        this.body = AppendBenchmark.ndjsonBody(data, options.batchEvents());
    }

    /** Runs every client until the deadline (or the event limit), then waits for the acks in flight. */
    void run(long deadlineNanos, String[] streams) throws IOException {
        try (Selector selector = Selector.open()) {
            List<Client> clients = new ArrayList<>();
            try {
                for (String stream : streams) clients.add(new Client(selector, stream));
                int inFlight = 0;
                for (Client c : clients) if (c.start()) inFlight++;
                while (inFlight > 0) {
                    if (System.nanoTime() - deadlineNanos > ACK_WAIT_AFTER_DEADLINE_NANOS) {
                        throw new IOException(inFlight + " appends still unanswered a minute after the end of the run: is the daemon stuck?");
                    }
                    selector.select(1000);
                    for (SelectionKey key : selector.selectedKeys()) {
                        Client c = (Client) key.attachment();
                        if (!c.onReady(key, deadlineNanos)) inFlight--;
                    }
                    selector.selectedKeys().clear();
                }
            } finally {
                for (Client c : clients) c.close();
            }
        }
    }

    /** One connection and its one request in flight: an append, or the read of a version after a conflict. */
    private final class Client {
        private final SocketChannel channel;
        private final SelectionKey key;
        private final String path;
        private final ByteBuffer anyRequest; // the append without an expectation, built once
        private final ByteBuffer response = ByteBuffer.allocate(RESPONSE_BYTES_MAX);
        private ByteBuffer request;
        private boolean askingVersion;
        private long version;
        private long sentNanos;

        Client(Selector selector, String stream) throws IOException {
            channel = SocketChannel.open();
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.connect(new InetSocketAddress(server.getHost(), server.getPort()));
            channel.configureBlocking(false);
            key = channel.register(selector, 0, this);
            path = EsctlClient.streamPath(stream);
            anyRequest = options.expect() ? null : request("POST", path, body);
        }

        /** Sends the first request; false when the event limit leaves this client nothing to do. */
        boolean start() throws IOException {
            if (!tally.claim(options.batchEvents(), options.maxEvents())) return false;
            if (options.expect()) askVersion();
            else append();
            return true;
        }

        private void append() throws IOException {
            request = options.expect() ? request("POST", path + "?expect=" + version, body) : anyRequest.rewind();
            askingVersion = false;
            send();
        }

        private void askVersion() throws IOException {
            request = request("GET", path + "?backward=true&limit=1", null);
            askingVersion = true;
            send();
        }

        private void send() throws IOException {
            response.clear();
            sentNanos = System.nanoTime();
            channel.write(request);
            key.interestOps(request.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        /** Moves the exchange on; false once this client is done (its last ack came after the deadline). */
        boolean onReady(SelectionKey k, long deadlineNanos) throws IOException {
            if (k.isWritable()) {
                channel.write(request);
                if (!request.hasRemaining()) key.interestOps(SelectionKey.OP_READ);
                return true;
            }
            if (channel.read(response) < 0) throw new IOException("the daemon closed a connection while a request was in flight");
            HttpResponse r = HttpResponse.parse(response);
            if (r == null) {
                if (!response.hasRemaining()) throw new IOException("a response is longer than " + RESPONSE_BYTES_MAX + " bytes");
                return true;
            }
            long now = System.nanoTime();
            if (askingVersion) {
                if (r.status() != 200 && r.status() != 404) throw unexpected("a version read", r);
                version = r.status() == 404 ? 0 : r.lastNumber("\"version\":");
            } else if (r.status() == 409 && options.expect()) {
                tally.conflict();
                askVersion();
                return true;
            } else if (r.status() == 200) {
                tally.acked(options.batchEvents(), (now - sentNanos) / 1000);
                version = r.lastNumber("\"lastVersion\":");
            } else {
                throw unexpected("an append", r);
            }
            if (!askingVersion && (now >= deadlineNanos || !tally.claim(options.batchEvents(), options.maxEvents()))) {
                key.interestOps(0);
                return false;
            }
            append();
            return true;
        }

        private IOException unexpected(String what, HttpResponse r) {
            return new IOException(what + " answered HTTP " + r.status() + ": " + r.body().strip());
        }

        private ByteBuffer request(String method, String pathAndQuery, byte[] content) {
            return ByteBuffer.wrap(KeepAliveHttp.request(server, token, method, pathAndQuery, content));
        }

        void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing anyway.
            }
        }
    }
}
