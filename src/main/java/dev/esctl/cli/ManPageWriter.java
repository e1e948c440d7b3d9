package dev.esctl.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Writes a man page (troff, man(7) macros) from a command's picocli model — the same model
 * {@code --help} prints — so the pages cannot drift from the commands. Hand-written sections
 * (the HTTP API of serve, the files of esctl) are appended from {@code man/src/}.
 */
final class ManPageWriter {
    private ManPageWriter() {}

    /** The page of a command: {@code esctl} itself, or a subcommand such as {@code esctl read}. */
    static String page(CommandSpec spec, String extra) {
        boolean root = spec.parent() == null;
        String name = root ? "esctl" : "esctl-" + spec.name();
        StringBuilder b = new StringBuilder();
        b.append(".\\\" Generated from the esctl command model by scripts/gen-docs: edit the @Command annotations\n")
                .append(".\\\" (or man/src/").append(name).append(".roff), then run scripts/gen-docs. A test fails when this file is stale.\n")
                .append(".TH ").append(name.toUpperCase()).append(" 1 \"\" \"esctl\" \"esctl manual\"\n");
        b.append(".SH NAME\n").append(escape(name)).append(" \\- ").append(escape(firstSentence(spec))).append('\n');
        b.append(".SH SYNOPSIS\n.nf\n").append(escape(synopsis(spec))).append(".fi\n");
        b.append(".SH DESCRIPTION\n").append(paragraphs(spec.usageMessage().description()));
        if (!spec.positionalParameters().isEmpty()) {
            b.append(".SH ARGUMENTS\n");
            for (PositionalParamSpec p : spec.positionalParameters()) {
                if (p.hidden()) continue;
                b.append(".TP\n.I ").append(escape(p.paramLabel())).append('\n').append(escape(String.join(" ", p.description()))).append('\n');
            }
        }
        options(b, spec, ".SH OPTIONS\n");
        List<CommandSpec> subs = new ArrayList<>();
        for (CommandLine sub : spec.subcommands().values()) {
            CommandSpec s = sub.getCommandSpec();
            if (!s.usageMessage().hidden() && !subs.contains(s) && !s.name().equals("help")) subs.add(s);
        }
        if (!subs.isEmpty()) {
            b.append(".SH COMMANDS\n");
            for (CommandSpec s : subs) {
                b.append(".TP\n");
                if (root) b.append(".BR esctl\\-").append(escape(s.name())).append(" (1)\n");
                else b.append(".B ").append(escape(spec.name() + " " + s.name())).append('\n');
                b.append(escape(firstSentence(s))).append('\n');
            }
            if (!root) {
                for (CommandSpec s : subs) {
                    b.append(".SS ").append(escape(spec.name() + " " + s.name())).append("\n.nf\n").append(escape(synopsis(s))).append(".fi\n");
                    b.append(paragraphs(s.usageMessage().description()));
                    options(b, s, "");
                }
            }
        }
        java.util.Map<String, String> exits = spec.root().usageMessage().exitCodeList();
        if (root && !exits.isEmpty()) {
            b.append(".SH EXIT STATUS\n");
            exits.forEach((code, meaning) -> b.append(".TP\n.B ").append(code.trim()).append('\n').append(escape(meaning.trim())).append('\n'));
        } else if (!root) {
            b.append(".SH EXIT STATUS\n0 on success; see\n.BR esctl (1)\nfor the other codes (2 bad input, 3 version conflict, 4 not found, 6 unavailable).\n");
        }
        String[] footer = spec.usageMessage().footer();
        if (footer.length > 0) {
            String heading = spec.usageMessage().footerHeading().replace("%n", "").replace(":", "").trim().toUpperCase();
            b.append(".SH ").append(heading.isEmpty() ? "EXAMPLES" : heading).append("\n.nf\n");
            for (String line : footer) b.append(escape(line.strip())).append('\n');
            b.append(".fi\n");
        }
        if (extra != null && !extra.isBlank()) b.append(extra.endsWith("\n") ? extra : extra + "\n");
        b.append(".SH SEE ALSO\n");
        if (root) {
            b.append(".BR esctl\\-serve (1),\n.BR esctl\\-append (1),\n.BR esctl\\-read (1),\n.BR esctl\\-watch (1),\n.BR esctl\\-format (5)\n");
        } else {
            b.append(".BR esctl (1),\n.BR esctl\\-format (5)\n");
        }
        return b.toString();
    }

    private static void options(StringBuilder b, CommandSpec spec, String heading) {
        List<OptionSpec> shown = spec.options().stream().filter(o -> !o.hidden()).toList();
        if (shown.isEmpty()) return;
        b.append(heading);
        for (OptionSpec o : shown) {
            b.append(".TP\n.B ").append(escape(String.join(", ", o.names())));
            if (o.arity().max() > 0 && !o.paramLabel().isEmpty()) b.append(" \\fI").append(escape(o.paramLabel())).append("\\fR");
            b.append('\n').append(escape(String.join(" ", description(o)))).append('\n');
        }
    }

    /** Descriptions with picocli's ${DEFAULT-VALUE} filled in, as --help shows them. */
    private static String[] description(OptionSpec o) {
        String[] d = o.description();
        String[] out = new String[d.length];
        for (int i = 0; i < d.length; i++) out[i] = d[i].replace("${DEFAULT-VALUE}", String.valueOf(o.defaultValue()));
        return out;
    }

    private static String synopsis(CommandSpec spec) {
        String usage = new CommandLine.Help(spec, CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF)).synopsis(0);
        return usage.startsWith("Usage: ") ? usage.substring(7) : usage;
    }

    private static String firstSentence(CommandSpec spec) {
        String[] d = spec.usageMessage().description();
        if (d.length == 0) return spec.name();
        String first = d[0];
        int dot = first.indexOf(". ");
        return (dot > 0 ? first.substring(0, dot) : first).replaceAll("\\.$", "");
    }

    private static String paragraphs(String[] lines) {
        StringBuilder b = new StringBuilder();
        boolean open = false;
        for (String line : lines) {
            if (line.isBlank()) {
                if (open) b.append(".PP\n");
                open = false;
                continue;
            }
            b.append(escape(line.replace("%n", " "))).append('\n');
            open = true;
        }
        return b.toString();
    }

    /** troff escaping: backslashes, hyphens, characters beyond ASCII, and lines that would start with a control character. */
    static String escape(String s) {
        StringBuilder ascii = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (c < 128) ascii.appendCodePoint(c); else ascii.append(String.format("\\[u%04X]", c));
        });
        String e = ascii.toString().replace("\\", "\\e").replace("\\e[u", "\\[u").replace("-", "\\-");
        StringBuilder b = new StringBuilder();
        for (String line : e.split("\n", -1)) {
            if (b.length() > 0) b.append('\n');
            if (line.startsWith(".") || line.startsWith("'")) b.append("\\&");
            b.append(line);
        }
        return b.toString();
    }
}
