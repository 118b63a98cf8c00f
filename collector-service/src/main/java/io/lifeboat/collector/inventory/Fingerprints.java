package io.lifeboat.collector.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.lifeboat.common.inventory.ComputeService;
import io.lifeboat.common.inventory.HostState;
import io.lifeboat.common.inventory.StorageDomainState;
import io.lifeboat.common.inventory.VmState;
import io.lifeboat.common.json.Json;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;

/**
 * What counts as "changed": a digest of the state without the fields that move on every read (the observation time,
 * a compute service's heartbeat time). Equal fingerprints publish nothing.
 */
final class Fingerprints {

    private static final Instant EPOCH = Instant.EPOCH;

    private Fingerprints() {
    }

    static String of(HostState h) {
        ComputeService cs = h.computeService();
        ComputeService stable = cs == null ? null : new ComputeService(cs.id(), cs.binary(), cs.state(), cs.status(),
                cs.forcedDown(), cs.disabledReason(), null, cs.zone());
        return digest(new HostState(h.host(), h.platform(), h.name(), h.cluster(), h.status(), h.platformStatus(),
                h.statusDetail(), h.address(), h.hypervisorHostname(), h.powerManagementEnabled(), stable, EPOCH));
    }

    static String of(VmState v) {
        return digest(new VmState(v.vm(), v.platform(), v.name(), v.cluster(), v.host(), v.status(), v.platformStatus(),
                v.statusDetail(), v.ipAddresses(), v.memoryBytes(), v.cpu(), v.disks(), v.ha(), v.placement(),
                v.storageErrorResume(), v.watchdog(), v.deletion(), v.metadata(), v.tags(), v.nova(), EPOCH));
    }

    static String of(StorageDomainState s) {
        return digest(new StorageDomainState(s.domain(), s.name(), s.type(), s.storageType(), s.dataCenterId(),
                s.luns(), EPOCH));
    }

    private static String digest(Object o) {
        try {
            byte[] json = Json.mapper().writer().with(com.fasterxml.jackson.databind.SerializationFeature
                    .ORDER_MAP_ENTRIES_BY_KEYS).writeValueAsBytes(o);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (JsonProcessingException | java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String json(Object o) {
        try {
            return new String(Json.mapper().writeValueAsBytes(o), StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
