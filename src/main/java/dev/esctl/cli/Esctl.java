package dev.esctl.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "esctl",
        mixinStandardHelpOptions = true,
        scope = CommandLine.ScopeType.INHERIT,
        versionProvider = VersionProvider.class,
        description = {
                "esctl: an event store in one executable, a command-line tool and a daemon.",
                "Append events to streams with optimistic concurrency, read them back in order, durably (fsync before ack).",
                "Commands talk to a running daemon (--server) or work on a data directory directly (--data)."},
        subcommands = {ServeCommand.class, AppendCommand.class, ReadCommand.class, WatchCommand.class, StreamsCommand.class, StatCommand.class, FsckCommand.class,
                SnapshotCommand.class, RestoreCommand.class, BenchCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "1:runtime or I/O error",
                "2:bad usage or bad input (nothing was changed)",
                "3:version conflict (nothing was appended)",
                "4:stream not found",
                "5:data directory locked by another process",
                "6:server unavailable, overloaded or its writer failed",
                "7:damage found (fsck), or a snapshot failed verification (restore)"},
        footerHeading = "%nEnvironment:%n",
        footer = {
                "  ESCTL_SERVER  daemon URL for --server (default http://127.0.0.1:7171 when no data directory is given)",
                "  ESCTL_DATA    data directory for --data (work offline)",
                "  ESCTL_TOKEN   bearer token (client and serve)"})
public final class Esctl implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--log-level", paramLabel = "LEVEL", scope = CommandLine.ScopeType.INHERIT,
            description = "Log level on stderr: error, warn, info, debug. Default: warn (info for serve).")
    void logLevel(String level) {
        Logging.check(level);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        // slf4j-simple fixes its level when the first logger is made, which happens while
        // picocli builds the commands: so the level is settled from the arguments first.
        Logging.configure(Logging.levelFor(args));
        return commandLine().execute(args);
    }

    /** The command line with every subcommand and the error handling: what runs, what --help and the docs show. */
    static CommandLine commandLine() {
        ErrorHandler errors = new ErrorHandler();
        return new CommandLine(new Esctl())
                .setExecutionExceptionHandler(errors)
                .setExitCodeExceptionMapper(errors)
                .setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }
}
