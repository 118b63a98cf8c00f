package io.lifeboat.simulator.topology;

import io.lifeboat.simulator.openstack.CinderVolume;
import io.lifeboat.simulator.openstack.NovaServer;
import io.lifeboat.simulator.openstack.NovaService;
import io.lifeboat.simulator.openstack.OpenStackRegion;
import io.lifeboat.simulator.ovirt.OvDiskAttachment;
import io.lifeboat.simulator.ovirt.OvHost;
import io.lifeboat.simulator.ovirt.OvVm;
import io.lifeboat.simulator.ovirt.OvirtEngine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Puts part of a generated cloud in the states real clouds also hold and tidy generators forget, each with the fields
 * the real API gives in that state (wire-formats.md A.4, C.1, D.3, D.4). It runs after the tidy generation with a
 * {@link Random} of its own, so a spec without untidy states gives exactly the topology it gave before they existed.
 * At least one object of each state, more with a larger share; the states are dealt in turn.
 */
final class UntidyStates {

    /** Nova server states, in the order they are dealt. */
    static final List<String> SERVER_STATES = List.of("error-unscheduled", "building", "shelved_offloaded", "rescued",
            "resized", "migrating");
    /** oVirt VM statuses, in the order they are dealt. */
    static final List<String> VM_STATES = List.of("image_locked", "migrating", "not_responding", "saving_state",
            "wait_for_launch", "unknown");
    /** oVirt host statuses: one extra host, without VMs or power management, in each. */
    static final List<String> HOST_STATES = List.of("installing", "connecting", "kdumping",
            "preparing_for_maintenance");

    private final TopologySpec spec;
    private final Random rnd;

    UntidyStates(TopologySpec spec, int sourceNo) {
        this.spec = spec;
        this.rnd = new Random(spec.seed() * 7919 + sourceNo);
    }

    private int count(int population, int states) {
        return Math.min(population, Math.max(states, (int) Math.round(spec.untidyFraction() * population)));
    }

    void ovirt(OvirtEngine e, List<OvHost> hosts) {
        List<OvVm> running = new ArrayList<>(e.vms().stream().filter(v -> "up".equals(v.status)).toList());
        Collections.shuffle(running, rnd);
        int n = count(running.size(), VM_STATES.size());
        for (int i = 0; i < n; i++) {
            OvVm vm = running.get(i);
            String state = VM_STATES.get(i % VM_STATES.size());
            vm.status = state;
            switch (state) {
                case "image_locked" -> {
                    // A snapshot or clone holds its disks: the engine counts it as not running, with no host.
                    vm.hostId = null;
                    vm.stopTime = vm.startTime;
                    vm.startTime = null;
                    vm.stopReason = "";
                    vm.disks.stream().map(OvDiskAttachment::disk).filter(d -> "image".equals(d.storageType))
                            .forEach(d -> d.status = "locked");
                }
                case "wait_for_launch" -> vm.startTime = null;   // the engine sets it once the guest is up
                default -> {
                    // migrating (from its host), not_responding, saving_state (suspending), unknown: still on
                    // its host as far as the engine knows
                }
            }
        }
        OvHost template = hosts.get(0);
        int no = 0;
        for (String state : HOST_STATES) {
            no++;
            String name = String.format("%s-u%02d", template.name.substring(0, template.name.lastIndexOf('-')), no);
            OvHost h = new OvHost(uuid(), name, name + ".untidy.example", template.clusterId,
                    name + "-" + (10_000_000 + rnd.nextInt(90_000_000)), 32, 256L << 30, false);
            h.status = state;
            switch (state) {
                case "connecting" -> {
                    // The engine lost it and is in its grace; the simulated network says so too. No connectingSince:
                    // it stays connecting rather than going on to non_responsive.
                    h.networkReachable = false;
                    h.statusDetail = null;
                }
                case "kdumping" -> {
                    h.networkReachable = false;   // the kdump kernel answers only fence_kdump
                    h.statusDetail = null;
                }
                case "preparing_for_maintenance" -> h.statusDetail = "";
                default -> h.statusDetail = null;   // installing: host-deploy runs
            }
            e.add(h);
        }
    }

    void openstack(OpenStackRegion r, List<NovaService> computes) {
        List<NovaServer> active = new ArrayList<>(r.servers().stream().filter(s -> "active".equals(s.vmState)
                && s.taskState == null).toList());
        Collections.shuffle(active, rnd);
        int n = count(active.size(), SERVER_STATES.size());
        for (int i = 0; i < n; i++) {
            NovaServer s = active.get(i);
            String state = SERVER_STATES.get(i % SERVER_STATES.size());
            switch (state) {
                case "error-unscheduled" -> {
                    // NoValidHost: no host, no zone ("" on the API), power NOSTATE, the fault; its volumes stay
                    // reserved for it and are attached to no host.
                    s.vmState = "error";
                    s.host = null;
                    s.availabilityZone = null;
                    s.powerState = 0;
                    s.running = false;
                    s.launchedAt = null;
                    s.lastFault = "No valid host was found. There are not enough hosts available.";
                    volumes(r, s, "reserved");
                }
                case "building" -> {
                    s.vmState = "building";
                    s.taskState = "spawning";
                    s.powerState = 0;
                    s.running = false;
                    s.launchedAt = null;
                    volumes(r, s, "attaching");
                }
                case "shelved_offloaded" -> {
                    // Offloaded: no host; the zone it ran in stays; the volumes keep a reservation without a
                    // connector.
                    s.vmState = "shelved_offloaded";
                    s.host = null;
                    s.powerState = 4;
                    s.running = false;
                    volumes(r, s, "reserved");
                }
                case "rescued" -> s.vmState = "rescued";
                case "resized" -> s.vmState = "resized";   // VERIFY_RESIZE, resized on the same host
                case "migrating" -> s.taskState = "migrating";
                default -> throw new IllegalStateException(state);
            }
        }
        // Volumes whose creation failed on the SVC: status error, no backend host, no vdisk UID.
        List<CinderVolume> attached = r.volumes();
        int errors = Math.max(1, (int) Math.round(spec.untidyFraction() * attached.size()));
        String project = computes.isEmpty() || r.servers().isEmpty() ? "" : r.servers().get(0).projectId;
        for (int i = 1; i <= errors; i++) {
            CinderVolume v = new CinderVolume(uuid(), "failed-create-" + i, 10 * i, project, null, null, false);
            v.status = "error";
            r.add(v);
        }
    }

    private static void volumes(OpenStackRegion r, NovaServer s, String status) {
        for (String id : s.volumeIds) {
            r.volume(id).ifPresent(v -> {
                v.status = status;
                v.attachedHost = null;
                v.device = null;
                v.attachedAt = null;
            });
        }
    }

    private String uuid() {
        return new UUID((rnd.nextLong() & 0xffffffffffff0fffL) | 0x4000L,
                (rnd.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L).toString();
    }
}
