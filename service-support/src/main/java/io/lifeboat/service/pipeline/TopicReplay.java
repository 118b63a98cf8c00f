package io.lifeboat.service.pipeline;

import io.lifeboat.service.events.Inbox;
import io.lifeboat.service.kafka.KafkaSettings;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.Config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a topic from its beginning to its current end through a handler, as the live channel would apply it (same
 * decoding, inbox and batches), outside the consumer group. Records the live channel dead-letters are skipped.
 */
@ApplicationScoped
public class TopicReplay {

    @Inject
    Config config;

    @Inject
    Inbox inbox;

    /** Returns the number of records read. */
    public <T> long replay(EventHandler<T> handler) {
        long n = 0;
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaSettings.from(config)
                .reader("replay-" + handler.channel()))) {
            String topic = handler.topic().topicName();
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(p -> c.position(p) < end.get(p))) {
                ConsumerRecords<String, byte[]> polled = c.poll(Duration.ofMillis(200));
                if (polled.isEmpty()) {
                    continue;
                }
                Batch batch = new Batch(polled);
                batch.items.forEach(i -> Decoding.decode(handler, i));
                List<Inbound<T>> good = new ArrayList<>();
                for (Batch.Item i : batch.items) {
                    if (i.poisonCode == null) {
                        @SuppressWarnings("unchecked")
                        Inbound<T> in = (Inbound<T>) i.inbound;
                        good.add(in);
                    }
                }
                n += batch.items.size();
                QuarkusTransaction.requiringNew().run(() -> {
                    Set<String> fresh = handler.deduplicatesItself()
                            ? new java.util.HashSet<>(good.stream().map(Inbound::eventId).toList())
                            : inbox.firstDeliveries(good.stream().map(Inbound::eventId).toList(),
                            good.stream().map(Inbound::eventType).toList());
                    Set<String> taken = new HashSet<>();
                    List<Inbound<T>> firsts = good.stream().filter(i -> fresh.contains(i.eventId())
                            && taken.add(i.eventId())).toList();
                    if (!firsts.isEmpty()) {
                        handler.apply(firsts);
                    }
                });
            }
        }
        return n;
    }
}
