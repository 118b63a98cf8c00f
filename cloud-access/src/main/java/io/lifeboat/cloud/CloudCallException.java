package io.lifeboat.cloud;

/**
 * A failed call to a cloud API. {@code status} says what is known of its effect:
 * <ul>
 *   <li>an HTTP status (100–599) when the cloud answered;</li>
 *   <li>{@link #NO_ANSWER} (0) when it did not (a timeout, a refused or reset connection): the call may or may not
 *       have taken effect;</li>
 *   <li>{@link #NOT_SENT} (-1) when it never left here (a configuration problem, an open circuit breaker, an answer
 *       that could not be read): retrying the same thing cannot help.</li>
 * </ul>
 * The message names the call and never contains credentials.
 */
public class CloudCallException extends RuntimeException {

    public static final int NO_ANSWER = 0;
    public static final int NOT_SENT = -1;

    private final int status;

    public CloudCallException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** A problem on our side that retrying cannot fix. */
    public static CloudCallException notSent(String message, Throwable cause) {
        return new CloudCallException(message, NOT_SENT, cause);
    }

    public int status() {
        return status;
    }

    /**
     * The cloud answered and refused: the call had no effect. Not a 401: that is our session (the token expired or
     * was revoked), not a verdict on the call; it had no effect either, and is made again once after authenticating.
     */
    public boolean refused() {
        return status >= 400 && status < 500 && status != 401;
    }

    /** No answer, or a server error: the call may have taken effect, and is checked before it is made again. */
    public boolean ambiguous() {
        return status == NO_ANSWER || status >= 500;
    }

    /** The session's credentials were rejected (401). */
    public boolean unauthorized() {
        return status == 401;
    }
}
