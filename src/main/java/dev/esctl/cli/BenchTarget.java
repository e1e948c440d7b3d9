package dev.esctl.cli;

import dev.esctl.bench.LoadTarget;
import dev.esctl.bench.ServerProbe;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where a benchmark's load goes, for bench read, watch and mixed: a daemon over HTTP
 * ({@code --server}) or a store opened in this process ({@code --data}, or for commands that
 * allow it a fresh temporary one), and how to look at the daemon's memory and CPU.
 */
final class BenchTarget {
    @Option(names = "--server", paramLabel = "URL", description = "Run against this daemon over plain HTTP, e.g. http://127.0.0.1:7171 (default: in-process).")
    String server;

    @Option(names = "--data", paramLabel = "DIR", description = "In-process: the store to open (it must not be served by a daemon at the same time).")
    Path data;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Bearer token for --server. Env: ESCTL_TOKEN.")
    Path tokenFile;

    @Option(names = "--server-pid", paramLabel = "PID",
            description = "With --server on this machine: the daemon's process id, to read its RSS, RSS high-water mark and CPU time from /proc "
                    + "(without it they come from the daemon's /metrics).")
    long serverPid;

    boolean http() {
        if (server != null && data != null) throw new IllegalArgumentException("give either --server or --data, not both");
        return server != null;
    }

    URI uri() {
        URI uri;
        try {
            uri = URI.create(server.endsWith("/") ? server.substring(0, server.length() - 1) : server);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--server '" + server + "' is not a URL like " + StoreOptions.DEFAULT_SERVER);
        }
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException("--server '" + server + "' is not a plain http URL with a port like " + StoreOptions.DEFAULT_SERVER
                    + " (the load generator does not speak TLS)");
        }
        return uri;
    }

    LoadTarget httpTarget(int eventBytes) throws IOException {
        return LoadTarget.http(uri(), StoreOptions.token(tokenFile), eventBytes);
    }

    /** The daemon's probe (over /metrics, or /proc with --server-pid); null in-process. */
    ServerProbe probe(LoadTarget target) {
        ServerProbe p = target.probe();
        return p == null || serverPid <= 0 ? p : p.withPid(serverPid);
    }


    /** A fresh store next to the current directory, for a run without --data; delete it afterwards with {@link BenchCommand#deleteTree}. */
    static Path temporaryStore() throws IOException {
        return Files.createTempDirectory(Path.of("").toAbsolutePath(), "esctl-bench-");
    }
}
