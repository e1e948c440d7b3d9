package dev.esctl.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command and subcommand answers --help: exit 0, a usage, lines that fit 80 columns, no picocli warning. */
class HelpTest {
    @Test
    void everyCommandAnswersHelp() {
        check(Esctl.commandLine(), "esctl");
    }

    private static void check(CommandLine cmd, String path) {
        if (!cmd.getCommandName().equals("help")) {
            CommandLine fresh = Esctl.commandLine();
            String[] args = (path.replaceFirst("^esctl ?", "") + " --help").trim().split(" ");
            ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
            fresh.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8)).setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
            PrintStream stderr = System.err;
            ByteArrayOutputStream warnings = new ByteArrayOutputStream();
            System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8)); // picocli warns on System.err
            int exit;
            try {
                exit = fresh.execute(args);
            } finally {
                System.setErr(stderr);
            }
            String help = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, exit, path + " --help: " + err.toString(StandardCharsets.UTF_8));
            assertTrue(help.startsWith("Usage: " + path), path + " --help printed:\n" + help);
            assertFalse(warnings.toString(StandardCharsets.UTF_8).contains("WARN"), path + " --help: " + warnings);
            for (String line : help.split("\n")) assertTrue(line.length() <= 80, path + " --help has a line over 80 columns: " + line);
        }
        cmd.getSubcommands().forEach((name, sub) -> {
            if (name.equals(sub.getCommandName())) check(sub, path + " " + name);
        });
    }
}
