package io.lifeboat.service.kafka;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.Config;

import java.util.HashMap;
import java.util.Map;

/**
 * The Kafka client settings of a service: every {@code kafka.*} configuration property (bootstrap servers, and in
 * production the security settings such as {@code kafka.security.protocol} or {@code kafka.sasl.jaas.config}) is
 * passed to every client the service makes, under its name without the prefix. Producers and consumers then add their
 * own bounded timeouts, so that a broker outage is reported as a failure within seconds, never a hang.
 */
public final class KafkaSettings {

    private final Map<String, Object> common;

    private KafkaSettings(Map<String, Object> common) {
        this.common = Map.copyOf(common);
    }

    public static KafkaSettings from(Config config) {
        Map<String, Object> m = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("kafka.") && !name.startsWith("kafka.health")) {
                config.getOptionalValue(name, String.class).ifPresent(v -> m.put(name.substring(6), v));
            }
        }
        m.putIfAbsent(CommonNames.BOOTSTRAP, "localhost:9092");
        return new KafkaSettings(m);
    }

    public static KafkaSettings of(String bootstrapServers) {
        return new KafkaSettings(Map.of(CommonNames.BOOTSTRAP, bootstrapServers));
    }

    public String bootstrapServers() {
        return (String) common.get(CommonNames.BOOTSTRAP);
    }

    /** acks=all with idempotence (no duplicates or reordering on the producer's own retries), bounded waits. */
    public Map<String, Object> producer(String clientId) {
        Map<String, Object> p = new HashMap<>(common);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        // A send to an unreachable broker fails after these, rather than blocking a cycle or a relay for minutes.
        p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        p.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /** Manual commits only; a member that dies unannounced hands its partitions over within 10 s. */
    public Map<String, Object> consumer(String groupId, String clientId, int maxPollRecords) {
        Map<String, Object> c = new HashMap<>(common);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        c.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(maxPollRecords));
        // Under load, let the broker gather a batch for up to 100 ms rather than hand over a few records per fetch:
        // a transaction per batch is cheap only when batches are not tiny. An idle topic answers after 100 ms.
        c.putIfAbsent(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, "262144");
        c.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        c.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        c.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000");
        c.putIfAbsent(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        c.putIfAbsent(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return c;
    }

    /** A consumer without a group, for reading topics by assignment (dead letters, replays). */
    public Map<String, Object> reader(String clientId) {
        Map<String, Object> c = consumer("unused", clientId, 1000);
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return c;
    }

    /** Short timeouts: the admin client answers health probes, which must not hang. */
    public Map<String, Object> admin(String clientId) {
        Map<String, Object> a = new HashMap<>();
        common.forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k)) {
                a.put(k, v);
            }
        });
        a.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        a.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        a.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "3000");
        a.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        return a;
    }

    private static final class CommonNames {
        static final String BOOTSTRAP = "bootstrap.servers";
    }
}
