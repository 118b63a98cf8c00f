package io.lifeboat.mapping.lineage;

import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.inventory.VmDisk;
import io.lifeboat.common.inventory.VmState;
import io.lifeboat.service.events.Inbox;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps each VM's placement and attributes, and its disks and LUNs, as time intervals: the record that answers
 * "what was on host X just before T" after the cloud has forgotten (DESIGN.md, problem 1). Idempotent on the event
 * id; replaying the topics rebuilds the same intervals.
 */
@ApplicationScoped
public class VmHistory {

    @Inject
    Inbox inbox;

    @Inject
    MeterRegistry metrics;

    public enum Outcome { OPENED, EXTENDED, CHANGED, STALE, DUPLICATE }

    @Transactional
    public Outcome apply(EventEnvelope<VmState> event) {
        if (!inbox.firstDelivery(event.id(), event.type().type())) {
            return count(Outcome.DUPLICATE);
        }
        VmState s = Times.micros(event.data());
        Instant t = s.observedAt();
        Outcome outcome;
        Optional<VmInterval> open = VmInterval.<VmInterval>find("vmKey = ?1 and validTo is null", s.vm().toString())
                .withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
        if (open.isPresent() && t.isBefore(open.get().validFrom)) {
            return count(Outcome.STALE);   // older than what we hold: history already moved past it
        }
        if (open.isEmpty()) {
            insert(s, event.id());
            outcome = Outcome.OPENED;
        } else if (same(open.get(), s)) {
            if (t.isAfter(open.get().lastSeenAt)) {
                open.get().lastSeenAt = t;
            }
            outcome = Outcome.EXTENDED;
        } else {
            open.get().validTo = t;
            open.get().flush();
            insert(s, event.id());
            outcome = Outcome.CHANGED;
        }
        applyDisks(s, event.id());
        return count(outcome);
    }

    private void applyDisks(VmState s, String eventId) {
        Instant t = s.observedAt();
        Map<String, VmDiskInterval> open = new HashMap<>();
        VmDiskInterval.<VmDiskInterval>list("vmKey = ?1 and validTo is null", s.vm().toString())
                .forEach(d -> open.put(d.diskId, d));
        for (VmDisk d : s.disks()) {
            VmDiskInterval current = open.remove(d.id());
            if (current != null && sameDisk(current, d)) {
                if (t.isAfter(current.lastSeenAt)) {
                    current.lastSeenAt = t;
                }
                continue;
            }
            if (current != null) {
                current.validTo = t;
                current.flush();
            }
            insertDisk(s, d, eventId);
        }
        for (VmDiskInterval gone : open.values()) {
            gone.validTo = t;
        }
    }

    /** The VM left the inventory (tombstone or removal): close its intervals. */
    @Transactional
    public void removed(VmKey vm, Instant when) {
        Instant at = Times.micros(when);
        VmInterval.<VmInterval>list("vmKey = ?1 and validTo is null", vm.toString())
                .forEach(i -> i.closeAt(at));
        VmDiskInterval.<VmDiskInterval>list("vmKey = ?1 and validTo is null", vm.toString())
                .forEach(i -> i.closeAt(at));
    }

    /** A VM's placement intervals, newest first. */
    public List<VmInterval> placements(VmKey vm) {
        return VmInterval.list("vmKey = ?1 order by validFrom desc", vm.toString());
    }

    /** A VM's disk intervals, newest first. */
    public List<VmDiskInterval> disks(VmKey vm) {
        return VmDiskInterval.list("vmKey = ?1 order by validFrom desc, diskId", vm.toString());
    }

    private static boolean same(VmInterval i, VmState s) {
        return i.vmName.equals(s.name())
                && Objects.equals(i.hostKey, s.host() == null ? null : s.host().key().toString())
                && Objects.equals(i.clusterId, s.cluster() == null ? null : s.cluster().id())
                && i.status.equals(s.status().name())
                && i.platformStatus.equals(s.platformStatus())
                && Objects.equals(i.statusDetail, s.statusDetail())
                && i.deletionState.equals(s.deletion().state().name())
                && Objects.equals(i.reclaimAt, s.deletion().reclaimAt())
                && Objects.equals(i.ipAddresses, ips(s))
                && Objects.equals(i.cpuTopology, topology(s))
                && Objects.equals(i.memoryBytes, s.memoryBytes());
    }

    private static boolean sameDisk(VmDiskInterval i, VmDisk d) {
        return Objects.equals(i.lunId, d.lun() == null ? null : d.lun().id())
                && i.storageType.equals(d.storageType().name())
                && Objects.equals(i.sizeBytes, d.sizeBytes())
                && Objects.equals(i.diskName, d.name())
                && Objects.equals(i.iface, d.iface())
                && Objects.equals(i.storageDomain, d.storageDomain());
    }

    private static void insert(VmState s, String eventId) {
        VmInterval i = new VmInterval();
        i.vmKey = s.vm().toString();
        i.sourceId = s.vm().source().value();
        i.vmName = s.name();
        i.hostKey = s.host() == null ? null : s.host().key().toString();
        i.hostName = s.host() == null ? null : s.host().name();
        i.clusterId = s.cluster() == null ? null : s.cluster().id();
        i.clusterName = s.cluster() == null ? null : s.cluster().name();
        i.status = s.status().name();
        i.platformStatus = s.platformStatus();
        i.statusDetail = s.statusDetail();
        i.deletionState = s.deletion().state().name();
        i.reclaimAt = s.deletion().reclaimAt();
        i.ipAddresses = ips(s);
        i.vcpus = s.cpu() == null ? null : s.cpu().vcpus();
        i.cpuTopology = topology(s);
        i.memoryBytes = s.memoryBytes();
        i.validFrom = s.observedAt();
        i.lastSeenAt = s.observedAt();
        i.eventId = eventId;
        i.persist();
    }

    private static void insertDisk(VmState s, VmDisk d, String eventId) {
        VmDiskInterval i = new VmDiskInterval();
        i.vmKey = s.vm().toString();
        i.sourceId = s.vm().source().value();
        i.diskId = d.id();
        i.diskName = d.name();
        i.sizeBytes = d.sizeBytes();
        i.iface = d.iface();
        i.storageType = d.storageType().name();
        i.storageDomain = d.storageDomain();
        i.bootable = d.bootable();
        if (d.lun() != null) {
            i.lunId = d.lun().id();
            i.lunWwid = d.lun().wwid() == null ? null : d.lun().wwid().toString();
            i.lunVendor = d.lun().vendor();
            i.lunProduct = d.lun().product();
            i.lunSerial = d.lun().serial();
        }
        i.validFrom = s.observedAt();
        i.lastSeenAt = s.observedAt();
        i.eventId = eventId;
        i.persist();
    }

    private static String ips(VmState s) {
        String joined = String.join(" ", s.ipAddresses());
        return joined.length() > 2000 ? joined.substring(0, 2000) : joined;
    }

    private static String topology(VmState s) {
        return s.cpu() == null ? null : s.cpu().sockets() + "x" + s.cpu().cores() + "x" + s.cpu().threads();
    }

    private Outcome count(Outcome o) {
        metrics.counter("lifeboat.mapping.vm.observations", "outcome", o.name().toLowerCase()).increment();
        return o;
    }
}
