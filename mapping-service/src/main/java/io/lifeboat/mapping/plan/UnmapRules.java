package io.lifeboat.mapping.plan;

import io.lifeboat.common.lun.LunWwid;
import io.lifeboat.common.plan.KeepReason;
import io.lifeboat.common.plan.UnmapDecision;
import io.lifeboat.common.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Whether one LUN of a failed host's plan may be unmapped from it (DESIGN.md, "Unmap nothing that is still in use"):
 * a pure function of what is known about the LUN now. The first rule that applies decides:
 * <ol>
 *   <li>its id is not a WWID: keep, nobody can name it on the SAN ({@link KeepReason#UNKNOWN_WWID});</li>
 *   <li>it backs a block storage domain: keep, every host of the data center needs it
 *   ({@link KeepReason#BACKS_STORAGE_DOMAIN});</li>
 *   <li>a VM still on the host holds it (running, paused, migrating... or unknown because the host is not fenced
 *   yet): keep ({@link KeepReason#IN_USE_ON_HOST});</li>
 *   <li>another VM, on another host, uses it now: keep — that host needs its own mapping, and the SAN's volume
 *   protection would refuse the unmap while it does I/O ({@link KeepReason#SHARED_WITH_OTHER_HOST});</li>
 *   <li>its VM is soft-deleted and still restorable: keep ({@link KeepReason#VM_SOFT_DELETED_RESTORABLE});</li>
 *   <li>otherwise unmap: the VM moved away (its new host has its own mapping), is down without a host, is gone,
 *   or no longer has the disk.</li>
 * </ol>
 */
public final class UnmapRules {

    /** Statuses in which a VM still on the failed host may hold its LUNs there. */
    static final Set<String> HOLDING = Set.of("RUNNING", "PAUSED", "SUSPENDED", "MIGRATING", "STARTING", "STOPPING",
            "REBUILDING", "NOT_RESPONDING", "UNKNOWN");

    private UnmapRules() {
    }

    /** A VM that uses the LUN now (its open interval and its open disk interval). */
    public record User(String vmKey, String vmName, @Nullable String hostKey, @Nullable String hostName,
                       String status) {
        public User {
            Objects.requireNonNull(vmKey, "vmKey");
            Objects.requireNonNull(vmName, "vmName");
            Objects.requireNonNull(status, "status");
        }
    }

    /** The plan entry's own VM as it is now; null fields when it left the inventory. */
    public record OwnVm(String deletionState, @Nullable Instant reclaimAt) {
        public static final OwnVm GONE = new OwnVm("GONE", null);
    }

    /**
     * What is known about one LUN of the plan.
     *
     * @param host          the failed host's key
     * @param vmKey         the VM that had the LUN on the host as of the plan's time
     * @param wwid          the LUN's WWID, null when its id is not one
     * @param storageDomain the block storage domain it backs (as of the plan's time, or now), if any
     * @param users         every VM that uses it now, with its host and status
     * @param ownVm         the entry's VM now
     */
    public record Facts(String host, String vmKey, @Nullable LunWwid wwid, @Nullable String storageDomain,
                        List<User> users, OwnVm ownVm) {
        public Facts {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(vmKey, "vmKey");
            users = List.copyOf(users);
            Objects.requireNonNull(ownVm, "ownVm");
        }
    }

    /** The decision, with the keep reason and a sentence for the operator (null for an unmap). */
    public record Decision(UnmapDecision decision, @Nullable KeepReason reason, @Nullable String detail) {
        static Decision keep(KeepReason reason, String detail) {
            return new Decision(UnmapDecision.KEEP, reason, detail);
        }
    }

    public static final Decision UNMAP = new Decision(UnmapDecision.UNMAP, null, null);

    public static Decision decide(String lunId, Facts facts, Instant now) {
        if (facts.wwid() == null) {
            return Decision.keep(KeepReason.UNKNOWN_WWID, "'" + lunId + "' is not a LUN WWID: find it on the SAN by"
                    + " hand");
        }
        if (facts.storageDomain() != null) {
            return Decision.keep(KeepReason.BACKS_STORAGE_DOMAIN, "backs block storage domain "
                    + facts.storageDomain() + ": every host of the data center needs it");
        }
        for (User u : facts.users()) {
            if (facts.host().equals(u.hostKey()) && HOLDING.contains(u.status())) {
                return Decision.keep(KeepReason.IN_USE_ON_HOST, "VM " + u.vmName() + " is still on this host ("
                        + u.status() + ("UNKNOWN".equals(u.status()) ? ": the host is not fenced yet" : "") + ")");
            }
        }
        for (User u : facts.users()) {
            if (!u.vmKey().equals(facts.vmKey()) && u.hostKey() != null && !facts.host().equals(u.hostKey())) {
                return Decision.keep(KeepReason.SHARED_WITH_OTHER_HOST, "also used by VM " + u.vmName()
                        + " on host " + (u.hostName() != null ? u.hostName() : u.hostKey()));
            }
        }
        OwnVm own = facts.ownVm();
        if ("SOFT_DELETED".equals(own.deletionState()) && (own.reclaimAt() == null
                || now.isBefore(own.reclaimAt()))) {
            return Decision.keep(KeepReason.VM_SOFT_DELETED_RESTORABLE, "the VM is soft-deleted and restorable"
                    + (own.reclaimAt() == null ? "" : " until " + own.reclaimAt()));
        }
        return UNMAP;
    }
}
