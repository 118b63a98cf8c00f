package io.lifeboat.evacuation.platform;

/**
 * A failed call to a cloud API. {@code status} is the HTTP status when the cloud answered (0 when it did not: a
 * timeout or a refused connection, after which the call may or may not have taken effect).
 */
public class CloudCallException extends RuntimeException {

    private final int status;

    public CloudCallException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /**
     * The cloud answered and refused: the call had no effect. Not a 401: that is our session (the token expired or
     * was revoked), not a verdict on the call; it had no effect either and is made again, never counted as a refusal.
     */
    public boolean refused() {
        return status >= 400 && status < 500 && status != 401;
    }

    /** No answer: the call may have taken effect, and must be checked before it is made again. */
    public boolean ambiguous() {
        return status == 0 || status >= 500;
    }
}
