package dev.esctl.cli;

import dev.esctl.engine.BadInputException;
import dev.esctl.engine.WrongExpectedVersionException;
import dev.esctl.storage.StoreException;
import java.io.UncheckedIOException;
import java.io.IOException;
import picocli.CommandLine;

/**
 * The one place where failures become exit codes and one-line messages on stderr
 * ({@code esctl: <what went wrong>}). A stack trace is printed only with
 * {@code --log-level debug}, for bugs.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler, CommandLine.IExitCodeExceptionMapper {

    @Override
    public int getExitCode(Throwable t) {
        return switch (unwrap(t)) {
            case BadInputException e -> ExitCodes.USAGE;
            case IllegalArgumentException e -> ExitCodes.USAGE;
            case WrongExpectedVersionException e -> ExitCodes.CONFLICT;
            case NotFoundException e -> ExitCodes.NOT_FOUND;
            case StoreException e -> switch (e.code()) {
                case LOCKED -> ExitCodes.LOCKED;
                case OVERLOADED, WRITER_FAILED, OUTCOME_UNKNOWN, CLOSED -> ExitCodes.UNAVAILABLE;
                case NOT_A_STORE -> ExitCodes.NOT_FOUND;
                default -> ExitCodes.ERROR;
            };
            case CommandLine.ParameterException e -> ExitCodes.USAGE;
            case dev.esctl.client.ServerUnavailableException e -> ExitCodes.UNAVAILABLE;
            case dev.esctl.client.RemoteException e -> switch (e.status()) {
                case 400, 401, 403, 413, 415, 422 -> ExitCodes.USAGE;
                case 404 -> ExitCodes.NOT_FOUND;
                case 409 -> ExitCodes.CONFLICT;
                case 503 -> ExitCodes.UNAVAILABLE;
                default -> ExitCodes.ERROR;
            };
            case dev.esctl.engine.IdReusedException e -> ExitCodes.USAGE;
            case dev.esctl.snapshot.BadSnapshotException e -> ExitCodes.DAMAGED;
            default -> ExitCodes.ERROR;
        };
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        Throwable t = unwrap(ex);
        String message = t.getMessage() != null ? t.getMessage() : t.toString();
        if (t instanceof IOException || (t instanceof RuntimeException && !(t instanceof BadInputException)
                && !(t instanceof WrongExpectedVersionException) && !(t instanceof NotFoundException)
                && !(t instanceof StoreException) && !(t instanceof IllegalArgumentException)
                && !(t instanceof dev.esctl.client.RemoteException) && !(t instanceof dev.esctl.client.ServerUnavailableException)
                && !(t instanceof dev.esctl.engine.IdReusedException) && !(t instanceof dev.esctl.snapshot.BadSnapshotException))) {
            message = t.getClass().getSimpleName() + ": " + message;
        }
        cmd.getErr().println("esctl: " + message);
        if (Logging.debugEnabled()) t.printStackTrace(cmd.getErr());
        cmd.getErr().flush();
        return getExitCode(t);
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof UncheckedIOException || t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
