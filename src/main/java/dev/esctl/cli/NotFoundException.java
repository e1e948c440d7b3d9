package dev.esctl.cli;

/** What the command was asked about does not exist (exit code 4). */
final class NotFoundException extends RuntimeException {
    NotFoundException(String message) {
        super(message);
    }
}
