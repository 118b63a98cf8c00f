package io.lifeboat.mapping.inventory;

import io.lifeboat.common.change.HostStatusChanged;
import io.lifeboat.common.envelope.CloudEventsKafka;
import io.lifeboat.common.envelope.EventDecodingException;
import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.event.EventTypes;
import io.lifeboat.common.failure.HostFailureChanged;
import io.lifeboat.common.failure.HostFailurePhase;
import io.lifeboat.common.id.StorageDomainKey;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.mapping.config.MappingConfig;
import io.lifeboat.mapping.lineage.StorageDomainHistory;
import io.lifeboat.mapping.lineage.VmHistory;
import io.lifeboat.mapping.plan.UnmapPlanner;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The VM, storage-domain, change and host-failure topics → history and unmap plans. A record that is not a valid
 * event fails and goes to its topic's DLQ with the reason; storage failures are retried with backoff first.
 */
@ApplicationScoped
public class InventoryConsumers {

    @Inject
    VmHistory vms;

    @Inject
    StorageDomainHistory domains;

    @Inject
    UnmapPlanner planner;

    @Inject
    MappingConfig config;

    @Incoming("inventory-vms")
    @Blocking
    @Retry(maxRetries = 5, delay = 200, jitter = 100, maxDuration = 30, durationUnit = ChronoUnit.SECONDS,
            abortOn = {EventDecodingException.class, IllegalArgumentException.class})
    public void vm(ConsumerRecord<String, byte[]> record) {
        if (CloudEventsKafka.isTombstone(record.value())) {
            // The tombstone closes the VM's history: it is on the VM's own key, so it is ordered with its states
            // (a VmRemoved on the change topic is not, and could close the interval of a VM that came back). Its
            // timestamp is stored with the record, so a replay closes at the same instant.
            vms.removed(VmKey.parse(record.key()), Instant.ofEpochMilli(record.timestamp()));
            return;
        }
        vms.apply(CloudEventsKafka.decode(record.headers(), record.value(), EventTypes.VM_STATE));
    }

    @Incoming("inventory-storage-domains")
    @Blocking
    @Retry(maxRetries = 5, delay = 200, jitter = 100, maxDuration = 30, durationUnit = ChronoUnit.SECONDS,
            abortOn = {EventDecodingException.class, IllegalArgumentException.class})
    public void storageDomain(ConsumerRecord<String, byte[]> record) {
        if (CloudEventsKafka.isTombstone(record.value())) {
            domains.removed(StorageDomainKey.parse(record.key()), Instant.ofEpochMilli(record.timestamp()));
            return;
        }
        domains.apply(CloudEventsKafka.decode(record.headers(), record.value(), EventTypes.STORAGE_DOMAIN_STATE));
    }

    /**
     * Change events: a host turning DOWN or NON_RESPONSIVE gets an unmap plan as of that moment (until confirmed
     * failures come on the host-failures topic). VM removals are taken from the VM topic's tombstones instead.
     */
    @Incoming("infra-events")
    @Blocking
    @Retry(maxRetries = 5, delay = 200, jitter = 100, maxDuration = 30, durationUnit = ChronoUnit.SECONDS,
            abortOn = {EventDecodingException.class, IllegalArgumentException.class})
    public void change(ConsumerRecord<String, byte[]> record) {
        EventEnvelope<?> e = CloudEventsKafka.decode(record.headers(), record.value());
        if (e.data() instanceof HostStatusChanged h && config.planOnHostStatusChange()
                && h.current().isFailureSignal() && (h.previous() == null || !h.previous().isFailureSignal())
                && h.previous() != null) {
            planner.publishFor(h.host(), h.observedAt(), "host-status:" + e.id());
        }
    }

    @Incoming("host-failures")
    @Blocking
    @Retry(maxRetries = 5, delay = 200, jitter = 100, maxDuration = 30, durationUnit = ChronoUnit.SECONDS,
            abortOn = {EventDecodingException.class, IllegalArgumentException.class})
    public void hostFailure(ConsumerRecord<String, byte[]> record) {
        EventEnvelope<?> e = CloudEventsKafka.decode(record.headers(), record.value());
        if (e.data() instanceof HostFailureChanged f && f.phase() == HostFailurePhase.CONFIRMED) {
            planner.publishFor(f.host(), f.firstSignalAt(), "host-failure:" + f.episodeId());
        }
    }
}
