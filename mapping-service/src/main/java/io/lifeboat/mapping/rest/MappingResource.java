package io.lifeboat.mapping.rest;

import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.lun.LunWwid;
import io.lifeboat.common.plan.UnmapPlan;
import io.lifeboat.mapping.lineage.VmHistory;
import io.lifeboat.mapping.lineage.VmInterval;
import io.lifeboat.mapping.plan.UnmapPlanFormats;
import io.lifeboat.mapping.plan.UnmapPlanner;
import io.lifeboat.service.rest.ProblemException;
import io.lifeboat.service.rest.TimeParam;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** History queries and unmap plans (viewer; generating and publishing a plan: operator). */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Lineage and unmap plans")
@RolesAllowed({"viewer", "operator"})
public class MappingResource {

    @Inject
    VmHistory vms;

    @Inject
    UnmapPlanner planner;

    @Inject
    EntityManager em;

    @Inject
    SecurityIdentity identity;

    @GET
    @Path("/vms/{source}/{vmId}/lineage")
    @Operation(summary = "A VM's hosts, statuses, disks and LUNs over time, newest first")
    @Transactional
    public MappingViews.Lineage lineage(@PathParam("source") String source, @PathParam("vmId") String vmId) {
        VmKey vm = VmKey.parse(source + "/" + vmId);
        List<MappingViews.Placement> placements = vms.placements(vm).stream().map(MappingViews.Placement::of)
                .toList();
        if (placements.isEmpty()) {
            throw ProblemException.notFound("vm-not-found", "no history for VM " + vm);
        }
        return new MappingViews.Lineage(vm.toString(), placements,
                vms.disks(vm).stream().map(MappingViews.Disk::of).toList());
    }

