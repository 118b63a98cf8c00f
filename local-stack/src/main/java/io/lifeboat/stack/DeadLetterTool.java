package io.lifeboat.stack;

import io.lifeboat.common.deadletter.DeadLetters;
import io.lifeboat.common.topic.Topic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code ./lifeboat dlq} lists every dead-letter topic with its records counted by consuming service and reason;
 * {@code ./lifeboat dlq replay <topic> [--since <RFC 3339>] [--service <name>] [--dry-run]} puts them back on their
 * original topic, once per original record. Consumers are idempotent on {@code ce_id}: what was applied already is
 * dropped, what is still poison comes back to the DLQ. The services offer the same as an audited REST action
 * ({@code POST /api/v1/dead-letters/{topic}/replay}).
 */
public final class DeadLetterTool {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private DeadLetterTool() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = "127.0.0.1:" + System.getenv().getOrDefault("LIFEBOAT_KAFKA_PORT", "9092");
        try {
            if (args.length == 0 || args[0].equals("list")) {
                list(bootstrap);
            } else if (args[0].equals("replay")) {
                replay(bootstrap, args);
            } else {
                throw new IllegalArgumentException("unknown command '" + args[0] + "' (use: dlq, or dlq replay <topic>"
                        + " [--since <RFC 3339 time>] [--service <name>] [--dry-run])");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("lifeboat dlq: " + e.getMessage());
            System.exit(2);
        }
    }

    private static void list(String bootstrap) {
        try (KafkaConsumer<String, byte[]> c = consumer(bootstrap)) {
            int total = 0;
            for (Topic t : Topic.values()) {
                List<DeadLetters.DeadLetter> letters = DeadLetters.read(c, t.dlqName(), null, TIMEOUT);
                total += letters.size();
                System.out.printf("%-44s %6d record(s)%n", t.dlqName(), letters.size());
                Map<String, List<DeadLetters.DeadLetter>> groups = letters.stream().collect(Collectors.groupingBy(
                        d -> String.format("%-20s %-9s %s", d.service() == null ? "(unknown)" : d.service(),
                                d.reasonCode() == null ? "-" : d.reasonCode(), shorten(d.reason())),
                        TreeMap::new, Collectors.toList()));
                groups.forEach((k, g) -> System.out.printf("    %6d  %s  (last %s)%n", g.size(), k,
                        g.get(g.size() - 1).at()));
            }
            System.out.printf("%n%d dead letter(s). Replay with: ./lifeboat dlq replay <topic> [--since <time>]"
                    + " [--service <name>] [--dry-run]%n", total);
        }
    }

    private static void replay(String bootstrap, String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("replay needs a topic, e.g. lifeboat.inventory.vms.v1");
        }
        String name = args[1].endsWith(".dlq") ? args[1].substring(0, args[1].length() - 4) : args[1];
        Topic topic;
        try {
            topic = Topic.byName(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown topic '" + args[1] + "'; topics: " + java.util.Arrays.stream(
                    Topic.values()).map(Topic::topicName).collect(Collectors.joining(", ")));
        }
        Instant since = null;
        String service = null;
        boolean dryRun = false;
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--since" -> since = time(value(args, ++i, "--since"));
                case "--service" -> service = value(args, ++i, "--service");
                case "--dry-run" -> dryRun = true;
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
        }
        List<DeadLetters.DeadLetter> found;
        try (KafkaConsumer<String, byte[]> c = consumer(bootstrap)) {
            found = DeadLetters.read(c, topic.dlqName(), since, TIMEOUT);
        }
        String only = service;
        List<DeadLetters.DeadLetter> chosen = DeadLetters.distinctOrigins(found.stream()
                .filter(d -> only == null || only.equals(d.service())).toList());
        if (dryRun) {
            System.out.printf("would replay %d record(s) of %s (%d dead letter(s) found%s)%n", chosen.size(),
                    topic.topicName(), found.size(), since == null ? "" : " since " + since);
            return;
        }
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"), new StringSerializer(), new ByteArraySerializer())) {
            for (DeadLetters.DeadLetter d : chosen) {
                sends.add(p.send(DeadLetters.replay(d)));
            }
            for (Future<RecordMetadata> f : sends) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        System.out.printf("replayed %d record(s) to %s (%d dead letter(s) found%s); consumers drop what they had"
                        + " applied already, and what is still poison comes back to %s%n", sends.size(),
                topic.topicName(), found.size(), since == null ? "" : " since " + since, topic.dlqName());
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static Instant time(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--since must be an RFC 3339 time with a zone, e.g."
                    + " 2026-12-01T10:00:00Z; got '" + text + "'");
        }
    }

    private static String shorten(String s) {
        if (s == null) {
            return "(no reason)";
        }
        return s.length() > 110 ? s.substring(0, 110) + "…" : s;
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrap) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(),
                new ByteArrayDeserializer());
    }
}
