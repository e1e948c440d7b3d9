package dev.esctl.client;

/** The server could not be reached (refused, reset, timed out). */
public final class ServerUnavailableException extends RuntimeException {
    public ServerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
