package io.lifeboat.common.event;

import io.lifeboat.common.topic.Topic;

import java.util.function.Function;

/**
 * One versioned event type: its CloudEvents {@code type}, the record carrying its data, the topic it is published on
 * and how its Kafka key is derived from the data.
 */
public record EventType<T>(String type, Class<T> dataClass, Topic topic, Function<T, String> keyOf,
                           String description) {

    public String keyFor(Object data) {
        return keyOf.apply(dataClass.cast(data));
    }

    @Override
    public String toString() {
        return type;
    }
}
