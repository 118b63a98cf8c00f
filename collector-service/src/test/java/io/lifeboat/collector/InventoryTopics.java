package io.lifeboat.collector;

import io.lifeboat.common.envelope.CloudEventsKafka;
import io.lifeboat.common.topic.Topic;
import io.lifeboat.testsupport.KafkaTestClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the collector's tests read back from the inventory topics. */
final class InventoryTopics {

    private InventoryTopics() {
    }

    /** The current content of a compacted inventory topic: the last record per key, tombstones removing it. */
    static <T> Map<String, T> latest(KafkaTestClient kafka, Topic topic, Class<T> type, String source) {
        Map<String, T> out = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : kafka.readToEnd(topic.topicName())) {
            if (!r.key().startsWith(source + "/")) {
                continue;
            }
            if (r.value() == null) {
                out.remove(r.key());
            } else {
                out.put(r.key(), CloudEventsKafka.decode(r.headers(), r.value()).dataAs(type));
            }
        }
        return out;
    }
}
