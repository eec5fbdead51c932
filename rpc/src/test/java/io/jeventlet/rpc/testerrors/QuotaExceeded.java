package io.jeventlet.rpc.testerrors;

/** A server-side exception that clients allowing this package rebuild as itself (rpc.allowed_remote_exmods). */
public class QuotaExceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public QuotaExceeded(String message) {
        super(message);
    }
}
