package io.lifeboat.mapping.plan;

import io.lifeboat.common.plan.PlanBasis;
import io.lifeboat.common.plan.UnmapDecision;
import io.lifeboat.common.plan.UnmapPlan;
import io.lifeboat.common.plan.UnmapPlanEntry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An unmap plan as CSV (one row per LUN and VM), as an IBM SVC CLI script (one {@code rmvdiskhostmap} per LUN to
 * unmap, the vdisk named by its UID, accepted as the object argument, wire-formats.md F.3) and as an Ansible playbook
 * (one {@code ibm_svc_vol_map} task per LUN); each commented with the VMs and disks, kept LUNs listed as comments
 * with their reason, and a header that says what the SVC does on an unmap. Lifeboat never runs either.
 */
public final class UnmapPlanFormats {

    private UnmapPlanFormats() {
    }

    public static String csv(UnmapPlan plan) {
        StringBuilder sb = new StringBuilder();
        sb.append("decision,keep_reason,lun_wwid,svc_vdisk_uid,lun_id,vm_id,vm_name,disk_id,disk_name,detail\n");
        for (UnmapPlanEntry e : plan.entries()) {
            sb.append(cell(e.decision().name())).append(',')
                    .append(cell(e.keepReason() == null ? "" : e.keepReason().name())).append(',')
                    .append(cell(e.wwid() == null ? "" : e.wwid().multipathWwid())).append(',')
                    .append(cell(e.wwid() == null ? "" : e.wwid().svcVdiskUid())).append(',')
                    .append(cell(e.lunId())).append(',')
                    .append(cell(e.vm().toString())).append(',')
                    .append(cell(e.vmName())).append(',')
                    .append(cell(e.diskId())).append(',')
                    .append(cell(e.diskName())).append(',')
                    .append(cell(e.detail())).append('\n');
        }
        return sb.toString();
    }

    /** What the SVC does on an unmap, for the operator reading the script or the playbook (peers.md, SVC). */
    static final List<String> SVC_SEMANTICS = List.of(
            "What the SVC does on each unmap:",
            "- rmvdiskhostmap also removes this host's SCSI persistent reservations on the volume: it fences the host",
            "  from that volume at the storage level.",
            "- It is refused while volume protection is active and the volume saw I/O recently. A refusal means",
            "  something still writes to the volume through this mapping: find out what before anything else.",
            "- A mapping through a host cluster (lshostvdiskmap mapping_type 'shared') is not removed by",
            "  rmvdiskhostmap: it needs rmvolumehostclustermap, which unmaps the volume from every host of the",
            "  cluster. This plan issues no such command.");

    /** A LUN of the plan once: unmapped only when no entry of the same WWID says keep (two VMs may share it). */
    record Lun(UnmapPlanEntry first, List<UnmapPlanEntry> entries, UnmapPlanEntry keptBy) {
        String who() {
            return entries.stream().map(e -> "VM " + e.vmName() + " (" + e.vm() + ") disk "
                    + (e.diskName() != null ? e.diskName() : e.diskId())).reduce((a, b) -> a + "; " + b).orElse("");
        }

        String keepLine() {
            String id = first.wwid() != null ? first.wwid().svcVdiskUid() : first.lunId();
            return "KEEP " + oneLine(id) + "  " + keptBy.keepReason() + ": " + oneLine(keptBy.detail()) + "  ["
                    + oneLine(who()) + "]";
        }
    }

    static List<Lun> luns(UnmapPlan plan) {
        Map<String, List<UnmapPlanEntry>> byWwid = new LinkedHashMap<>();
        plan.entries().stream().filter(e -> e.wwid() != null)
                .forEach(e -> byWwid.computeIfAbsent(e.wwid().toString(), k -> new ArrayList<>()).add(e));
        List<Lun> out = new ArrayList<>();
        for (List<UnmapPlanEntry> group : byWwid.values()) {
            out.add(new Lun(group.get(0), group, group.stream().filter(e -> e.decision() == UnmapDecision.KEEP)
                    .findFirst().orElse(null)));
        }
        plan.entries().stream().filter(e -> e.wwid() == null).forEach(e -> out.add(new Lun(e, List.of(e), e)));
        return out;
    }

