package dev.esctl.cli;

import dev.esctl.client.EsctlClient;
import dev.esctl.client.RemoteException;
import dev.esctl.client.ServerUnavailableException;
import dev.esctl.engine.EventStore;
import dev.esctl.engine.Watch;
import dev.esctl.engine.WatchQuery;
import dev.esctl.storage.EventRecord;
import dev.esctl.wire.EventWriter;
import dev.esctl.wire.LineReader;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;

@Command(name = "watch",
        description = {"Print events as they are committed: the history from a start position, then live, each once and in order.",
                "On a terminal one readable line per event (time, seq, stream@version, type, data); piped, exact ndjson. "
                        + "When the connection drops it reconnects and resumes after the last event printed (--no-reconnect to stop instead). "
                        + "With --data it follows a data directory that another process writes. Ctrl-C exits 0."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  esctl watch                                   # everything from the start, then live",
                "  esctl watch orders --recursive --from end     # only new events below orders/",
                "  esctl watch orders/42 --version 3 --type OrderShipped",
                "  esctl watch --from 1000 | jq -c .data         # a projection",
                "  esctl watch orders -r --from end --limit 1    # wait for the next one"})
final class WatchCommand implements Callable<Integer> {
    @Mixin StoreOptions store;

    @Parameters(index = "0", arity = "0..1", paramLabel = "STREAM", description = "Stream to watch; all events when absent.")
    String stream;

    @Option(names = "--from", paramLabel = "SEQ|end", description = "Start at this seq (default 1: the whole history), or 'end' for only new events.")
    String from;

    // This command's --version is a stream version, so the inherited -V/--version (and with it
    // -h/--help) does not apply here: help is declared on its own.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--version", paramLabel = "V", description = "Start at this version of STREAM.")
    long version;

    @Option(names = {"-r", "--recursive"}, description = "Also watch every stream below STREAM.")
    boolean recursive;

    @Option(names = "--type", paramLabel = "TYPE", split = ",", description = "Only events of this type; repeat or separate with commas.")
    List<String> types;

    @Option(names = "--control", description = "Also print control lines (caughtUp, heartbeat, checkpoint, fellBehind) as JSON.")
    boolean control;

    @Option(names = "--no-reconnect", description = "Exit (code 6) when the connection to the server drops, instead of resuming.")
    boolean noReconnect;

