package io.lifeboat.watchdog.inventory;

import io.lifeboat.common.envelope.CloudEventsKafka;
import io.lifeboat.common.envelope.EventDecodingException;
import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.event.EventTypes;
import io.lifeboat.common.inventory.VmState;
import io.lifeboat.service.events.Inbox;
import io.lifeboat.watchdog.incident.IncidentCorrelator;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.temporal.ChronoUnit;

/** The VM topic → {@link VmRef}: which libvirt domain is which VM, and its watchdog; late correlation of incidents. */
@ApplicationScoped
public class InventoryConsumer {

    @Inject
    Inbox inbox;

    @Inject
    IncidentCorrelator correlator;

    @Incoming("inventory-vms")
    @Blocking
    @Retry(maxRetries = 5, delay = 200, jitter = 100, maxDuration = 30, durationUnit = ChronoUnit.SECONDS,
            abortOn = {EventDecodingException.class, IllegalArgumentException.class})
    public void vm(ConsumerRecord<String, byte[]> record) {
        if (CloudEventsKafka.isTombstone(record.value())) {
            removed(record.key());
            return;
        }
        apply(CloudEventsKafka.decode(record.headers(), record.value(), EventTypes.VM_STATE));
    }

    @Transactional
    void removed(String vmKey) {
        VmRef v = VmRef.findById(vmKey);
        if (v != null) {
            v.removed = true;
            v.deletionState = "DELETED";
        }
    }

    @Transactional
    void apply(EventEnvelope<VmState> e) {
        if (!inbox.firstDelivery(e.id(), e.type().type())) {
            return;
        }
        VmState s = e.data();
        VmRef v = VmRef.findById(s.vm().toString());
        if (v != null && v.observedAt.isAfter(s.observedAt())) {
            return;
        }
        boolean isNew = v == null;
        if (isNew) {
            v = new VmRef();
            v.vmKey = s.vm().toString();
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
        v.persist();
        correlator.correlateLate(v);
    }
}
