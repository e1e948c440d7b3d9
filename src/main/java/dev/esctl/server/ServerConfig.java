package dev.esctl.server;

import java.net.InetSocketAddress;

/**
 * How the daemon serves.
 *
 * @param listen                 address and port (port 0: any free port)
 * @param token                  bearer token every request but /health must carry; null: no auth
 * @param maxBodyBytes           largest request body accepted
 * @param maxConcurrentRequests  requests served at once (watches not counted); more are refused with 503
 * @param tls                    serve HTTPS with this context; null: plain HTTP
 * @param jdkEngine              serve with the JDK's own HttpServer instead of esctl's (see EsctlHttpServer)
 * @param requestTimeoutMs       a request's head and body must arrive within this
 */
public record ServerConfig(InetSocketAddress listen, String token, long maxBodyBytes, int maxConcurrentRequests, javax.net.ssl.SSLContext tls,
                           boolean jdkEngine, long requestTimeoutMs) {
    public ServerConfig(InetSocketAddress listen, String token, long maxBodyBytes, int maxConcurrentRequests) {
        this(listen, token, maxBodyBytes, maxConcurrentRequests, null, false, 120_000);
    }

    public static final int DEFAULT_PORT = 7171;
    public static final long DEFAULT_MAX_BODY_BYTES = 64L * 1024 * 1024;

    public static InetSocketAddress parseListen(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) throw new IllegalArgumentException("--listen '" + hostPort + "' is not HOST:PORT");
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--listen '" + hostPort + "' has no port number");
        }
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--listen port " + port + " is outside 0..65535");
        return new InetSocketAddress(host.isEmpty() ? "0.0.0.0" : host, port);
    }
}
