package dev.esctl.docs;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.esctl.testing.Esctl;
import dev.esctl.testing.ServerProcess;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every example in examples/ runs against a temporary daemon and does what its header says. */
class ExamplesIT {
    @TempDir Path tmp;

    record Run(int exit, String out, String err) {}

    private static boolean has(String tool) {
        for (String dir : System.getenv("PATH").split(File.pathSeparator)) if (Files.isExecutable(Path.of(dir, tool))) return true;
        System.out.println("skipping: the example needs " + tool + ", which is not installed");
        return false;
    }

    private static Run run(ServerProcess s, long timeoutSeconds, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(Esctl.projectRoot().toFile());
        pb.environment().put("ESCTL", Esctl.projectRoot().resolve("scripts/esctl").toString());
        pb.environment().put("ESCTL_SERVER", s.url());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("ESCTL_DATA");
        Path out = Files.createTempFile("example", ".out"), err = Files.createTempFile("example", ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.toHandle().descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void importCsvAppendsOneEventPerRow() throws Exception {
        assumeTrue(has("jq"));
        try (ServerProcess s = ServerProcess.start(tmp.resolve("data"))) {
            Run r = run(s, 120, "examples/import-csv.sh", "test-data/orders.csv");
            assertEquals(0, r.exit(), r.err());
            assertEquals(100, s.get("/events").body().lines().count());
            assertTrue(s.get("/streams/orders/1042").body().contains("\"type\":\"OrderImported\""));
        }
    }

    @Test
    void theProjectionKeepsARunningTotal() throws Exception {
        assumeTrue(has("jq"));
        try (ServerProcess s = ServerProcess.start(tmp.resolve("data"))) {
            assertEquals(200, s.post("/events", Files.readString(Esctl.projectRoot().resolve("test-data/orders.ndjson"))).statusCode());
            double expected = 0;
            for (String line : Files.readAllLines(Esctl.projectRoot().resolve("test-data/orders.ndjson"))) {
                if (line.contains("\"type\":\"OrderPlaced\"")) expected += Double.parseDouble(line.replaceAll(".*\"total\":([0-9.]+).*", "$1"));
            }
            Run r = run(s, 15, "examples/projection.sh", "orders");
            List<String> lines = r.out().lines().toList();
            assertFalse(lines.isEmpty(), r.err());
            double last = Double.parseDouble(lines.get(lines.size() - 1).replaceAll("total=([0-9.]+) .*", "$1"));
            assertEquals(expected, last, 0.01, "the running total after the history");
        }
    }

    @Test
    void optimisticRetriesLetConcurrentDepositsAllLandOnce() throws Exception {
        assumeTrue(has("jq"));
        try (ServerProcess s = ServerProcess.start(tmp.resolve("data"))) {
            List<Process> ps = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ProcessBuilder pb = new ProcessBuilder("examples/optimistic-retry.sh", "accounts/1", "10").directory(Esctl.projectRoot().toFile())
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
                pb.environment().put("ESCTL", Esctl.projectRoot().resolve("scripts/esctl").toString());
                pb.environment().put("ESCTL_SERVER", s.url());
                pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
                ps.add(pb.start());
            }
            for (Process p : ps) {
                assertTrue(p.waitFor(180, TimeUnit.SECONDS));
                assertEquals(0, p.exitValue());
            }
            List<String> events = s.get("/streams/accounts/1").body().lines().toList();
            assertEquals(4, events.size());
            for (int i = 0; i < 4; i++) assertTrue(events.get(i).contains("\"version\":" + (i + 1)));
            assertTrue(events.get(3).contains("\"balanceBefore\":30"), "each deposit saw the ones before it: " + events.get(3));
        }
    }

    @Test
    void theCurlTourRunsEveryEndpoint() throws Exception {
        assumeTrue(has("curl"));
        try (ServerProcess s = ServerProcess.start(tmp.resolve("data"))) {
            Run r = run(s, 60, "bash", "examples/curl-api.sh");
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("\"status\":\"ok\""), r.out());
            assertTrue(r.out().contains("{\"caughtUp\""), r.out());
            assertTrue(s.get("/streams/customers/7").statusCode() == 200);
        }
    }

    @Test
    void theSystemdUnitRunsServeAndStopsWithSigterm() throws Exception {
        String unit = Files.readString(Esctl.projectRoot().resolve("examples/esctl.service"), StandardCharsets.UTF_8);
        assertTrue(unit.lines().anyMatch(l -> l.startsWith("ExecStart=") && l.contains(" serve ")));
        assertTrue(unit.contains("KillSignal=SIGTERM"));
        if (has("systemd-analyze")) {
            Process p = new ProcessBuilder("systemd-analyze", "verify", Esctl.projectRoot().resolve("examples/esctl.service").toString()).start();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
