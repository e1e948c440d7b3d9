package dev.esctl.server.http;

/**
 * The transport's limits: a request line or header line may be at most {@code lineBytes},
 * a request at most {@code headers} header lines; the head and body of a request must arrive
 * within {@code requestMillis} (slow clients are cut off); a kept-alive connection may sit idle
 * for {@code idleMillis}; at most {@code connections} connections are open at once.
 */
public record HttpLimits(int lineBytes, int headers, long requestMillis, long idleMillis, int connections) {
    public static HttpLimits defaults() {
        return new HttpLimits(16 * 1024, 100, 120_000, 60_000, 20_000);
    }

    public HttpLimits withRequestMillis(long ms) {
        return new HttpLimits(lineBytes, headers, ms, idleMillis, connections);
    }
}
