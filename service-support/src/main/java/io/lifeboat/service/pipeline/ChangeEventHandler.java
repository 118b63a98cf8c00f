package io.lifeboat.service.pipeline;

import io.lifeboat.common.event.EventType;
import io.lifeboat.common.topic.Topic;

import java.util.List;

/**
 * A consumer of the change topic ({@code lifeboat.infra.events.v1}, channel {@code infra-events}), which carries
 * several event types: each service takes the ones it needs in {@link #onEvent} and skips the rest.
 */
public abstract class ChangeEventHandler implements EventHandler<Object> {

    @Override
    public String channel() {
        return "infra-events";
    }

    @Override
    public Topic topic() {
        return Topic.INFRA_EVENTS;
    }

    /** Every type on the topic: the data is the type's record ({@code in.data()} is decoded by its ce_type). */
    @Override
    public EventType<Object> type() {
        return null;
    }

    @Override
    public void apply(List<Inbound<Object>> batch) {
        for (Inbound<Object> in : batch) {
            onEvent(in.data(), in.eventId());
        }
    }

    /** One event of the topic, in the batch's transaction; events of types the service does not need are ignored. */
    protected abstract void onEvent(Object data, String eventId);
}
