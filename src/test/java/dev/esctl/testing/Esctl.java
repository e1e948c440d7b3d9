package dev.esctl.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real launcher, {@code scripts/esctl}, as a user would, with the JDK that runs the tests. */
public final class Esctl {
    private Esctl() {}

    public record Result(int exitCode, byte[] stdout, String stderr) {
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        public List<String> lines() {
            String s = out();
            return s.isEmpty() ? List.of() : List.of(s.split("\n"));
        }
    }

    public static Path projectRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("scripts/esctl"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("cannot find scripts/esctl above " + Path.of("").toAbsolutePath());
        return p;
    }

    public static ProcessBuilder builder(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(projectRoot().resolve("scripts/esctl").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("ESCTL_DATA");
        pb.environment().remove("ESCTL_SERVER");
        return pb;
    }

    /** Runs esctl with {@code stdin} piped in; fails the test after a minute. */
    public static Result run(byte[] stdin, String... args) throws IOException, InterruptedException {
        Process p = builder(args).start();
        Thread feeder = Thread.ofVirtual().start(() -> {
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) in.write(stdin);
            } catch (IOException ignored) {
                // The process may exit before reading everything (e.g. on bad input).
            }
        });
        byte[][] err = new byte[1][];
        Thread errReader = Thread.ofVirtual().start(() -> {
            try (InputStream e = p.getErrorStream()) {
                err[0] = e.readAllBytes();
            } catch (IOException ignored) {
                err[0] = new byte[0];
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("esctl " + String.join(" ", args) + " did not finish in 60 s");
        }
        feeder.join();
        errReader.join();
        return new Result(p.exitValue(), out, new String(err[0], StandardCharsets.UTF_8));
    }

    public static Result run(String stdin, String... args) throws IOException, InterruptedException {
        return run(stdin == null ? null : stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    public static String path(Path p) {
        return p.toAbsolutePath().toString().replace(File.separatorChar, '/');
    }
}
