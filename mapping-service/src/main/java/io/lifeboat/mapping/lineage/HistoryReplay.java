package io.lifeboat.mapping.lineage;

import io.lifeboat.mapping.ingest.HostStates;
import io.lifeboat.mapping.ingest.StorageDomainStates;
import io.lifeboat.mapping.ingest.VmStates;
import io.lifeboat.service.pipeline.TopicReplay;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.List;

/**
 * Rebuilds the whole history from the topics, through the same handlers, decoding and batches as the live channels:
 * empties the history tables and the idempotency inbox, then reads each inventory topic from the beginning. The
 * history must come out identical (the replay test checks it). Run it while the live consumers are idle; the
 * compacted inventory topics keep their uncompacted tail for {@code min.compaction.lag.ms} (7 days), which bounds
 * how far back a replay reaches.
 */
@ApplicationScoped
public class HistoryReplay {

    @Inject
    EntityManager em;

    @Inject
    TopicReplay replay;

    @Inject
    HostStates hosts;

    @Inject
    VmStates vms;

    @Inject
    StorageDomainStates domains;

    @Transactional
    public void clear() {
        for (String table : List.of("host_interval", "vm_interval", "vm_disk_interval", "storage_domain_lun_interval",
                "vm_name", "processed_event")) {
            em.createNativeQuery("truncate table " + table).executeUpdate();
        }
    }

    /** Returns the number of records read. */
    public long rebuild() {
        clear();
        return replay.replay(hosts) + replay.replay(vms) + replay.replay(domains);
    }
}
