package io.lifeboat.watchdog.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.json.Json;
import io.lifeboat.common.libvirt.LibvirtRawEvent;
import io.lifeboat.service.events.EventPublisher;
import io.lifeboat.service.rest.Problem;
import io.lifeboat.service.rest.ProblemException;
import io.lifeboat.watchdog.config.WatchdogConfig;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Batches of libvirt events over HTTP, for hypervisors where only a shell pipe is possible: {@code virsh event} lines
 * (text) or raw events (JSON). Each good item is published to {@code lifeboat.libvirt.raw.v1} before the answer, so
 * an accepted event is never lost; each bad one is reported with its line or index and reason, and the rest of the
 * batch is taken.
 */
@Path("/api/v1/events")
@Tag(name = "Ingestion")
@RolesAllowed({"agent", "operator"})
public class IngestResource {

    static final URI SOURCE = URI.create("/lifeboat/watchdog/ingest");

    @Inject
    EventPublisher publisher;

    @Inject
    WatchdogConfig config;

    @Inject
    AgentScope scope;

    /** What a batch achieved. {@code rejected} items name their line (from 1) or index (from 0) and the reason. */
    public record BatchResult(int accepted, int ignored, List<Rejected> rejected) {
    }

    public record Rejected(int item, String reason, String text) {
    }

    @POST
    @Path("/virsh")
    @Consumes(MediaType.TEXT_PLAIN)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Lines of 'LC_ALL=C virsh event --all --loop --timestamp' from one hypervisor")
    public Response virsh(@QueryParam("hypervisor") String hypervisor, @QueryParam("host") String host,
                          String body) {
        if (hypervisor == null || hypervisor.isBlank()) {
            throw ProblemException.badRequest("missing-hypervisor", "query parameter 'hypervisor' is required: the"
                    + " host name of the hypervisor the lines come from");
        }
        scope.check(List.of(hypervisor));
        HostKey hostKey = hostKey(host);
        String[] lines = body == null ? new String[0] : body.split("\\R");
        limit(lines.length);
        List<EventEnvelope<?>> events = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        int ignored = 0;
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            if (VirshEventLines.ignorable(line)) {
                ignored++;
                continue;
            }
            try {
                LibvirtRawEvent e = VirshEventLines.parse(line, hypervisor.strip(), hostKey);
                RawEventLimits.check(e).ifPresent(reason -> {
                    throw new IllegalArgumentException(reason);
                });
                events.add(EventEnvelope.create(SOURCE, e));
            } catch (RuntimeException e) {
                // One bad line is rejected with its number and reason; the rest of the batch is taken.
                rejected.add(new Rejected(n + 1, reason(e), line.length() > 200 ? line.substring(0, 200) : line));
            }
        }
        return answer(events, ignored, rejected);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A JSON array of raw libvirt events (the lifeboat.libvirt.raw-event.v1 schema; via defaults"
            + " to HTTP)")
    public Response json(String body) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(body == null ? "" : body);
        } catch (Exception e) {
            throw ProblemException.badRequest("malformed-json", "the body is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isArray()) {
            throw ProblemException.badRequest("malformed-json", "the body must be a JSON array of raw events");
        }
        limit(root.size());
        List<EventEnvelope<?>> events = new ArrayList<>();
        List<Rejected> rejected = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode item = root.get(i);
            try {
                if (!item.isObject()) {
                    throw new IllegalArgumentException("an event must be a JSON object");
                }
                if (!item.hasNonNull("via")) {
                    ((ObjectNode) item).put("via", "HTTP");
                }
                LibvirtRawEvent e = Json.mapper().treeToValue(item, LibvirtRawEvent.class);
                RawEventLimits.check(e).ifPresent(reason -> {
                    throw new IllegalArgumentException(reason);
                });
                events.add(EventEnvelope.create(SOURCE, e));
            } catch (Exception e) {
                rejected.add(new Rejected(i, reason(e), item.toString().length() > 200
                        ? item.toString().substring(0, 200) : item.toString()));
            }
        }
        // An agent posting for a hypervisor its identity does not name is refused whole: it is not one bad item.
        scope.check(events.stream().map(e -> ((LibvirtRawEvent) e.data()).hypervisor()).distinct().toList());
        return answer(events, 0, rejected);
    }

    private Response answer(List<EventEnvelope<?>> events, int ignored, List<Rejected> rejected) {
        if (events.isEmpty() && !rejected.isEmpty()) {
            Problem p = Problem.of("invalid-events", "Bad request", 400, "none of the " + rejected.size()
                    + " items is a valid event; first: item " + rejected.get(0).item() + ": "
                    + rejected.get(0).reason());
            throw new ProblemException(p.withViolations(rejected.stream().limit(100).map(r ->
                    new Problem.Violation("item " + r.item(), r.reason())).toList()));
        }
        publisher.publishAllAndWait(events);
        return Response.accepted(new BatchResult(events.size(), ignored, rejected)).build();
    }

    private void limit(int size) {
        if (size > config.maxBatch()) {
            throw ProblemException.badRequest("batch-too-large", "at most " + config.maxBatch() + " items per batch,"
                    + " got " + size);
        }
    }

    private static HostKey hostKey(String host) {
        if (host == null || host.isBlank()) {
            return null;
        }
        try {
            return HostKey.parse(host.strip());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid-host", "query parameter 'host' must be a host key"
                    + " <source>/<hostId>: " + e.getMessage());
        }
    }

    /** Jackson wraps the record's own message ("a libvirt event needs 'domainUuid' or 'domainName'"): unwrap it. */
    private static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        if (m != null && m.contains("\n")) {
            m = m.substring(0, m.indexOf('\n'));
        }
        return m == null ? t.getClass().getSimpleName() : m;
    }
}
