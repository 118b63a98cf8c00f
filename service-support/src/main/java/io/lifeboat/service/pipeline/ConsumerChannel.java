package io.lifeboat.service.pipeline;

import io.lifeboat.common.deadletter.DeadLetters;
import io.lifeboat.service.events.EventPublisher;
import io.quarkus.narayana.jta.QuarkusTransaction;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One consumer of a channel (one member of the service's group): poll a batch, decode it, apply it in one transaction,
 * dead-letter what is poison, commit. The order of a partition is kept. When the database or the broker fails, the
 * batch is neither committed nor dead-lettered: the consumer pauses its partitions (staying in the group), backs off
 * and retries the same batch, and reports the stall. On shutdown it finishes or abandons the batch in hand before the
 * ORM and the datasource close.
 */
final class ConsumerChannel<T> implements Runnable {

    private static final Logger LOG = Logger.getLogger(ConsumerChannel.class);

    private final EventHandler<T> handler;
    private final ChannelContext ctx;
    private final ChannelState state;
    private final String name;
    private final int maxPollRecords;
    private final Set<TopicPartition> revoked = new HashSet<>();
    private volatile boolean stopping;
    private volatile Consumer<String, byte[]> consumer;

    ConsumerChannel(EventHandler<T> handler, int index, int maxPollRecords, ChannelContext ctx, ChannelState state) {
        this.handler = handler;
        this.ctx = ctx;
        this.state = state;
        this.name = handler.channel() + "#" + index;
        this.maxPollRecords = maxPollRecords;
    }

    void stop() {
        stopping = true;
        Consumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    @Override
    public void run() {
        int failures = 0;
        while (!stopping) {
            try {
                consume();
            } catch (Throwable t) {
                if (stopping) {
                    break;
                }
                // A fault in the loop itself (not in a batch, which is retried inside): start over with a new consumer.
                state.stalled("consumer failed: " + Failures.describe(t));
                LOG.errorf(t, "%s: the consumer failed; starting a new one", name);
                sleep(backoff(failures++));
            }
        }
        state.stopped();
    }

    private void consume() {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(ctx.kafka().consumer(ctx.groupId(),
                ctx.service() + "-" + name, maxPollRecords))) {
            consumer = c;
            c.subscribe(List.of(handler.topic().topicName()), new Rebalance());
            int pollFailures = 0;
            while (!stopping) {
                ConsumerRecords<String, byte[]> polled;
                try {
                    polled = c.poll(Duration.ofMillis(500));
                    pollFailures = 0;
                } catch (WakeupException e) {
                    break;
                } catch (KafkaException e) {
                    state.stalled("Kafka: " + Failures.describe(e));
                    ctx.metrics().retry(handler.channel(), "infrastructure");
                    sleep(backoff(pollFailures++));
                    continue;
                }
                revoked.clear();
                state.lag(lag(c));
                if (polled.isEmpty()) {
                    state.idle();
                    continue;
                }
                Batch batch = new Batch(polled);
                long t0 = System.nanoTime();
                decode(batch);
                long decoded = System.nanoTime();
                if (!complete(batch)) {
                    LOG.infof("%s: stopping; the batch in hand (%d records) is left uncommitted for the next start",
                            name, batch.items.size());
                    break;
                }
                long applied = System.nanoTime();
                commit(batch);
                if (!c.paused().isEmpty()) {
                    c.resume(c.paused());
                }
                ctx.metrics().batch(handler.channel(), System.nanoTime() - t0, batch.applied, batch.duplicates);
                if (LOG.isDebugEnabled()) {
                    long oldest = batch.items.stream().mapToLong(i -> i.record.timestamp()).min().orElse(0);
                    long end = System.nanoTime();
                    LOG.debugf("%s: batch of %d (%s): %d applied, %d duplicates, %d poison in %d ms (decode %d, apply"
                                    + " %d, commit %d); oldest record written %d ms ago", name, batch.items.size(),
                            batch.nextOffsets, batch.applied, batch.duplicates, batch.poison.size(),
                            (end - t0) / 1_000_000, (decoded - t0) / 1_000_000, (applied - decoded) / 1_000_000,
                            (end - applied) / 1_000_000, System.currentTimeMillis() - oldest);
                }
                state.progress();
            }
        } finally {
            consumer = null;
        }
    }

    // ------------------------------------------------------------------ decoding

    private void decode(Batch batch) {
        for (Batch.Item item : batch.items) {
            Decoding.decode(handler, item);
        }
        batch.ready();
    }

    // ------------------------------------------------------------------ applying

    /** Applies and dead-letters the batch; false if abandoned because the service is stopping. */
    private boolean complete(Batch batch) {
        int attempt = 0;
        while (true) {
            if (stopping) {
                return false;
            }
            try {
                applyPending(batch);
                deadLetter(batch);
                return true;
            } catch (Stall s) {
                if (stopping) {
                    return false;
                }
                state.stalled(s.getMessage());
                ctx.metrics().retry(handler.channel(), "infrastructure");
                if (attempt == 0 || attempt % 10 == 0) {
                    LOG.warnf("%s: batch of %d records not applied, retrying (attempt %d): %s", name,
                            batch.items.size(), attempt + 1, s.getMessage());
                }
                waitPolling(backoff(attempt++), batch);
            }
        }
    }

    private void applyPending(Batch batch) {
        while (!batch.pending.isEmpty()) {
            List<Batch.Item> chunk = batch.pending.peekFirst();
            try {
                int fresh = applyInTransaction(chunk);
                batch.pending.removeFirst();
                batch.applied += fresh;
                batch.duplicates += chunk.size() - fresh;
            } catch (RuntimeException e) {
                if (stopping) {
                    throw new Stall("stopping");
                }
                Failures.Kind kind = Failures.classify(e);
                if (kind == Failures.Kind.INFRASTRUCTURE) {
                    throw new Stall(Failures.describe(e));
                }
                ctx.metrics().retry(handler.channel(), "isolation");
                if (chunk.size() > 1) {
                    LOG.debugf("%s: a chunk of %d failed (%s); trying its halves", name, chunk.size(),
                            Failures.describe(e));
                    batch.split(chunk);
                    continue;
                }
                isolate(batch, chunk.get(0), kind, e);
            }
        }
        if (batch.unknownPoisonCount() >= ctx.config().systematicFailureThreshold()
                && batch.unknownPoisonCount() * 2 >= batch.items.size()) {
            int back = batch.retractUnknownPoison();
            throw new Stall(back + " of " + batch.items.size() + " records failed alike for a reason that is not the"
                    + " infrastructure's: suspecting a fault outside the records, not dead-lettering them");
        }
    }

    /** The record at fault, alone: tried a few times, then dead-lettered, unless the database is what fails. */
    private void isolate(Batch batch, Batch.Item item, Failures.Kind kind, RuntimeException e) {
        item.failures++;
        if (item.failures < ctx.config().poisonAttempts()) {
            sleep(ctx.config().initialBackoff().toMillis() * item.failures);
            return;
        }
        if (!ctx.probe().databaseReachableNow()) {
            item.failures = 0;
            throw new Stall("the database is unreachable: " + Failures.describe(e));
        }
        String reason = "processing failed " + item.failures + " times: " + Failures.describe(e);
        item.poison(kind == Failures.Kind.DATA ? "data" : "processing", reason, e);
        item.unknownFailure = kind == Failures.Kind.UNKNOWN;
        batch.poison.add(item);
        batch.pending.removeFirst();
        LOG.warnf(e, "%s: record %s/%d/%d fails alone: %s", name, item.record.topic(), item.record.partition(),
                item.record.offset(), reason);
    }

    private int applyInTransaction(List<Batch.Item> chunk) {
        return QuarkusTransaction.requiringNew().timeout((int) ctx.config().batchTimeout().toSeconds()).call(() -> {
            List<String> ids = new ArrayList<>(chunk.size());
            List<String> types = new ArrayList<>(chunk.size());
            for (Batch.Item i : chunk) {
                ids.add(i.inbound.eventId());
                types.add(i.inbound.eventType());
            }
            Set<String> fresh = handler.deduplicatesItself() ? new HashSet<>(ids)
                    : ctx.inbox().firstDeliveries(ids, types);
            List<Inbound<T>> firsts = new ArrayList<>(fresh.size());
            Set<String> taken = new HashSet<>();
            for (Batch.Item i : chunk) {
                String id = i.inbound.eventId();
                if (fresh.contains(id) && taken.add(id)) {
                    @SuppressWarnings("unchecked")
                    Inbound<T> in = (Inbound<T>) i.inbound;
                    firsts.add(in);
                }
            }
            if (!firsts.isEmpty()) {
                handler.apply(firsts);
            }
            return firsts.size();
        });
    }

    // ------------------------------------------------------------------ dead letters and offsets

    private void deadLetter(Batch batch) {
        List<Batch.Item> todo = batch.poison.stream().filter(i -> !i.deadLettered).toList();
        if (todo.isEmpty()) {
            return;
        }
        List<CompletableFuture<RecordMetadata>> sends = new ArrayList<>();
        for (Batch.Item i : todo) {
            sends.add(ctx.publisher().send(DeadLetters.deadLetter(i.record, ctx.service(), handler.channel(),
                    i.poisonCode, i.poisonReason, i.poisonCause)).toCompletableFuture());
        }
        Throwable failed = null;
        for (int n = 0; n < todo.size(); n++) {
            Batch.Item i = todo.get(n);
            try {
                sends.get(n).get(35, TimeUnit.SECONDS);
                i.deadLettered = true;
                ctx.metrics().deadLettered(handler.channel(), i.record.topic(), i.poisonCode);
                LOG.warnf("%s: dead-lettered %s/%d/%d (key %s) to %s.dlq: %s: %s", name, i.record.topic(),
                        i.record.partition(), i.record.offset(), abbreviate(i.record.key()), i.record.topic(),
                        i.poisonCode, i.poisonReason);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failed = e;
            } catch (Exception e) {
                failed = failed == null ? e : failed;
            }
        }
        if (failed != null) {
            throw new Stall("writing to the dead-letter topic failed: " + Failures.describe(failed));
        }
    }

    private void commit(Batch batch) {
        Consumer<String, byte[]> c = consumer;
        Map<TopicPartition, OffsetAndMetadata> offsets = batch.offsets(c.assignment());
        if (offsets.isEmpty()) {
            return;
        }
        for (int tries = 0; tries < 2; tries++) {
            try {
                c.commitSync(offsets, Duration.ofSeconds(10));
                return;
            } catch (WakeupException e) {
                // the service is stopping: the batch is applied, so its offsets are still worth committing
            } catch (KafkaException e) {
                // Applied but not committed: after a rebalance or restart the records come again and the inbox
                // drops them. Nothing is lost.
                ctx.metrics().commitFailed(handler.channel());
                LOG.debugf("%s: commit failed (%s); the records may be delivered again and will be deduplicated",
                        name, Failures.describe(e));
                return;
            }
        }
    }

    /** Waits while staying in the group: partitions paused, polling (which returns nothing) until the delay passed. */
    private void waitPolling(long millis, Batch batch) {
        Consumer<String, byte[]> c = consumer;
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!stopping) {
            long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
            if (left <= 0) {
                break;
            }
            c.pause(c.assignment());
            ConsumerRecords<String, byte[]> extra;
            try {
                extra = c.poll(Duration.ofMillis(Math.min(left, 250)));
            } catch (WakeupException e) {
                return;
            } catch (KafkaException e) {
                sleep(Math.min(left, 250));
                continue;
            }
            // A partition assigned meanwhile was not paused yet: rewind what it returned, it is read after this batch.
            for (TopicPartition tp : extra.partitions()) {
                c.seek(tp, extra.records(tp).get(0).offset());
            }
            batch.drop(revoked);
            revoked.clear();
        }
    }

    private long backoff(int attempt) {
        long base = ctx.config().initialBackoff().toMillis();
        long max = ctx.config().maxBackoff().toMillis();
        long d = Math.min(max, base << Math.min(attempt, 20));
        return Math.max(1, (long) (d * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble())));
    }

    private static long lag(Consumer<String, byte[]> c) {
        long sum = 0;
        for (TopicPartition tp : c.assignment()) {
            OptionalLong l = c.currentLag(tp);
            if (l.isPresent()) {
                sum += l.getAsLong();
            }
        }
        return sum;
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopping = true;
        }
    }

    private static String abbreviate(String s) {
        return Decoding.abbreviate(s);
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            LOG.debugf("%s: partitions revoked: %s", name, partitions);
            revoked.addAll(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            revoked.addAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            LOG.debugf("%s: partitions assigned: %s", name, partitions);
            revoked.removeAll(partitions);
        }
    }

    /** The batch cannot go on now; retry it later. */
    private static final class Stall extends RuntimeException {
        Stall(String message) {
            super(message, null, false, false);
        }
    }
}
