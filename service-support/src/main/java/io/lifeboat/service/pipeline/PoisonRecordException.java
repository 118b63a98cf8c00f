package io.lifeboat.service.pipeline;

/** A record that can never be applied, whatever happens to the infrastructure: it goes to its topic's DLQ. */
public class PoisonRecordException extends RuntimeException {

    public PoisonRecordException(String message) {
        super(message);
    }

    public PoisonRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
