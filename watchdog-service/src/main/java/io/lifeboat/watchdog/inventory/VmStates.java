package io.lifeboat.watchdog.inventory;

import io.lifeboat.common.event.EventType;
import io.lifeboat.common.event.EventTypes;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.inventory.VmState;
import io.lifeboat.common.topic.Topic;
import io.lifeboat.service.pipeline.EventHandler;
import io.lifeboat.service.pipeline.Inbound;
import io.lifeboat.watchdog.incident.Incident;
import io.lifeboat.watchdog.incident.IncidentCorrelator;
import io.lifeboat.watchdog.incident.IncidentEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The VM topic → {@link VmRef}: which libvirt domain is which VM, and its watchdog; late correlation of incidents. */
@ApplicationScoped
public class VmStates implements EventHandler<VmState> {

    @Inject
    IncidentCorrelator correlator;

    @Inject
    IncidentEvents incidents;

    @Override
    public String channel() {
        return "inventory-vms";
    }

    @Override
    public Topic topic() {
        return Topic.INVENTORY_VMS;
    }

    @Override
    public EventType<VmState> type() {
        return EventTypes.VM_STATE;
    }

    @Override
    public void validate(Inbound<VmState> in) {
        if (in.tombstone()) {
            VmKey.parse(in.key());
        }
    }

    /**
     * The batch's refs are read in one query, changed in memory and written in JDBC batches; incidents that waited
     * for any of these VMs are looked up once for the whole batch.
     */
    @Override
    public void apply(List<Inbound<VmState>> batch) {
        correlator.lockForInventory();   // before any read: see IncidentCorrelator.CORRELATION_LOCK
        Set<String> keys = new LinkedHashSet<>();
        batch.forEach(in -> keys.add(in.tombstone() ? in.key() : in.data().vm().toString()));
        Map<String, VmRef> refs = new HashMap<>();
        VmRef.<VmRef>list("vmKey in ?1", keys).forEach(r -> refs.put(r.vmKey, r));
        Map<String, VmRef> learnt = new LinkedHashMap<>();
        for (Inbound<VmState> in : batch) {
            if (in.tombstone()) {
                VmRef v = refs.get(in.key());
                if (v != null) {
                    v.removed = true;
                    v.deletionState = "DELETED";
                }
            } else {
                VmRef v = apply(in.data(), refs);
                if (v != null) {
                    learnt.put(v.vmKey, v);
                }
            }
        }
        Map<UUID, Incident> tied = new LinkedHashMap<>();
        correlator.correlateLate(learnt.values()).forEach(i -> tied.put(i.id, i));
        incidents.changed(tied.values());
    }

    /** Returns the stored ref, or null when the state is older than what is stored. */
    private static VmRef apply(VmState s, Map<String, VmRef> refs) {
        VmRef v = refs.get(s.vm().toString());
        if (v != null && v.observedAt.isAfter(s.observedAt())) {
            return null;
        }
        boolean fresh = v == null;
        if (fresh) {
            v = new VmRef();
            v.vmKey = s.vm().toString();
            refs.put(v.vmKey, v);
        }
        v.sourceId = s.vm().source().value();
        v.platform = s.platform().name();
        v.vmId = s.vm().vmId();
        v.name = s.name();
        // Nova names the domain instance-XXXXXXXX (OS-EXT-SRV-ATTR:instance_name); oVirt after the VM.
        v.domainName = s.nova() != null && s.nova().instanceName() != null ? s.nova().instanceName() : s.name();
        v.hostKey = s.host() == null ? null : s.host().key().toString();
        v.hostName = s.host() == null ? null : s.host().name();
        v.clusterId = s.cluster() == null ? null : s.cluster().id();
        v.clusterName = s.cluster() == null ? null : s.cluster().name();
        v.status = s.status().name();
        v.deletionState = s.deletion().state().name();
        v.deletedAt = s.deletion().deletedAt();
        v.reclaimAt = s.deletion().reclaimAt();
        v.watchdogModel = s.watchdog() == null ? null : s.watchdog().model();
        v.watchdogAction = s.watchdog() == null ? null : s.watchdog().action().name();
        v.watchdogSource = s.watchdog() == null ? null : s.watchdog().source().name();
        v.removed = false;
        v.observedAt = s.observedAt();
        if (fresh) {
            v.persist();
        }
        return v;
    }
}
