package io.lifeboat.mapping.plan;

import io.lifeboat.common.plan.UnmapDecision;
import io.lifeboat.common.plan.UnmapPlan;
import io.lifeboat.common.plan.UnmapPlanEntry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An unmap plan as CSV (one row per LUN and VM) and as an IBM SVC CLI script: one {@code rmvdiskhostmap} per LUN to
 * unmap, the vdisk named by its UID (accepted as the object argument, wire-formats.md F.3), commented with its VM
 * and disk; kept LUNs listed as comments with their reason. Lifeboat never runs the script.
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

    public static String svcScript(UnmapPlan plan) {
        String san = plan.sanHostName() != null ? plan.sanHostName() : plan.hostName();
        // One command per WWID, and only when no entry of that WWID says keep (two VMs of the host may share it).
        Map<String, List<UnmapPlanEntry>> byWwid = new LinkedHashMap<>();
        plan.entries().stream().filter(e -> e.wwid() != null)
                .forEach(e -> byWwid.computeIfAbsent(e.wwid().toString(), k -> new java.util.ArrayList<>()).add(e));
        StringBuilder cmds = new StringBuilder();
        StringBuilder kept = new StringBuilder();
        int unmap = 0;
        for (List<UnmapPlanEntry> group : byWwid.values()) {
            boolean keep = group.stream().anyMatch(e -> e.decision() == UnmapDecision.KEEP);
            UnmapPlanEntry first = group.get(0);
            String who = group.stream().map(e -> "VM " + e.vmName() + " (" + e.vm() + ") disk "
                    + (e.diskName() != null ? e.diskName() : e.diskId())).reduce((a, b) -> a + "; " + b).orElse("");
            if (keep) {
                UnmapPlanEntry reason = group.stream().filter(e -> e.decision() == UnmapDecision.KEEP).findFirst()
                        .orElseThrow();
                kept.append("# KEEP ").append(first.wwid().svcVdiskUid()).append("  ").append(reason.keepReason())
                        .append(": ").append(reason.detail() == null ? "" : oneLine(reason.detail())).append("  [")
                        .append(oneLine(who)).append("]\n");
            } else {
                unmap++;
                cmds.append("# ").append(oneLine(who)).append('\n');
                cmds.append("rmvdiskhostmap -host ").append(san).append(' ').append(first.wwid().svcVdiskUid())
                        .append('\n');
            }
        }
        plan.entries().stream().filter(e -> e.wwid() == null).forEach(e -> kept.append("# KEEP ")
                .append(oneLine(e.lunId())).append("  ").append(e.keepReason()).append(": ")
                .append(oneLine(e.detail())).append("  [VM ").append(e.vmName()).append("]\n"));
        StringBuilder sb = new StringBuilder();
        sb.append("# Lifeboat unmap plan ").append(plan.planId()).append('\n');
        sb.append("# Host ").append(plan.hostName()).append(" (").append(plan.host()).append("), SAN host object ")
                .append(san).append('\n');
        sb.append("# LUNs of the VMs that were on the host just before ").append(plan.asOf()).append('\n');
        sb.append("# Generated ").append(plan.generatedAt()).append(" for ").append(plan.trigger()).append('\n');
        sb.append("# ").append(unmap).append(" to unmap, ").append(byWwid.size() - unmap
                + (int) plan.entries().stream().filter(e -> e.wwid() == null).count()).append(" kept.\n");
        sb.append("# Review before running on the SVC CLI (svctask). Lifeboat does not run it.\n\n");
        sb.append(cmds);
        if (!kept.isEmpty()) {
            sb.append("\n# Kept (not unmapped):\n").append(kept);
        }
        return sb.toString();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
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
