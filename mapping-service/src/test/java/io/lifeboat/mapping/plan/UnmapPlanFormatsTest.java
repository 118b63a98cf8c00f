package io.lifeboat.mapping.plan;

import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.lun.LunWwid;
import io.lifeboat.common.plan.KeepReason;
import io.lifeboat.common.plan.PlanBasis;
import io.lifeboat.common.plan.UnmapDecision;
import io.lifeboat.common.plan.UnmapPlan;
import io.lifeboat.common.plan.UnmapPlanComparison;
import io.lifeboat.common.plan.UnmapPlanEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The SVC script and the Ansible playbook of one plan unmap the same LUNs, keep the same ones as comments, and stay
 * what they are whatever the clouds named things: the playbook passes {@code ansible-playbook --syntax-check} (Debian's
 * ansible, which ships IBM's collection as {@code ibm.spectrum_virtualize}) and Ansible lists exactly the expected
 * tasks even with names made to break YAML, the SVC CLI or Jinja.
 */
class UnmapPlanFormatsTest {

    static final SourceId SRC = SourceId.of("ovirt-1");
    static final HostKey HOST = HostKey.of(SRC, "4e3c5a90-0000-4000-8000-000000000003");
    static final Instant T = Instant.parse("2026-12-03T10:00:00Z");
    static final LunWwid A = LunWwid.parse("3600507680c8081b2e800000000000a01");
    static final LunWwid B = LunWwid.parse("3600507680c8081b2e800000000000a02");
    static final LunWwid SHARED = LunWwid.parse("3600507680c8081b2e800000000000a03");
    /** Names a cloud could hold: a line break (also YAML 1.1's U+2028), Jinja, quotes, a YAML mapping. */
    static final String HOSTILE = "db-01\n- name: injected\u2028  shell: rm -rf / {{ lookup('pipe', 'id') }} 'q\" : x";

    static UnmapPlan plan(List<UnmapPlanEntry> entries) {
        return plan(entries, "cmp1-a03-04829173");
    }

    static UnmapPlan plan(List<UnmapPlanEntry> entries, String sanHost) {
        return new UnmapPlan(UUID.fromString("0190f3a2-0000-7000-8000-000000000001"), HOST, HOSTILE, sanHost, T,
                T.plusSeconds(5), "host-recovery:x", PlanBasis.FIRST_OBSERVATION,
                new UnmapPlanComparison(UUID.fromString("0190f3a2-0000-7000-8000-000000000002"), "host-failure:x",
                        List.of(A.toString()), List.of(), true), entries);
    }

    static UnmapPlanEntry unmap(LunWwid w, String vm, String vmName) {
        return new UnmapPlanEntry(w.toString(), w, VmKey.of(SRC, vm), vmName, "disk-" + vm, HOSTILE,
                UnmapDecision.UNMAP, null, null);
    }

    static final List<UnmapPlanEntry> ENTRIES = List.of(
            unmap(A, "vm-a", HOSTILE),
            unmap(B, "vm-b", "web-02"),
            unmap(SHARED, "vm-c", "app-01"),
            new UnmapPlanEntry(SHARED.toString(), SHARED, VmKey.of(SRC, "vm-d"), "app-02", "d", "d",
                    UnmapDecision.KEEP, KeepReason.IN_USE_ON_HOST, "VM app-02 is still on this host (" + HOSTILE + ")"),
            new UnmapPlanEntry("iscsi:lun-7", null, VmKey.of(SRC, "vm-e"), HOSTILE, "e", "e", UnmapDecision.KEEP,
                    KeepReason.UNKNOWN_WWID, "'iscsi:lun-7' is not a LUN WWID"));

    @Test
    void theScriptUnmapsEachLunOnceAndNothingElseBecomesACommand() {
        String script = UnmapPlanFormats.svcScript(plan(ENTRIES));
        List<String> commands = script.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertThat(commands).hasSize(2).allSatisfy(c -> assertThat(c).startsWith("rmvdiskhostmap -host "
                + "cmp1-a03-04829173 "));
        assertThat(uids(commands)).containsExactlyInAnyOrder(A.svcVdiskUid(), B.svcVdiskUid());
        // The SHARED LUN is kept for both of its VMs (one of them still holds it), the unknown id too.
        assertThat(script).contains("# KEEP " + SHARED.svcVdiskUid() + "  IN_USE_ON_HOST")
                .contains("# KEEP iscsi:lun-7  UNKNOWN_WWID")
                .contains("# - rmvdiskhostmap also removes this host's SCSI persistent reservations")
                .contains("refused while volume protection is active")
                .contains("rmvolumehostclustermap")
                .contains("LUNs of the VMs on the host when Lifeboat first saw it, already failed")
                .contains("1 became safe to unmap, 0 are now kept.");
    }

    @Test
    void thePlaybookPassesAnsiblesSyntaxCheckAndListsTheScriptsLuns(@TempDir Path dir) throws Exception {
        ansible();
        UnmapPlan plan = plan(ENTRIES);
        Path book = Files.writeString(dir.resolve("unmap.yml"), UnmapPlanFormats.ansiblePlaybook(plan,
                "ibm.spectrum_virtualize"));
        Result check = run(dir, "ansible-playbook", "--syntax-check", book.toString());
        assertThat(check.exit()).as(check.output()).isZero();

        Result tasks = run(dir, "ansible-playbook", "--list-tasks", book.toString());
        assertThat(tasks.exit()).as(tasks.output()).isZero();
        Set<String> listed = tasks.output().lines().map(String::strip).filter(l -> l.startsWith("Unmap "))
                .map(l -> l.substring("Unmap ".length(), l.indexOf('\t') < 0 ? l.length() : l.indexOf('\t')).strip())
                .collect(Collectors.toSet());
        List<String> scriptUids = uids(UnmapPlanFormats.svcScript(plan).lines()
                .filter(l -> l.startsWith("rmvdiskhostmap")).toList());
        assertThat(listed).containsExactlyInAnyOrderElementsOf(scriptUids);
        assertThat(tasks.output()).doesNotContain("injected");
        assertThat(tasks.output().lines().filter(l -> l.strip().startsWith("Unmap ")
                || l.strip().startsWith("Nothing"))).hasSize(2);
    }

    @Test
    void aPlanThatKeepsEverythingIsStillAValidPlaybook(@TempDir Path dir) throws Exception {
        ansible();
        Path book = Files.writeString(dir.resolve("keep.yml"), UnmapPlanFormats.ansiblePlaybook(plan(List.of(
                ENTRIES.get(3), ENTRIES.get(4))), "ibm.spectrum_virtualize"));
        Result check = run(dir, "ansible-playbook", "--syntax-check", book.toString());
        assertThat(check.exit()).as(check.output()).isZero();
        assertThat(Files.readString(book)).doesNotContain("ibm_svc_vol_map:\n        volname")
                .contains("# KEEP " + SHARED.svcVdiskUid());
    }

    /**
     * A SAN host name (configured, or the cloud's host name when none is) that the SVC CLI would split into more than
     * one command: nothing runnable comes out, and the operator is told what to configure.
     */
    @Test
    void aSanHostNameThatIsNotAnSvcNameMakesNothingRunnable(@TempDir Path dir) throws Exception {
        for (String bad : List.of("h1;rmvdisk -force 0", "h1$(rmvdisk 0)", "h1 `id`", "1host", "", "x".repeat(64),
                HOSTILE)) {
            UnmapPlan plan = plan(ENTRIES, bad);
            String script = UnmapPlanFormats.svcScript(plan);
            assertThat(script.lines().filter(l -> !l.isBlank() && !l.startsWith("#"))).as(bad).isEmpty();
            assertThat(script).as(bad).contains("# NOT RUNNABLE: the SAN host object name")
                    .contains("set lifeboat.mapping.san-host-names");
            String book = UnmapPlanFormats.ansiblePlaybook(plan, "ibm.spectrum_virtualize");
            assertThat(book).as(bad).doesNotContain("state: absent").contains("ansible.builtin.fail:");
        }
        ansible();
        Path book = Files.writeString(dir.resolve("refused.yml"), UnmapPlanFormats.ansiblePlaybook(plan(ENTRIES,
                "h1;rmvdisk -force 0 {{ lookup('pipe','id') }}"), "ibm.spectrum_virtualize"));
        Result check = run(dir, "ansible-playbook", "--syntax-check", book.toString());
        assertThat(check.exit()).as(check.output()).isZero();
        Result tasks = run(dir, "ansible-playbook", "--list-tasks", book.toString());
        assertThat(tasks.output()).contains("Refuse to run").doesNotContain("Unmap 6");
        // Run it (its only task fails, locally): the cloud's name comes out as written, never templated — the
        // lookup would have run `id` on the operator's machine without `!unsafe`.
        Result ran = run(dir, "ansible-playbook", "-e", "svc_cluster=192.0.2.1", "-e", "svc_username=u", "-e",
                "svc_password=p", book.toString());
        assertThat(ran.exit()).as(ran.output()).isNotZero();
        assertThat(ran.output()).contains("Refuse to run").contains("{{ lookup('pipe','id') }}")
                .doesNotContain("uid=");
    }

    @Test
    void theCollectionIsAParameterAndNothingElseIsAccepted() {
        String renamed = UnmapPlanFormats.ansiblePlaybook(plan(ENTRIES), "ibm.storage_virtualize");
        assertThat(renamed).contains("      ibm.storage_virtualize.ibm_svc_vol_map:\n        volname: '"
                + A.svcVdiskUid() + "'\n        host: \"{{ svc_host }}\"\n        state: absent\n")
                .doesNotContain("spectrum_virtualize");
        assertThatThrownBy(() -> UnmapPlanFormats.ansiblePlaybook(plan(ENTRIES), "ibm.evil"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static List<String> uids(List<String> commands) {
        return commands.stream().map(c -> c.substring(c.lastIndexOf(' ') + 1)).toList();
    }

    static void ansible() throws Exception {
        boolean present = run(Path.of("."), "sh", "-c", "command -v ansible-playbook").exit() == 0;
        if (!present && "1".equals(System.getenv("LIFEBOAT_REQUIRE_ANSIBLE"))) {
            throw new AssertionError("ansible-playbook is not installed (Debian's ansible; ./lifeboat test installs"
                    + " it as root)");
        }
        assumeTrue(present, "ansible-playbook is not installed (apt-get install ansible): the playbook checks skip");
    }

    record Result(int exit, String output) {
    }

    static Result run(Path dir, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("ANSIBLE_LOCAL_TEMP", dir.resolve(".ansible-tmp").toAbsolutePath().toString());
        pb.environment().put("ANSIBLE_NOCOLOR", "1");
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 120 s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
