package dev.esctl.client;

/** The server refused a request: its HTTP status, error code and message, as it sent them. */
public final class RemoteException extends RuntimeException {
    private final int status;
    private final String code;

    public RemoteException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() { return status; }
    public String code() { return code; }
}