    public static String svcScript(UnmapPlan plan) {
        String san = sanHost(plan);
        List<Lun> luns = luns(plan);
        StringBuilder cmds = new StringBuilder();
        StringBuilder kept = new StringBuilder();
        int unmap = 0;
        boolean runnable = validSanName(san);
        for (Lun lun : luns) {
            if (lun.keptBy() != null) {
                kept.append("# ").append(lun.keepLine()).append('\n');
            } else {
                unmap++;
                cmds.append("# ").append(oneLine(lun.who())).append('\n');
                cmds.append(runnable ? "" : "# ").append("rmvdiskhostmap -host ").append(oneLine(san)).append(' ')
                        .append(lun.first().wwid().svcVdiskUid()).append('\n');
            }
        }
        StringBuilder sb = new StringBuilder();
        header(plan, unmap, luns.size() - unmap).forEach(l -> sb.append(("# " + l).strip()).append('\n'));
        if (!runnable) {
            sb.append("# NOT RUNNABLE: ").append(notASanName(san)).append(" Every command below is commented out.\n");
        }
        sb.append("# Review before running on the SVC CLI (svctask). Lifeboat does not run it.\n\n");
        sb.append(cmds);
        if (!kept.isEmpty()) {
            sb.append("\n# Kept (not unmapped):\n").append(kept);
        }
        return sb.toString();
    }

    /** Ansible collections that ship {@code ibm_svc_vol_map}: Debian's ansible 7.7 and the renamed newer one. */
    public static final List<String> ANSIBLE_COLLECTIONS = List.of("ibm.spectrum_virtualize",
            "ibm.storage_virtualize");

    /**
     * The plan as an Ansible playbook: one {@code ibm_svc_vol_map} task with {@code state: absent} per LUN to
     * unmap (the volume named by its vdisk UID, which the SVC accepts as the object argument), the kept LUNs as
     * comments with their reasons. The SVC's address and credentials are variables ({@code svc_cluster},
     * {@code svc_username}, {@code svc_password}; optional {@code svc_domain}, {@code svc_validate_certs}). Names from
     * the clouds appear only in comments or as an {@code !unsafe} string: Ansible never templates them.
     */
    public static String ansiblePlaybook(UnmapPlan plan, String collection) {
        if (!ANSIBLE_COLLECTIONS.contains(collection)) {
            throw new IllegalArgumentException("collection must be one of " + ANSIBLE_COLLECTIONS);
        }
        String module = collection + ".ibm_svc_vol_map";
        List<Lun> luns = luns(plan);
        int unmap = (int) luns.stream().filter(l -> l.keptBy() == null).count();
        int kept = luns.size() - unmap;
        StringBuilder sb = new StringBuilder("---\n");
        header(plan, unmap, kept).forEach(l -> sb.append(("# " + l).strip()).append('\n'));
        sb.append("# The module (").append(collection).append(") looks at the volume, not at this host's mapping:\n")
                .append("# when the volume is still mapped elsewhere (where its VM now runs) and this host's mapping\n")
                .append("# is already gone (a re-run), it still asks the SVC to unmap, and that task fails; --check\n")
                .append("# reports such a task as changed.\n")
                .append("# Run: ansible-playbook THIS.yml -e svc_cluster=ADDRESS -e svc_username=USER -e @vault.yml\n")
                .append("# (svc_password in an ansible-vault file). Lifeboat does not run it.\n");
        sb.append("- name: Unmap the LUNs of a failed host, plan ").append(plan.planId()).append('\n');
        sb.append("  hosts: localhost\n  connection: local\n  gather_facts: false\n");
        sb.append("  vars:\n    svc_host: !unsafe ").append(yamlQuoted(sanHost(plan))).append('\n');
        sb.append("  module_defaults:\n    ").append(module).append(":\n")
                .append("      clustername: \"{{ svc_cluster }}\"\n")
                .append("      domain: \"{{ svc_domain | default(omit) }}\"\n")
                .append("      username: \"{{ svc_username }}\"\n")
                .append("      password: \"{{ svc_password }}\"\n")
                .append("      validate_certs: \"{{ svc_validate_certs | default(true) }}\"\n");
        sb.append("  tasks:\n");
        if (!validSanName(sanHost(plan))) {
            sb.append("    - name: Refuse to run\n      ansible.builtin.fail:\n        msg: !unsafe ")
                    .append(yamlQuoted(notASanName(sanHost(plan)))).append('\n');
        } else if (unmap == 0) {
            sb.append("    - name: Nothing to unmap\n      ansible.builtin.debug:\n")
                    .append("        msg: every LUN of this plan is kept (see the comments at the end)\n");
        }
        for (Lun lun : luns) {
            if (lun.keptBy() != null || !validSanName(sanHost(plan))) {
                continue;
            }
            String uid = lun.first().wwid().svcVdiskUid();
            sb.append("    # ").append(oneLine(lun.who())).append('\n');
            sb.append("    - name: Unmap ").append(uid).append('\n');
            sb.append("      ").append(module).append(":\n");
            sb.append("        volname: '").append(uid).append("'\n");
            sb.append("        host: \"{{ svc_host }}\"\n");
            sb.append("        state: absent\n");
        }
        if (kept > 0) {
            sb.append("\n# Kept (not unmapped):\n");
            luns.stream().filter(l -> l.keptBy() != null).forEach(l -> sb.append("# ").append(l.keepLine())
                    .append('\n'));
        }
        return sb.toString();
    }

