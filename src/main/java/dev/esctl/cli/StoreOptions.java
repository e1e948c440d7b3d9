package dev.esctl.cli;

import dev.esctl.client.EsctlClient;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.StoreConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the store is: a data directory used directly ({@code --data}, env {@code ESCTL_DATA})
 * or a running daemon ({@code --server}, env {@code ESCTL_SERVER}, by default
 * http://127.0.0.1:7171 when no data directory is given). Flags win over the environment.
 */
final class StoreOptions {
    static final String DEFAULT_SERVER = "http://127.0.0.1:7171";

    @Option(names = "--data", paramLabel = "DIR", description = "Work on this data directory directly (offline). Env: ESCTL_DATA.")
    Path data;

    @Option(names = "--server", paramLabel = "URL", description = "Talk to a running daemon (default " + DEFAULT_SERVER + " when no data directory is given). Env: ESCTL_SERVER.")
    String server;

    @Option(names = "--token-file", paramLabel = "FILE", description = "File holding the server's bearer token. Env: ESCTL_TOKEN (the token itself).")
    Path tokenFile;

    @Option(names = "--cacert", paramLabel = "FILE", description = "Also trust the CA certificate(s) in this PEM file for an https server. Env: ESCTL_CACERT.")
    Path cacert;

    /** True when the command works on a data directory rather than a server. */
    boolean offline() {
        if (data != null && server != null) throw new IllegalArgumentException("give either --data or --server, not both");
        if (data != null) return true;
        if (server != null) return false;
        return env("ESCTL_DATA") != null && env("ESCTL_SERVER") == null;
    }

    Path dataDir() {
        if (data != null) return data;
        String env = env("ESCTL_DATA");
        if (env != null) return Path.of(env);
        throw new IllegalArgumentException("no store given: pass --data DIR (or set ESCTL_DATA)");
    }

    EsctlClient client() throws IOException {
        String url = server != null ? server : env("ESCTL_SERVER") != null ? env("ESCTL_SERVER") : DEFAULT_SERVER;
        URI uri;
        try {
            uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--server '" + url + "' is not a URL like " + DEFAULT_SERVER);
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException("--server '" + url + "' is not an http(s) URL like " + DEFAULT_SERVER);
        }
        Path ca = cacert != null ? cacert : env("ESCTL_CACERT") != null ? Path.of(env("ESCTL_CACERT")) : null;
        return new EsctlClient(uri, token(tokenFile), ca == null ? null : Tls.client(ca));
    }

    /** The token from {@code file}, else from ESCTL_TOKEN, else null. */
    static String token(Path file) throws IOException {
        if (file != null) {
            if (!Files.isReadable(file)) throw new IllegalArgumentException("cannot read the token file " + file);
            String t = Files.readString(file).strip();
            if (t.isEmpty() || t.contains("\n")) throw new IllegalArgumentException("the token file " + file + " must hold one non-empty line");
            return t;
        }
        return env("ESCTL_TOKEN");
    }

    EventStore openForReading() throws IOException {
        return EventStore.openReadOnly(dataDir());
    }

    EventStore openForWriting(StoreConfig config) throws IOException {
        return EventStore.open(dataDir(), config);
    }

    private static String env(String name) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? null : v;
    }
}
