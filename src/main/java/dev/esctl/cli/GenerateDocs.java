package dev.esctl.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * Writes the generated documentation — {@code man/esctl*.1} and the shell completions in
 * {@code completions/} — from the command model. Run by {@code scripts/gen-docs}; a test compares
 * the checked-in files with what this produces.
 */
public final class GenerateDocs {
    private GenerateDocs() {}

    /** Relative path → content of every generated file. */
    public static Map<String, String> files(Path projectRoot) throws IOException {
        CommandLine root = Esctl.commandLine();
        Map<String, String> out = new LinkedHashMap<>();
        out.put("man/esctl.1", ManPageWriter.page(root.getCommandSpec(), extra(projectRoot, "esctl")));
        for (var e : root.getSubcommands().entrySet()) {
            var spec = e.getValue().getCommandSpec();
            if (spec.usageMessage().hidden() || e.getKey().equals("help")) continue;
            out.put("man/esctl-" + e.getKey() + ".1", ManPageWriter.page(spec, extra(projectRoot, "esctl-" + e.getKey())));
        }
        out.put("completions/esctl.bash", CompletionCommand.script("bash", root));
        out.put("completions/esctl.zsh", CompletionCommand.script("zsh", root));
        return out;
    }

    private static String extra(Path root, String page) throws IOException {
        Path file = root.resolve("man/src/" + page + ".roff");
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        for (var e : files(root).entrySet()) {
            Path file = root.resolve(e.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, e.getValue(), StandardCharsets.UTF_8);
            System.out.println("wrote " + e.getKey());
        }
    }
}