    private static List<String> header(UnmapPlan plan, int unmap, int kept) {
        List<String> h = new ArrayList<>();
        h.add("Lifeboat unmap plan " + plan.planId());
        h.add("Host " + oneLine(plan.hostName()) + " (" + oneLine(plan.host().toString()) + "), SAN host object "
                + oneLine(sanHost(plan)));
        h.add(plan.basis() == PlanBasis.FIRST_OBSERVATION
                ? "LUNs of the VMs on the host when Lifeboat first saw it, already failed, at " + plan.asOf()
                : "LUNs of the VMs that were on the host just before " + plan.asOf());
        h.add("Generated " + plan.generatedAt() + " for " + oneLine(plan.trigger()));
        if (plan.comparison() != null) {
            h.add("Since plan " + plan.comparison().previousPlanId() + " (" + oneLine(plan.comparison()
                    .previousTrigger()) + "): " + plan.comparison().becameUnmap().size() + " became safe to unmap, "
                    + plan.comparison().becameKept().size() + " are now kept.");
        }
        h.add(unmap + " to unmap, " + kept + " kept.");
        h.add("");
        h.addAll(SVC_SEMANTICS);
        h.add("");
        return h;
    }

    private static String sanHost(UnmapPlan plan) {
        return plan.sanHostName() != null ? plan.sanHostName() : plan.hostName();
    }

    /** A single-quoted YAML scalar. */
    private static String yamlQuoted(String s) {
        return "'" + oneLine(s).replace("'", "''") + "'";
    }

    /**
     * One line of a script or a playbook comment: every character that a shell, the SVC CLI or a YAML 1.1 parser
     * (PyYAML, Ansible's) could take as a line break or a control becomes a space.
     */
    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(c -> sb.appendCodePoint(Character.isISOControl(c) || c == 0x2028 || c == 0x2029
                || c == 0xFEFF || c == 0xFFFE || c == 0xFFFF || Character.isSurrogate((char) c) && c <= 0xFFFF
                ? ' ' : c));
        return sb.toString();
    }

    /**
     * An SVC object name the script and the playbook may put on a command line: letters, digits, underscore, dot and
     * dash, not starting with a digit, dot or dash, at most 63 characters. A cloud host name with a space, a ';' or a
     * '$(' would otherwise run as a second command on the SVC's CLI.
     */
    static boolean validSanName(String name) {
        return name != null && name.matches("[A-Za-z_][A-Za-z0-9_.-]{0,62}");
    }

    private static String notASanName(String name) {
        String shown = oneLine(name);
        return "the SAN host object name '" + (shown.length() > 80 ? shown.substring(0, 80) + "…" : shown)
                + "' is not a valid SVC object name (letters, digits, _ . -, not starting with a digit, at most 63):"
                + " set lifeboat.mapping.san-host-names for this host.";
    }

    private static String cell(String s) {
        if (s == null) {
            return "";
        }
        // A leading = + - @ would run as a formula in a spreadsheet (CSV injection): neutralise it.
        String v = !s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
        if (v.contains(",") || v.contains("\"") || v.contains("\n")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }
}