    @GET
    @Path("/luns/{wwid}/history")
    @Operation(summary = "Which VMs and hosts had a LUN, and which block storage domains it backed, and when (WWID in"
            + " any form: multipath, SVC UID, naa.)")
    @Transactional
    public List<MappingViews.LunUse> lunHistory(@PathParam("wwid") String text) {
        LunWwid wwid = LunWwid.parse(text);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                select d.vm_key, v.vm_name, d.disk_id, v.host_key, v.host_name,
                       greatest(d.valid_from, v.valid_from) as since,
                       case when d.valid_to is null then v.valid_to when v.valid_to is null then d.valid_to
                            else least(d.valid_to, v.valid_to) end as until
                  from vm_disk_interval d
                  join vm_interval v on v.vm_key = d.vm_key
                   and v.valid_from < coalesce(d.valid_to, 'infinity'::timestamptz)
                   and coalesce(v.valid_to, 'infinity'::timestamptz) > d.valid_from
                 where d.lun_wwid = ?1
                 order by since desc""").setParameter(1, wwid.toString()).getResultList();
        List<MappingViews.LunUse> out = new ArrayList<>();
        for (Object[] r : rows) {
            out.add(new MappingViews.LunUse(wwid.multipathWwid(), wwid.svcVdiskUid(), (String) r[0], (String) r[1],
                    (String) r[2], (String) r[3], (String) r[4], instant(r[5]), r[6] == null ? null : instant(r[6])));
        }
        // Consecutive identical rows come from attribute changes of the VM on the same host: merge them.
        List<MappingViews.LunUse> merged = new ArrayList<>();
        for (MappingViews.LunUse u : out) {
            MappingViews.LunUse last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && last.vmKey().equals(u.vmKey()) && java.util.Objects.equals(last.hostKey(),
                    u.hostKey()) && last.diskId().equals(u.diskId()) && u.until() != null
                    && u.until().equals(last.since())) {
                merged.set(merged.size() - 1, new MappingViews.LunUse(u.lunWwid(), u.svcVdiskUid(), u.vmKey(),
                        u.vmName(), u.diskId(), u.hostKey(), u.hostName(), u.since(), last.until()));
            } else {
                merged.add(u);
            }
        }
        // The block storage domains it backed: every host of their data center had it mapped.
        @SuppressWarnings("unchecked")
        List<Object[]> domains = em.createNativeQuery("""
                select domain_key, domain_name, valid_from, valid_to from storage_domain_lun_interval
                 where lun_wwid = ?1 order by valid_from desc""").setParameter(1, wwid.toString()).getResultList();
        for (Object[] r : domains) {
            merged.add(new MappingViews.LunUse(wwid.multipathWwid(), wwid.svcVdiskUid(), null, null, null, null,
                    null, instant(r[2]), r[3] == null ? null : instant(r[3]), (String) r[1] + " (" + r[0] + ")"));
        }
        merged.sort(java.util.Comparator.comparing(MappingViews.LunUse::since).reversed());
        return merged;
    }

    @GET
    @Path("/search")
    @Operation(summary = "VMs by name, hosts by name, LUNs by WWID in any form")
    @Transactional
    public List<MappingViews.Hit> search(@Parameter(description = "a name fragment or a WWID") @QueryParam("q")
                                         String q) {
        if (q == null || q.isBlank() || q.strip().length() < 2) {
            throw ProblemException.badRequest("invalid-parameter", "query parameter 'q' needs at least 2 characters");
        }
        String term = q.strip();
        List<MappingViews.Hit> hits = new ArrayList<>();
        if (LunWwid.isValid(term)) {
            LunWwid w = LunWwid.parse(term);
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("select distinct vm_key, lun_id from vm_disk_interval where"
                    + " lun_wwid = ?1").setParameter(1, w.toString()).setMaxResults(50).getResultList();
            rows.forEach(r -> hits.add(new MappingViews.Hit("lun", w.multipathWwid(), w.svcVdiskUid(),
                    "used by VM " + r[0])));
            @SuppressWarnings("unchecked")
            List<Object[]> domains = em.createNativeQuery("select distinct domain_key, domain_name from"
                    + " storage_domain_lun_interval where lun_wwid = ?1").setParameter(1, w.toString())
                    .setMaxResults(50).getResultList();
            domains.forEach(r -> hits.add(new MappingViews.Hit("lun", w.multipathWwid(), w.svcVdiskUid(),
                    "backs storage domain " + r[1] + " (" + r[0] + ")")));
        }
        String like = "%" + term.toLowerCase().replace("%", "\\%").replace("_", "\\_") + "%";
        @SuppressWarnings("unchecked")
        // Every name a VM has had is in vm_name (trigram-indexed where pg_trgm exists), once: the 10 M-row history is
        // read only for each hit's latest interval.
        List<Object[]> vmRows = em.createNativeQuery("""
                select m.vm_key, v.vm_name, v.host_name, v.status
                  from (select distinct vm_key from vm_name where lower(vm_name) like ?1 order by vm_key limit 50) m
                  join lateral (select vm_name, host_name, status from vm_interval i where i.vm_key = m.vm_key
                                 order by valid_from desc limit 1) v on true
                 order by m.vm_key""").setParameter(1, like).getResultList();
        vmRows.forEach(r -> hits.add(new MappingViews.Hit("vm", (String) r[0], (String) r[1], "last on "
                + (r[2] == null ? "no host" : r[2]) + ", " + r[3])));
        @SuppressWarnings("unchecked")
        List<Object[]> hostRows = em.createNativeQuery("select distinct on (host_key) host_key, host_name, status"
                + " from host_interval where lower(host_name) like ?1 order by host_key, valid_from desc")
                .setParameter(1, like).setMaxResults(50).getResultList();
        hostRows.forEach(r -> hits.add(new MappingViews.Hit("host", (String) r[0], (String) r[1], (String) r[2])));
        return hits;
    }

    static Response render(UnmapPlan plan, String format, String collection) {
        String f = format == null ? "json" : format.toLowerCase();
        if (collection != null && !"ansible".equals(f)) {
            throw ProblemException.badRequest("invalid-parameter", "collection applies to format=ansible only");
        }
        return switch (f) {
            case "json" -> Response.ok(plan, MediaType.APPLICATION_JSON).build();
            case "csv" -> Response.ok(UnmapPlanFormats.csv(plan), "text/csv").header("Content-Disposition",
                    "attachment; filename=\"unmap-plan-" + fileName(plan) + ".csv\"").build();
            case "svc" -> Response.ok(UnmapPlanFormats.svcScript(plan), "text/plain").header("Content-Disposition",
                    "attachment; filename=\"unmap-" + fileName(plan) + ".svc\"").build();
            case "ansible" -> {
                String c = collection == null ? UnmapPlanFormats.ANSIBLE_COLLECTIONS.get(0) : collection;
                if (!UnmapPlanFormats.ANSIBLE_COLLECTIONS.contains(c)) {
                    throw ProblemException.badRequest("invalid-parameter", "collection must be one of "
                            + UnmapPlanFormats.ANSIBLE_COLLECTIONS + ", got '" + collection + "'");
                }
                yield Response.ok(UnmapPlanFormats.ansiblePlaybook(plan, c), "application/yaml").header(
                        "Content-Disposition", "attachment; filename=\"unmap-" + fileName(plan) + ".yml\"").build();
            }
            default -> throw ProblemException.badRequest("invalid-parameter", "format must be json, csv, svc or"
                    + " ansible, got '" + format + "'");
        };
    }

    /** The host's name as a file name: a quote or a slash from the cloud never reaches the header. */
    private static String fileName(UnmapPlan plan) {
        String n = plan.hostName().replaceAll("[^A-Za-z0-9._-]", "_");
        return n.length() > 100 ? n.substring(0, 100) : n;
    }

    private static Instant instant(Object o) {
        return o instanceof Timestamp ts ? ts.toInstant() : o instanceof java.time.OffsetDateTime odt
                ? odt.toInstant() : (Instant) o;
    }
}