    @Option(names = "--heartbeat", paramLabel = "TIME", defaultValue = "5s", converter = DurationConverter.class,
            description = "Heartbeat interval asked of the server. Default: ${DEFAULT-VALUE}.")
    long heartbeatMs;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0",
            description = "Exit 0 after printing N events (e.g. wait for the next one: --from end --limit 1). Default: no limit.")
    long limit;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto", description = "Colours: auto (on a terminal), always, never.")
    String color;

    private final OutputStream stdout = new FileOutputStream(FileDescriptor.out);
    private boolean readable;
    private boolean colour;
    private long lastSeq;
    private long resumeAfter;
    private long printed;

    @Override
    public Integer call() throws Exception {
        boolean tty = System.console() != null && System.getenv("TERM") != null && !"dumb".equals(System.getenv("TERM"));
        readable = tty;
        colour = color.equals("always") || (color.equals("auto") && tty && System.getenv("NO_COLOR") == null);
        Signal.handle(new Signal("INT"), s -> {
            try {
                stdout.flush();
            } catch (IOException ignored) {
                // Exiting anyway.
            }
            Runtime.getRuntime().halt(ExitCodes.OK);
        });
        boolean fromEnd = "end".equals(from);
        long fromSeq = fromEnd || from == null ? 1 : Long.parseLong(from);
        if (fromSeq < 1) throw new IllegalArgumentException("--from must be a seq (1, 2, ...) or 'end', got " + from);
        if (limit < 0) throw new IllegalArgumentException("--limit must be a number of events (0: no limit), got " + limit);
        return store.offline() ? offline(fromSeq, fromEnd) : remote(fromSeq, fromEnd);
    }

    private int offline(long fromSeq, boolean fromEnd) throws IOException {
        try (EventStore es = store.openForReading()) {
            WatchQuery q = new WatchQuery(stream, recursive, types == null ? null : new HashSet<>(types), fromSeq, version, fromEnd);
            Watch watch = es.watch(q);
            EventWriter writer = new EventWriter(stdout);
            ByteArrayOutputStream line = new ByteArrayOutputStream(512);
            EventWriter lineWriter = new EventWriter(line);
            boolean sentCaughtUp = false;
            while (true) {
                EventRecord e = watch.next(200, TimeUnit.MILLISECONDS);
                if (e != null) {
                    if (readable) {
                        line.reset();
                        lineWriter.write(e);
                        print(line.toByteArray());
                    } else {
                        writer.write(e);
                    }
                    if (limitReached()) {
                        writer.flush();
                        stdout.flush();
                        return ExitCodes.OK;
                    }
                    continue;
                }
                stdout.flush();
                if (control && !sentCaughtUp && watch.caughtUp()) {
                    printControl("{\"caughtUp\":{\"seq\":" + watch.examined() + ",\"head\":" + watch.headSeen() + "}}");
                    sentCaughtUp = true;
                }
                es.refresh();
            }
        }
    }

    private int remote(long fromSeq, boolean fromEnd) throws Exception {
        EsctlClient client = store.client();
        long backoffMs = 200;
        boolean first = true;
        while (true) {
            Map<String, Object> params = new LinkedHashMap<>();
            if (first) {
                params.put("from", fromEnd ? "end" : fromSeq == 1 ? null : fromSeq);
                params.put("version", version > 0 ? version : null);
            } else {
                params.put("from", resumeAfter + 1);
            }
            params.put("stream", stream);
            params.put("recursive", recursive ? "true" : null);
            params.put("type", types == null || types.isEmpty() ? null : String.join(",", types));
            params.put("heartbeat", heartbeatMs);
            try (InputStream in = client.get("/watch" + EsctlClient.query(params))) {
                if (!first) System.err.println("esctl: reconnected to " + client.base() + ", resuming after seq " + resumeAfter);
                first = false;
                backoffMs = 200;
                if (follow(in)) return ExitCodes.OK;
                if (noReconnect) return ExitCodes.UNAVAILABLE;
                System.err.println("esctl: the server ended the watch; reconnecting");
            } catch (ServerUnavailableException | IOException e) {
                if (noReconnect) throw e instanceof IOException io ? new ServerUnavailableException("the watch connection dropped: " + io.getMessage(), io) : e;
                if (first && e instanceof ServerUnavailableException) throw e;
                System.err.println("esctl: connection lost (" + e.getMessage() + "); reconnecting in " + backoffMs + " ms");
            } catch (RemoteException e) {
                if (first || e.status() < 500) throw e;
                System.err.println("esctl: " + e.getMessage() + "; reconnecting in " + backoffMs + " ms");
            }
            stdout.flush();
            Thread.sleep(backoffMs);
            backoffMs = Math.min(5000, backoffMs * 2);
        }
    }

    /** Prints events (and, if asked, control lines) until the stream ends or fails; true when --limit was reached. */
    private boolean follow(InputStream in) throws IOException {
        LineReader lines = new LineReader(in, 64 * 1024 * 1024);
        while (lines.next()) {
            byte[] line = java.util.Arrays.copyOf(lines.bytes(), lines.length());
            long seq = EventLine.seq(line);
            if (seq < 0) {
                String text = new String(line, StandardCharsets.UTF_8);
                if (text.startsWith("{\"checkpoint\":")) resumeAfter = Math.max(resumeAfter, Long.parseLong(text.replaceAll("\\D+", " ").trim().split(" ")[0]));
                if (text.startsWith("{\"caughtUp\":") || text.startsWith("{\"heartbeat\":")) stdout.flush();
                if (control) printControl(text);
                continue;
            }
            if (seq <= lastSeq) continue; // a reconnect never prints an event twice
            lastSeq = seq;
            resumeAfter = Math.max(resumeAfter, seq);
            if (readable) print(line);
            else {
                stdout.write(line);
                stdout.write('\n');
            }
            if (limitReached()) {
                stdout.flush();
                return true;
            }
        }
        return false;
    }

    private boolean limitReached() {
        return limit > 0 && ++printed >= limit;
    }

    private void print(byte[] eventLine) throws IOException {
        stdout.write((EventLine.readable(eventLine, colour) + "\n").getBytes(StandardCharsets.UTF_8));
        stdout.flush();
    }

    private void printControl(String json) throws IOException {
        stdout.write((json + "\n").getBytes(StandardCharsets.UTF_8));
        stdout.flush();
    }

}
