package dev.esctl.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real {@code esctl serve} process on a free port, for integration tests; its stderr is kept for assertions. */
public final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTEN = Pattern.compile("event=started .* listen=([^ ]+)");

    private final Process process;
    private final List<String> log;
    private final URI uri;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final Thread logReader;

    private ServerProcess(Process process, URI uri, List<String> log, Thread logReader) {
        this.process = process;
        this.uri = uri;
        this.log = log;
        this.logReader = logReader;
    }

    public static ServerProcess start(Path data, String... extraArgs) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("serve", "--data", data.toString(), "--listen", "127.0.0.1:0"));
        args.addAll(List.of(extraArgs));
        ProcessBuilder pb = Esctl.builder(args.toArray(String[]::new));
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch started = new CountDownLatch(1);
        String[] listen = new String[1];
        // A platform thread: a virtual one blocked on a pipe read could wait for a carrier while the test keeps both busy.
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                    Matcher m = LISTEN.matcher(line);
                    if (m.find()) {
                        listen[0] = m.group(1);
                        started.countDown();
                    }
                }
            } catch (IOException ignored) {
                // The process ended.
            }
            started.countDown();
        });
        if (!started.await(60, TimeUnit.SECONDS) || listen[0] == null) {
            p.destroyForcibly();
            throw new AssertionError("esctl serve did not start: " + String.join("\n", lines));
        }
        return new ServerProcess(p, URI.create("http://" + listen[0]), lines, reader);
    }

    public URI uri() { return uri; }
    public String url() { return uri.toString(); }
    public Process process() { return process; }

    public List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    public HttpResponse<String> send(String method, String path, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri.resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        return send("GET", path, null, headers);
    }

    public HttpResponse<String> post(String path, String body, String... headers) throws IOException, InterruptedException {
        return send("POST", path, body, headers);
    }

    /** SIGTERM, then the exit code (fails after 20 s). */
    public int terminate() throws InterruptedException {
        // Through the handle: Process.destroy() would also close our end of stderr, losing the last log lines.
        process.toHandle().destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) throw new AssertionError("esctl serve did not stop within 20 s of SIGTERM");
        logReader.join(5000);
        return process.exitValue();
    }

    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (!process.isAlive()) return;
        try {
            kill();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
