package io.lifeboat.common.envelope;

/**
 * A record that cannot become an event: a missing or malformed CloudEvents header, an unknown type, or data that does
 * not fit the type's schema. The message says which, and names the field; it becomes the DLQ reason.
 */
public class EventDecodingException extends RuntimeException {

    private final String eventId;
    private final String eventType;

    public EventDecodingException(String message, String eventId, String eventType, Throwable cause) {
        super(message, cause);
        this.eventId = eventId;
        this.eventType = eventType;
    }

    /** The {@code ce_id} header, when present. */
    public String eventId() {
        return eventId;
    }

    /** The {@code ce_type} header, when present. */
    public String eventType() {
        return eventType;
    }
}
