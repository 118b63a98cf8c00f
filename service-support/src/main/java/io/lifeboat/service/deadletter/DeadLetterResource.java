package io.lifeboat.service.deadletter;

import io.lifeboat.common.deadletter.DeadLetters;
import io.lifeboat.common.topic.Topic;
import io.lifeboat.service.events.EventPublisher;
import io.lifeboat.service.kafka.KafkaSettings;
import io.lifeboat.service.pipeline.Pipelines;
import io.lifeboat.service.rest.ProblemException;
import io.lifeboat.service.rest.StrictParams;
import io.lifeboat.service.rest.TimeParam;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hibernate.Session;
import org.jboss.logging.Logger;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * The dead letters of the topics this service consumes, and replaying them. Only this service's dead letters are
 * shown and replayed (the {@code dead-letter-service} header; letters written before that header existed count for
 * every service). A replay puts each record back on its original topic once; every consumer of the topic is
 * idempotent on {@code ce_id}, so what some service already applied changes nothing. Replays are audited.
 */
@Path("/api/v1/dead-letters")
@Tag(name = "Dead letters")
@Produces(MediaType.APPLICATION_JSON)
public class DeadLetterResource {

    private static final Logger LOG = Logger.getLogger(DeadLetterResource.class);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    @Inject
    Pipelines pipelines;

    @Inject
    EventPublisher publisher;

    @Inject
    Config config;

    @Inject
    EntityManager em;

    @Inject
    SecurityIdentity identity;

    /** One consumed topic's dead letters. */
    public record TopicLetters(String topic, String dlq, int letters, List<ReasonCount> byReason,
                               List<Letter> newest) {
    }

    public record ReasonCount(String reasonCode, String reason, int count, Instant first, Instant last) {
    }

    public record Letter(String position, String origin, Instant at, String key, String reasonCode, String reason,
                         String exceptionClass, String service) {
    }

    public record ReplayResult(String topic, Instant since, int found, int distinct, int replayed, boolean dryRun) {
    }

    public record Replay(long id, Instant requestedAt, String actor, String topic, Instant since, int found,
                         int replayed, String detail) {
    }

