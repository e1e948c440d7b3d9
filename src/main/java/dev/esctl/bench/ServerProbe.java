package dev.esctl.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The daemon's resident memory, heap in use and CPU time, as it publishes them on
 * {@code /metrics} ({@code process_resident_memory_bytes}, {@code jvm_memory_used_bytes{area="heap"}},
 * {@code process_cpu_seconds_total}) — or, given its pid on this machine, RSS and CPU from
 * {@code /proc/PID/status} and {@code /proc/PID/stat}, which also give the RSS high-water mark.
 * {@link #sampler} takes a sample a second to catch the peak. Thread-safe.
 */
public final class ServerProbe {
    /** One look: MiB resident, MiB of heap in use (-1 unknown), CPU seconds, MiB resident at most so far (-1 unknown). */
    public record Sample(double rssMiB, double heapMiB, double cpuSeconds, double rssPeakMiB) {}

    private static final double MIB = 1024.0 * 1024.0;
    private static final double CLOCK_TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    private final URI server;
    private final String token;
    private final long pid;

    private ServerProbe(URI server, String token, long pid) {
        this.server = server;
        this.token = token;
        this.pid = pid;
    }

    static ServerProbe http(URI server, String token) {
        return new ServerProbe(server, token, 0);
    }

    /** Also reads /proc for this pid (the daemon runs on this machine). */
    public ServerProbe withPid(long pid) {
        if (pid > 0 && !Files.isReadable(Path.of("/proc", Long.toString(pid), "status"))) {
            throw new IllegalArgumentException("--server-pid " + pid + ": no readable /proc/" + pid + "/status (not a process on this machine?)");
        }
        return new ServerProbe(server, token, pid);
    }

    public Sample sample() throws IOException {
        String metrics;
        try (KeepAliveHttp h = new KeepAliveHttp(server, token)) {
            KeepAliveHttp.Response r = h.get("/metrics");
            metrics = r.status() == 200 ? new String(r.body(), StandardCharsets.UTF_8) : "";
        }
        double heap = metric(metrics, "jvm_memory_used_bytes{area=\"heap\"} ");
        if (pid > 0) {
            String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name, which is in parentheses and may hold spaces: state is 3, utime 14, stime 15.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
            double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / CLOCK_TICKS_PER_SECOND;
            return new Sample(kib(status, "VmRSS:") / 1024.0, heap < 0 ? -1 : heap / MIB, cpu, kib(status, "VmHWM:") / 1024.0);
        }
        double rss = metric(metrics, "process_resident_memory_bytes ");
        double cpu = metric(metrics, "process_cpu_seconds_total ");
        return new Sample(rss < 0 ? -1 : rss / MIB, heap < 0 ? -1 : heap / MIB, cpu, -1);
    }

    private static double metric(String text, String prefix) {
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix)) return Double.parseDouble(line.substring(prefix.length()).trim());
        }
        return -1;
    }

    private static long kib(String status, String key) {
        for (String line : status.split("\n")) {
            if (line.startsWith(key)) return Long.parseLong(line.substring(key.length()).trim().split(" +")[0]);
        }
        return -1;
    }

    /** Samples every second until closed; keeps the first and last samples and the peaks. */
    public Sampler sampler() throws IOException {
        return new Sampler(sample());
    }

    /** A background thread sampling once a second. */
    public final class Sampler implements AutoCloseable {
        private final Sample first;
        private volatile Sample last;
        private volatile double rssPeakMiB;
        private volatile double heapPeakMiB;
        private volatile boolean closed;
        private final Thread thread;

        private Sampler(Sample first) {
            this.first = first;
            take(first);
            thread = Thread.ofPlatform().name("esctl-bench-probe").daemon().start(this::run);
        }

        private void take(Sample s) {
            last = s;
            rssPeakMiB = Math.max(rssPeakMiB, Math.max(s.rssMiB(), s.rssPeakMiB()));
            heapPeakMiB = Math.max(heapPeakMiB, s.heapMiB());
        }

        private void run() {
            while (!closed) {
                try {
                    Thread.sleep(1000);
                    if (!closed) take(sample());
                } catch (InterruptedException e) {
                    return;
                } catch (IOException | RuntimeException e) {
                    // A missed sample: the next one counts.
                }
            }
        }

        /** Adds the server's numbers to the report. */
        public void report(BenchReport report) {
            Sample end = last;
            report.result("server RSS MiB", end.rssMiB());
            report.result("server RSS peak MiB", rssPeakMiB);
            if (end.heapMiB() >= 0) {
                report.result("server heap used MiB", end.heapMiB());
                report.result("server heap peak MiB", heapPeakMiB);
            }
            if (end.cpuSeconds() >= 0 && first.cpuSeconds() >= 0) report.result("server cpu s", end.cpuSeconds() - first.cpuSeconds());
        }

        /** Takes a last sample and stops. */
        @Override
        public void close() {
            closed = true;
            thread.interrupt();
            try {
                take(sample());
            } catch (IOException | RuntimeException e) {
                // The server may be gone: the last sample taken stands.
            }
        }
    }
}
