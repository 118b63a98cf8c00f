package io.lifeboat.service.pipeline;

import io.lifeboat.common.topic.Topic;
import io.lifeboat.service.events.EventPublisher;
import io.lifeboat.service.events.Inbox;
import io.lifeboat.service.health.InfrastructureProbe;
import io.lifeboat.service.kafka.KafkaSettings;
import io.lifeboat.service.schema.SupportSchema;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs every {@link EventHandler} of the service as a channel: {@code concurrency} consumers in the service's group,
 * started once the support schema is in place, stopped on shutdown before anything they use closes.
 */
@ApplicationScoped
public class Pipelines {

    private static final Logger LOG = Logger.getLogger(Pipelines.class);

    @Inject
    Instance<EventHandler<?>> handlers;

    @Inject
    PipelineConfig config;

    @Inject
    Config rawConfig;

    @Inject
    Inbox inbox;

    @Inject
    EventPublisher publisher;

    @Inject
    InfrastructureProbe probe;

    @Inject
    MeterRegistry registry;

    @Inject
    SupportSchema schema;

    @ConfigProperty(name = "quarkus.application.name", defaultValue = "lifeboat")
    String service;

    /** What the health check and the dead-letter API show of a channel. */
    public record ChannelStatus(String channel, Topic topic, int consumers, boolean stalled, Duration stalledFor,
                                String stallReason, long lag, Instant lastProgressAt) {
    }

    private final List<Running> running = new ArrayList<>();

    private record Running(EventHandler<?> handler, List<ConsumerChannel<?>> consumers, List<ChannelState> states,
                           List<Thread> threads) {
    }

    void start(@Observes @Priority(100) StartupEvent e) {
        schema.migrate();
        String group = config.groupId().orElse("lifeboat-" + service.replaceAll("-service$", ""));
        ChannelContext ctx = new ChannelContext(service, group, config, KafkaSettings.from(rawConfig), inbox,
                publisher, probe, new PipelineMetrics(registry));
        for (EventHandler<?> h : handlers) {
            PipelineConfig.Channel cc = config.channels().get(h.channel());
            if (cc != null && !cc.enabled()) {
                LOG.infof("channel %s is disabled", h.channel());
                continue;
            }
            int concurrency = cc == null ? 1 : Math.max(1, cc.concurrency());
            int maxPoll = cc == null ? config.maxPollRecords() : cc.maxPollRecords().orElse(config.maxPollRecords());
            start(h, concurrency, maxPoll, ctx);
        }
    }

    private <T> void start(EventHandler<T> h, int concurrency, int maxPoll, ChannelContext ctx) {
        List<ConsumerChannel<?>> consumers = new ArrayList<>();
        List<ChannelState> states = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            ChannelState state = new ChannelState();
            ConsumerChannel<T> c = new ConsumerChannel<>(h, i, maxPoll, ctx, state);
            Thread t = new Thread(c, "lifeboat-" + h.channel() + "-" + i);
            consumers.add(c);
            states.add(state);
            threads.add(t);
        }
        Running r = new Running(h, consumers, states, threads);
        synchronized (running) {
            running.add(r);
        }
        Gauge.builder("lifeboat.pipeline.stalled", r, x -> x.states.stream().anyMatch(ChannelState::stalled) ? 1 : 0)
                .description("1 while a consumer of the channel cannot make progress").tag("channel", h.channel())
                .register(registry);
        Gauge.builder("lifeboat.pipeline.stall", r, x -> x.states.stream().mapToDouble(s -> s.stalledFor().toMillis()
                        / 1000.0).max().orElse(0)).baseUnit("seconds")
                .description("How long the channel has been stalled (0 when not)").tag("channel", h.channel())
                .register(registry);
        Gauge.builder("lifeboat.pipeline.lag", r, x -> x.states.stream().mapToLong(ChannelState::lag).sum())
                .description("Records on the channel's partitions not yet consumed").tag("channel", h.channel())
                .register(registry);
        ctx.metrics().register(h.channel(), h.topic().topicName());
        threads.forEach(Thread::start);
        LOG.infof("channel %s: %s, %d consumer(s) in group %s, up to %d records per batch", h.channel(),
                h.topic().topicName(), concurrency, ctx.groupId(), maxPoll);
    }

    /** Stops fetching and lets each consumer finish or abandon its batch before the ORM and the pool close. */
    void stop(@Observes @Priority(10) ShutdownEvent e) {
        List<Running> all;
        synchronized (running) {
            all = new ArrayList<>(running);
        }
        all.forEach(r -> r.consumers.forEach(ConsumerChannel::stop));
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        for (Running r : all) {
            for (Thread t : r.threads) {
                try {
                    t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (t.isAlive()) {
                    LOG.warnf("%s did not stop within %s; its batch is abandoned uncommitted", t.getName(),
                            config.shutdownTimeout());
                }
            }
        }
    }

    public List<ChannelStatus> status() {
        List<ChannelStatus> out = new ArrayList<>();
        synchronized (running) {
            for (Running r : running) {
                boolean stalled = r.states.stream().anyMatch(ChannelState::stalled);
                Duration stalledFor = r.states.stream().map(ChannelState::stalledFor).max(Comparator.naturalOrder())
                        .orElse(Duration.ZERO);
                String reason = r.states.stream().map(ChannelState::stallReason).filter(s -> s != null).findFirst()
                        .orElse(null);
                Instant last = r.states.stream().map(ChannelState::lastProgressAt).filter(s -> s != null)
                        .max(Comparator.naturalOrder()).orElse(null);
                out.add(new ChannelStatus(r.handler.channel(), r.handler.topic(), r.consumers.size(), stalled,
                        stalledFor, reason, r.states.stream().mapToLong(ChannelState::lag).sum(), last));
            }
        }
        return out;
    }

    /** The topics this service consumes, whose dead letters are its own. */
    public Set<Topic> topics() {
        Set<Topic> t = new TreeSet<>();
        for (EventHandler<?> h : handlers) {
            t.add(h.topic());
        }
        return t;
    }

    public String service() {
        return service;
    }
}