    @GET
    @RolesAllowed("viewer")
    @Operation(summary = "This service's dead letters per consumed topic: counts by reason and the newest 20")
    public List<TopicLetters> list() {
        List<TopicLetters> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = reader()) {
            for (Topic t : pipelines.topics()) {
                List<DeadLetters.DeadLetter> mine = mine(DeadLetters.read(c, t.dlqName(), null, READ_TIMEOUT));
                Map<String, List<DeadLetters.DeadLetter>> byReason = mine.stream().collect(Collectors.groupingBy(
                        d -> d.reasonCode() + "\u0000" + d.reason(), LinkedHashMap::new, Collectors.toList()));
                List<ReasonCount> counts = byReason.values().stream().map(g -> new ReasonCount(g.get(0).reasonCode(),
                                g.get(0).reason(), g.size(), g.get(0).at(), g.get(g.size() - 1).at()))
                        .sorted(Comparator.comparingInt(ReasonCount::count).reversed()).limit(50).toList();
                List<Letter> newest = mine.stream().sorted(Comparator.comparing(DeadLetters.DeadLetter::at).reversed())
                        .limit(20).map(DeadLetterResource::letter).toList();
                out.add(new TopicLetters(t.topicName(), t.dlqName(), mine.size(), counts, newest));
            }
        }
        return out;
    }

    @POST
    @Path("/{topic}/replay")
    @RolesAllowed("operator")
    @Operation(summary = "Put this service's dead letters of a topic back on it (idempotent: consumers drop what they"
            + " applied already)")
    public ReplayResult replay(@PathParam("topic") String topicName, @QueryParam("since") String sinceText,
                               @QueryParam("dryRun") String dryRunText, @Context UriInfo uri) {
        StrictParams.only(uri, "since", "dryRun");
        Topic topic = owned(topicName);
        Instant since = TimeParam.parse("since", sinceText, null);
        boolean dryRun = StrictParams.bool(uri, "dryRun", false);
        List<DeadLetters.DeadLetter> found;
        try (KafkaConsumer<String, byte[]> c = reader()) {
            found = mine(DeadLetters.read(c, topic.dlqName(), since, READ_TIMEOUT));
        }
        List<DeadLetters.DeadLetter> distinct = DeadLetters.distinctOrigins(found);
        int replayed = 0;
        if (!dryRun) {
            List<CompletableFuture<RecordMetadata>> sends = new ArrayList<>();
            for (DeadLetters.DeadLetter d : distinct) {
                sends.add(publisher.send(DeadLetters.replay(d)).toCompletableFuture());
            }
            EventPublisher.await(sends);
            replayed = sends.size();
        }
        String actor = identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
        int n = replayed;
        QuarkusTransaction.requiringNew().run(() -> em.unwrap(Session.class).doWork(conn -> {
            try (PreparedStatement ps = conn.prepareStatement("insert into dead_letter_replay (requested_at, actor,"
                    + " topic, since, found, replayed, detail) values (now(), ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, actor);
                ps.setString(2, topic.topicName());
                ps.setTimestamp(3, since == null ? null : Timestamp.from(since));
                ps.setInt(4, found.size());
                ps.setInt(5, n);
                ps.setString(6, (dryRun ? "dry run: " : "") + distinct.size() + " distinct record(s) of "
                        + pipelines.service());
                ps.executeUpdate();
            }
        }));
        LOG.infof("%s %s %d dead letter(s) of %s (%d found since %s)", actor, dryRun ? "would replay" : "replayed",
                distinct.size(), topic.topicName(), found.size(), since == null ? "the beginning" : since);
        return new ReplayResult(topic.topicName(), since, found.size(), distinct.size(), replayed, dryRun);
    }

    @GET
    @Path("/replays")
    @RolesAllowed("viewer")
    @Operation(summary = "The audit of replays, newest first")
    public List<Replay> replays() {
        return QuarkusTransaction.requiringNew().call(() -> em.unwrap(Session.class).doReturningWork(conn -> {
            List<Replay> out = new ArrayList<>();
            try (PreparedStatement ps = conn.prepareStatement("select id, requested_at, actor, topic, since, found,"
                    + " replayed, detail from dead_letter_replay order by id desc limit 100");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp since = rs.getTimestamp(5);
                    out.add(new Replay(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                            rs.getString(4), since == null ? null : since.toInstant(), rs.getInt(6), rs.getInt(7),
                            rs.getString(8)));
                }
            }
            return out;
        }));
    }

    private Topic owned(String name) {
        String plain = name.endsWith(".dlq") ? name.substring(0, name.length() - 4) : name;
        return pipelines.topics().stream().filter(t -> t.topicName().equals(plain)).findFirst()
                .orElseThrow(() -> ProblemException.notFound("unknown-topic", "this service consumes no topic '"
                        + name + "'; its topics: " + pipelines.topics().stream().map(Topic::topicName)
                        .collect(Collectors.joining(", "))));
    }

    private List<DeadLetters.DeadLetter> mine(List<DeadLetters.DeadLetter> all) {
        return all.stream().filter(d -> d.service() == null || d.service().equals(pipelines.service())).toList();
    }

    private KafkaConsumer<String, byte[]> reader() {
        return new KafkaConsumer<>(KafkaSettings.from(config).reader(pipelines.service() + "-dead-letters"));
    }

    private static Letter letter(DeadLetters.DeadLetter d) {
        return new Letter(d.dlq() + "/" + d.partition() + "/" + d.offset(), d.origin(), d.at(), d.key(),
                d.reasonCode(), d.reason(), d.exceptionClass(), d.service());
    }
}
