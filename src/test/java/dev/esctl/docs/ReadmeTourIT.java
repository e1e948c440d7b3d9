package dev.esctl.docs;

import static org.junit.jupiter.api.Assertions.*;

import dev.esctl.testing.Esctl;
import dev.esctl.testing.ServerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's five-minute tour, taken from the README itself so that it cannot rot.
 * Every {@code console} block under "A five-minute tour" holds {@code $ command} lines, each
 * followed by the output it printed (stdout and stderr, as a terminal shows them). The test
 * runs them in order with bash, in a scratch directory, against a daemon it starts for
 * {@code $ esctl serve}, and compares each output with the README's after blanking what
 * differs from run to run (times, ids, hashes, sizes, durations and segment counts). A command
 * shown with {@code # exit N} must exit N, every other must exit 0; one shown with
 * {@code # numbers vary} is compared with every number blanked (its layout and words still count).
 */
class ReadmeTourIT {
    @TempDir Path tmp;

    record Step(String command, List<String> expected, int exit, boolean numbersVary) {}

    private static final Pattern EXIT = Pattern.compile("# exit (\\d+)$");

    static List<Step> tour(String readme) {
        int start = readme.indexOf("\n## A five-minute tour");
        assertTrue(start >= 0, "README has no '## A five-minute tour' section");
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start, end < 0 ? readme.length() : end);
        List<Step> steps = new ArrayList<>();
        boolean inBlock = false;
        String command = null;
        List<String> out = new ArrayList<>();
        for (String line : section.split("\n", -1)) {
            if (!inBlock) {
                inBlock = line.equals("```console");
                continue;
            }
            if (line.equals("```") || line.startsWith("$ ")) {
                if (command != null) steps.add(step(command, out));
                command = null;
                out = new ArrayList<>();
                if (line.equals("```")) {
                    inBlock = false;
                    continue;
                }
                command = line.substring(2);
                continue;
            }
            if (command == null) fail("output before any command in a tour block: " + line);
            out.add(line);
        }
        return steps;
    }

    private static Step step(String command, List<String> out) {
        Matcher m = EXIT.matcher(command);
        int exit = m.find() ? Integer.parseInt(m.group(1)) : 0;
        return new Step(command, out, exit, command.endsWith("# numbers vary"));
    }

    /** What differs from run to run is blanked; the rest must match the README exactly. */
    static String normalize(String text) {
        return text
                .replaceAll("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z", "<time>")
                .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>")
                .replaceAll("\\b[0-9a-f]{12,64}\\b", "<hash>")
                .replaceAll("\\b\\d+(\\.\\d+)? ?(ms|s|MB/s|MiB/s|B|KiB|MiB|GiB|kB|MB|bytes)\\b", "<n>")
                .replaceAll("\\b\\d+ (segments?|files|runs)\\b", "<n> $1")
                .replaceAll("[ \\t]+\\n", "\n").strip();
    }

    @Test
    void theReadmeTourRunsAndPrintsWhatTheReadmeShows() throws Exception {
        Path root = Esctl.projectRoot();
        List<Step> steps = tour(Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8));
        assertTrue(steps.size() >= 10, "the tour has " + steps.size() + " commands");
        assertTrue(steps.get(0).command().startsWith("esctl serve"), "the tour starts the daemon: " + steps.get(0).command());
        Path work = tmp.resolve("work"), bin = tmp.resolve("bin");
        Files.createDirectories(work);
        Files.createDirectories(bin);
        Files.createSymbolicLink(bin.resolve("esctl"), root.resolve("scripts/esctl"));
        Files.createSymbolicLink(work.resolve("test-data"), root.resolve("test-data"));
        ServerProcess server = null;
        try {
            for (Step s : steps) {
                if (s.command().startsWith("esctl serve")) {
                    server = ServerProcess.start(work.resolve("esctl-data"));
                    continue;
                }
                assertNotNull(server, "the tour must start the daemon before " + s.command());
                ProcessBuilder pb = new ProcessBuilder("bash", "-c", s.command()) // annotations are shell comments
                        .directory(work.toFile()).redirectErrorStream(true);
                pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
                pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
                pb.environment().put("ESCTL_SERVER", server.url());
                pb.environment().remove("ESCTL_DATA");
                pb.environment().remove("TERM");
                Process p = pb.start();
                byte[] output = p.getInputStream().readAllBytes();
                assertTrue(p.waitFor(120, TimeUnit.SECONDS), s.command() + " did not finish");
                // The README was run in /home/me.
                String printed = new String(output, StandardCharsets.UTF_8).replace(work.toAbsolutePath().toString(), "/home/me");
                assertEquals(s.exit(), p.exitValue(), "exit code of: " + s.command() + "\n" + printed);
                String expected = normalize(String.join("\n", s.expected())), actual = normalize(printed);
                if (s.numbersVary()) {
                    expected = expected.replaceAll("\\d+(\\.\\d+)?", "<n>");
                    actual = actual.replaceAll("\\d+(\\.\\d+)?", "<n>");
                }
                assertEquals(expected, actual,
                        "the README shows other output for: " + s.command() + " (update the README with the real output)");
            }
        } finally {
            if (server != null) server.close();
        }
    }

    @Test
    void normalizingKeepsWhatMatters() {
        assertEquals("{\"seq\":1,\"time\":\"<time>\",\"id\":\"<id>\"}",
                normalize("{\"seq\":1,\"time\":\"2026-11-26T05:00:00.123456Z\",\"id\":\"0192f8a4-1b2c-7d3e-8f40-123456789abc\"}"));
        assertEquals("head <hash>, <n> in <n>", normalize("head 04e680b6872db856, 1.2 MiB in 0.31 s"));
        assertNotEquals(normalize("{\"seq\":1}"), normalize("{\"seq\":2}"), "seqs, versions and counts are compared");
    }
}
