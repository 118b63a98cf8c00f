package io.lifeboat.watchdog.rest;

import io.lifeboat.common.incident.IncidentKind;
import io.lifeboat.service.rest.ProblemException;
import io.lifeboat.service.rest.TimeParam;
import io.lifeboat.watchdog.incident.Incident;
import io.lifeboat.watchdog.incident.RawEventRow;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Guest incidents for dashboards: filtered lists, one incident with its raw events, counts over time. */
@Path("/api/v1/incidents")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Guest incidents")
@RolesAllowed({"viewer", "operator"})
public class IncidentResource {

    @Inject
    EntityManager em;

    public record IncidentView(UUID id, IncidentKind kind, String vm, String vmName, String host, String source,
                               String hypervisor, String domainUuid, String domainName, String action,
                               Instant firstSeenAt, Instant lastSeenAt, int eventCount, String detail) {
        static IncidentView of(Incident i) {
            return new IncidentView(i.id, i.kind, i.vmKey, i.vmName, i.hostKey, i.sourceId, i.hypervisor,
                    i.domainUuid, i.domainName, i.action, i.firstSeenAt, i.lastSeenAt, i.eventCount, i.detail);
        }
    }

    public record RawEventView(String id, String kind, String lifecycleType, String lifecycleDetail,
                               String watchdogAction, String ioAction, String ioReason, Instant occurredAt,
                               String via, String rawLine) {
    }

    public record IncidentDetail(IncidentView incident, List<RawEventView> events) {
    }

    public record Count(Instant bucket, IncidentKind kind, long count) {
    }

    @GET
    @Transactional
    @Operation(summary = "Incidents, newest first; filter by vm (key), host (key or hypervisor name), source, kind,"
            + " from/to (RFC 3339)")
    public List<IncidentView> list(@QueryParam("vm") String vm, @QueryParam("host") String host,
                                   @QueryParam("source") String source, @QueryParam("kind") String kind,
                                   @QueryParam("from") String from, @QueryParam("to") String to,
                                   @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw ProblemException.badRequest("invalid-limit", "limit must be between 1 and 1000");
        }
        StringBuilder q = new StringBuilder("firstSeenAt >= :from and firstSeenAt < :to");
        Parameters p = Parameters.with("from", TimeParam.parse("from", from, Instant.EPOCH))
                .and("to", TimeParam.parse("to", to, Instant.now().plus(1, ChronoUnit.DAYS)));
        if (vm != null) {
            q.append(" and vmKey = :vm");
            p.and("vm", vm);
        }
        if (host != null) {
            q.append(" and (hostKey = :host or hypervisor = :host)");
            p.and("host", host);
        }
        if (source != null) {
            q.append(" and sourceId = :source");
            p.and("source", source);
        }
        if (kind != null) {
            q.append(" and kind = :kind");
            p.and("kind", kind(kind));
        }
        return Incident.<Incident>find(q.toString(), Sort.descending("firstSeenAt"), p).page(Page.ofSize(limit))
                .list().stream().map(IncidentView::of).toList();
    }

    @GET
    @Path("/{id}")
    @Transactional
    @Operation(summary = "One incident with the raw events that make it up")
    public IncidentDetail one(@PathParam("id") String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid-id", "'" + id + "' is not a UUID");
        }
        Incident i = Incident.findById(uuid);
        if (i == null) {
            throw ProblemException.notFound("incident-not-found", "no incident " + id);
        }
        List<RawEventView> events = RawEventRow.<RawEventRow>list("incidentId", Sort.ascending("occurredAt"), uuid)
                .stream().map(r -> new RawEventView(r.id, r.kind, r.lifecycleType, r.lifecycleDetail,
                        r.watchdogAction, r.ioAction, r.ioReason, r.occurredAt, r.via, r.rawLine)).toList();
        return new IncidentDetail(IncidentView.of(i), events);
    }

    @GET
    @Path("/counts")
    @Transactional
    @Operation(summary = "Incidents per kind per minute, hour or day (bucket), from/to (default: the last 24 h)")
    public List<Count> counts(@QueryParam("bucket") @DefaultValue("hour") String bucket,
                              @QueryParam("from") String from, @QueryParam("to") String to,
                              @QueryParam("source") String source) {
        if (!List.of("minute", "hour", "day").contains(bucket)) {
            throw ProblemException.badRequest("invalid-bucket", "bucket must be minute, hour or day");
        }
        Instant t1 = TimeParam.parse("to", to, Instant.now());
        Instant t0 = TimeParam.parse("from", from, t1.minus(1, ChronoUnit.DAYS));
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select date_trunc('" + bucket + "', first_seen_at at time zone"
                        + " 'UTC') as b, kind, count(*) from incident where first_seen_at >= ?1 and first_seen_at < ?2"
                        + " and (?3 = '' or source_id = ?3) group by b, kind order by b, kind")
                .setParameter(1, t0).setParameter(2, t1).setParameter(3, source == null ? "" : source)
                .getResultList();
        return rows.stream().map(r -> new Count(toInstant(r[0]), IncidentKind.valueOf((String) r[1]),
                ((Number) r[2]).longValue())).toList();
    }

    private static Instant toInstant(Object o) {
        if (o instanceof java.sql.Timestamp t) {
            return t.toLocalDateTime().toInstant(java.time.ZoneOffset.UTC);
        }
        if (o instanceof java.time.LocalDateTime l) {
            return l.toInstant(java.time.ZoneOffset.UTC);
        }
        return Instant.parse(o.toString());
    }

    private static IncidentKind kind(String k) {
        try {
            return IncidentKind.valueOf(k.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid-kind", "kind must be one of "
                    + java.util.Arrays.toString(IncidentKind.values()));
        }
    }
}
