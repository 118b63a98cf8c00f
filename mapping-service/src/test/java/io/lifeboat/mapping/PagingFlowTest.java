package io.lifeboat.mapping;

import io.lifeboat.common.envelope.EventEnvelope;
import io.lifeboat.common.id.HostKey;
import io.lifeboat.common.id.SourceId;
import io.lifeboat.common.id.SourceKind;
import io.lifeboat.common.id.StorageDomainKey;
import io.lifeboat.common.id.VmKey;
import io.lifeboat.common.inventory.ClusterRef;
import io.lifeboat.common.inventory.CpuTopology;
import io.lifeboat.common.inventory.Deletion;
import io.lifeboat.common.inventory.DiskStorageType;
import io.lifeboat.common.inventory.HighAvailability;
import io.lifeboat.common.inventory.HostRef;
import io.lifeboat.common.inventory.HostState;
import io.lifeboat.common.inventory.HostStatus;
import io.lifeboat.common.inventory.LunInfo;
import io.lifeboat.common.inventory.StorageDomainState;
import io.lifeboat.common.inventory.VmDisk;
import io.lifeboat.common.inventory.VmState;
import io.lifeboat.common.inventory.VmStatus;
import io.lifeboat.common.lun.LunWwid;
import io.lifeboat.testsupport.KafkaTestClient;
import io.lifeboat.testsupport.LifeboatInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/**
 * Cursor paging of the host history, the VM lineage, the LUN history and the search: walked a page at a time with
 * small limits, every walk gives exactly the rows seeded here, in their documented order, each once, also where rows
 * start at the same instant; the last page has no Link; bad limits and cursors are 400 problems.
 */
@QuarkusTest
@QuarkusTestResource(LifeboatInfra.class)
class PagingFlowTest {

    private static final URI SOURCE = URI.create("/lifeboat/collector/test");
    /** Microseconds, as PostgreSQL keeps them: the cursors must carry them exactly. */
    private static final Instant T = Instant.parse("2024-07-01T06:00:00.123456Z");
    private static final SourceId SRC = SourceId.of("ovirt-paging");
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>; rel=\"next\"");
    private static KafkaTestClient kafka;

    @BeforeAll
    static void connect() {
        kafka = new KafkaTestClient();
        RestAssured.authentication = RestAssured.preemptive().basic("viewer", "viewer");
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
        RestAssured.reset();
    }

    // ------------------------------------------------------------------ the host history

    /** Seven states, two pairs of them observed at the same instant (the second of each pair is newer). */
    @Test
    void hostHistoryPagesNewestFirstWithoutGapsOrRepeatsAtEqualTimes() {
        HostKey host = HostKey.of(SRC, "h-" + tag());
        host(host, HostStatus.UP, "up", 0);
        host(host, HostStatus.NON_RESPONSIVE, "connecting", 60);
        host(host, HostStatus.MAINTENANCE, "maintenance", 60);
        host(host, HostStatus.UP, "up", 120);
        host(host, HostStatus.DOWN, "down", 180);
        host(host, HostStatus.UP, "up", 180);
        host(host, HostStatus.NON_RESPONSIVE, "non_responsive", 240);
        List<String> expected = List.of(
                at(240) + " null NON_RESPONSIVE",
                at(180) + " " + at(240) + " UP",
                at(180) + " " + at(180) + " DOWN",
                at(120) + " " + at(180) + " UP",
                at(60) + " " + at(120) + " MAINTENANCE",
                at(60) + " " + at(60) + " NON_RESPONSIVE",
                at(0) + " " + at(60) + " UP");
        String path = "/api/v1/hosts/" + host.source() + "/" + host.hostId() + "/history";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get(path + "?limit=1000").then().statusCode(200).body("$", hasSize(expected.size())));

        List<Map<String, Object>> all = allAtOnce(path + "?limit=1000");
        assertThat(all).extracting(r -> r.get("since") + " " + r.get("until") + " " + r.get("status"))
                .containsExactlyElementsOf(expected);
        for (int limit : new int[] {1, 2, 3, 7}) {
            assertThat(rows(walk(path + "?limit=" + limit, limit))).as("pages of %d", limit).isEqualTo(all);
        }
        // Without parameters: everything (7 < 200) and no Link, as before paging.
        Response plain = given().get(path);
        plain.then().statusCode(200).body("$", hasSize(7));
        assertThat(plain.header("Link")).isNull();
        assertThat(plain.header("X-Next-Cursor")).isNull();
    }

    /** A caller without parameters gets the newest 200 and a Link to the rest. */
    @Test
    void withoutParametersAHistoryIsCappedAtTwoHundredAndTheLinkLeadsOn() {
        HostKey host = HostKey.of(SRC, "busy-" + tag());
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 205; i++) {
            HostStatus s = i % 2 == 0 ? HostStatus.UP : HostStatus.DOWN;
            host(host, s, s.name().toLowerCase(), i);
            expected.add(0, at(i) + " " + s);
        }
        String path = "/api/v1/hosts/" + host.source() + "/" + host.hostId() + "/history";
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().get(path + "?limit=1000").then().statusCode(200).body("$", hasSize(205)));
        List<Response> pages = walk(path, 200);
        assertThat(pages).hasSize(2);
        assertThat(pages.get(0).jsonPath().getList("$")).hasSize(200);
        assertThat(pages.get(0).header("Link")).startsWith("<" + path + "?after=");
        assertThat(rows(pages)).extracting(r -> r.get("since") + " " + r.get("status"))
                .containsExactlyElementsOf(expected);
    }

    // ------------------------------------------------------------------ the VM lineage

    /**
     * Six placements (two at the same instant) and four disk intervals (two at the same instant, ordered by disk id;
     * one disk id too long for a cursor, carried as its MD5): each list is walked to its end, the other staying empty.
     */
    @Test
    void lineagePagesPlacementsAndDisksEachToTheirEnd() {
        String t = tag();
        VmKey key = VmKey.of(SRC, t + "-lin");
        String lun1 = wwid();
        String lun2 = wwid();
        String lun3 = wwid();
        String lun4 = wwid();
        String longDisk = "dl-" + t + "-" + "x".repeat(236);
        VmDisk a = disk("da-" + t, lun1);
        vm(key, "lin-" + t, "h1-" + t, VmStatus.RUNNING, 0, a, disk("db-" + t, lun2));
        vm(key, "lin-" + t, "h2-" + t, VmStatus.RUNNING, 60, a, disk("db-" + t, lun2));
        vm(key, "lin-" + t, "h3-" + t, VmStatus.RUNNING, 60, a, disk("db-" + t, lun2));
        vm(key, "lin-" + t, "h3-" + t, VmStatus.PAUSED, 120, a, disk("db-" + t, lun3));
        vm(key, "lin-" + t, "h1-" + t, VmStatus.RUNNING, 180, a, disk("db-" + t, lun3), disk(longDisk, lun4));
        vm(key, "lin-" + t, "h2-" + t, VmStatus.RUNNING, 240, disk("db-" + t, lun3));
        List<String> placements = List.of(
                at(240) + " null h2-" + t + " RUNNING",
                at(180) + " " + at(240) + " h1-" + t + " RUNNING",
                at(120) + " " + at(180) + " h3-" + t + " PAUSED",
                at(60) + " " + at(120) + " h3-" + t + " RUNNING",
                at(60) + " " + at(60) + " h2-" + t + " RUNNING",
                at(0) + " " + at(60) + " h1-" + t + " RUNNING");
        List<String> disks = List.of(
                longDisk + " " + lun4 + " " + at(180) + " " + at(240),
                "db-" + t + " " + lun3 + " " + at(120) + " null",
                "da-" + t + " " + lun1 + " " + at(0) + " " + at(240),
                "db-" + t + " " + lun2 + " " + at(0) + " " + at(120));
        String path = "/api/v1/vms/" + key.source() + "/" + key.vmId() + "/lineage";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get(path + "?limit=1000").then()
                .statusCode(200).body("placements", hasSize(6)).body("disks", hasSize(4)));

        Response whole = given().get(path + "?limit=1000");
        assertThat(whole.header("Link")).isNull();
        assertThat(whole.jsonPath().getString("nextCursor")).isNull();
        List<Map<String, Object>> allPlacements = whole.jsonPath().getList("placements");
        List<Map<String, Object>> allDisks = whole.jsonPath().getList("disks");
        assertThat(allPlacements).extracting(p -> p.get("since") + " " + p.get("until") + " " + p.get("hostName") + " "
                + p.get("status")).containsExactlyElementsOf(placements);
        assertThat(allDisks).extracting(d -> d.get("diskId") + " " + d.get("lunWwid") + " " + d.get("since") + " "
                + d.get("until")).containsExactlyElementsOf(disks);
        for (int limit : new int[] {1, 2, 3, 4}) {
            List<Response> pages = walk(path + "?limit=" + limit, 0);
            assertThat(pages).as("pages of %d", limit).hasSize((6 + limit - 1) / limit);
            List<Map<String, Object>> p = new ArrayList<>();
            List<Map<String, Object>> d = new ArrayList<>();
            for (Response page : pages) {
                assertThat(page.jsonPath().getString("vmKey")).isEqualTo(key.toString());
                assertThat(page.jsonPath().getString("nextCursor")).isEqualTo(page.header("X-Next-Cursor"));
                assertThat(page.jsonPath().getList("placements")).hasSizeLessThanOrEqualTo(limit);
                assertThat(page.jsonPath().getList("disks")).hasSizeLessThanOrEqualTo(limit);
                p.addAll(page.jsonPath().getList("placements"));
                d.addAll(page.jsonPath().getList("disks"));
            }
            assertThat(p).as("placements in pages of %d", limit).isEqualTo(allPlacements);
            assertThat(d).as("disks in pages of %d", limit).isEqualTo(allDisks);
        }
        assertThat(cursors(walk(path + "?limit=1", 0))).anyMatch(c -> c.contains("\"md5\""));
    }

    // ------------------------------------------------------------------ the LUN history

    /**
     * VM x holds the LUN through four stays (one host twice, two stays made of two intervals each: a status change
     * on the same host), VM y from the same instant as one of them (its disk recorded later, so first), and a block
     * storage domain from the same instant as x's last stay (VMs before domains at the same start).
     */
    @Test
    void lunHistoryPagesStaysAndStorageDomainsNewestFirst() {
        String t = tag();
        String lun = wwid();
        VmKey x = VmKey.of(SRC, t + "-x");
        VmKey y = VmKey.of(SRC, t + "-y");
        VmDisk dx = disk("dx-" + t, lun);
        vm(x, "x-" + t, "h1-" + t, VmStatus.RUNNING, 0, dx);
        vm(x, "x-" + t, "h1-" + t, VmStatus.PAUSED, 60, dx);
        vm(x, "x-" + t, "h2-" + t, VmStatus.RUNNING, 120, dx);
        vm(x, "x-" + t, "h2-" + t, VmStatus.PAUSED, 180, dx);
        vm(x, "x-" + t, "h1-" + t, VmStatus.RUNNING, 240, dx);
        vm(x, "x-" + t, "h3-" + t, VmStatus.RUNNING, 300, dx);
        String xLineage = "/api/v1/vms/" + x.source() + "/" + x.vmId() + "/lineage";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get(xLineage).then().statusCode(200)
                .body("placements", hasSize(6)));
        vm(y, "y-" + t, "h5-" + t, VmStatus.RUNNING, 120, disk("dy-" + t, lun));
        StorageDomainKey sd = StorageDomainKey.of(SRC, "sd-" + t);
        kafka.publish(EventEnvelope.create(SOURCE, new StorageDomainState(sd, "fc-" + t, "data", "fcp", "dc1",
                List.of(LunWwid.parse(lun)), T.plusSeconds(300))));
        String h = SRC + "/h";
        List<String> expected = List.of(
                x + " " + h + "3-" + t + " " + at(300) + " null null",
                "null null " + at(300) + " null fc-" + t + " (" + sd + ")",
                x + " " + h + "1-" + t + " " + at(240) + " " + at(300) + " null",
                y + " " + h + "5-" + t + " " + at(120) + " null null",
                x + " " + h + "2-" + t + " " + at(120) + " " + at(240) + " null",
                x + " " + h + "1-" + t + " " + at(0) + " " + at(120) + " null");
        String path = "/api/v1/luns/" + lun.substring(1).toUpperCase() + "/history";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().get(path + "?limit=1000").then().statusCode(200).body("$", hasSize(expected.size())));

        List<Map<String, Object>> all = allAtOnce(path + "?limit=1000");
        assertThat(all).extracting(r -> r.get("vmKey") + " " + r.get("hostKey") + " " + r.get("since") + " "
                + r.get("until") + " " + r.get("storageDomain")).containsExactlyElementsOf(expected);
        assertThat(all).extracting(r -> r.get("lunWwid")).containsOnly(lun);
        for (int limit : new int[] {1, 2, 3, 6}) {
            assertThat(rows(walk(path + "?limit=" + limit, limit))).as("pages of %d", limit).isEqualTo(all);
        }
    }

    // ------------------------------------------------------------------ the search

    /**
     * Five VMs (one renamed: both names match, one hit) and four hosts, one of them with a key too long for a cursor
     * (carried as its MD5); by WWID, the LUN's three VMs and its two storage domains. The sections come in order,
     * each by key, and a page may end anywhere in them.
     */
    @Test
    void searchPagesThroughSectionsIncludingAKeyTooLongForACursor() {
        String t = tag();
        String lun = wwid();
        List<HostKey> hosts = List.of(HostKey.of(SRC, t + "-h-0" + "x".repeat(240)), HostKey.of(SRC, t + "-h-1"),
                HostKey.of(SRC, t + "-h-2"), HostKey.of(SRC, t + "-h-3"));
        for (int i = 0; i < hosts.size(); i++) {
            kafka.publish(EventEnvelope.create(SOURCE, new HostState(hosts.get(i), SourceKind.OVIRT,
                    "hv-" + t + "-" + i, new ClusterRef("c1", "prod"), HostStatus.UP, "up", null, null, null, true,
                    null, T)));
        }
        List<VmKey> vms = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            VmKey vm = VmKey.of(SRC, t + "-vm-" + i);
            vms.add(vm);
            VmDisk[] disks = i == 3 ? new VmDisk[0] : new VmDisk[] {disk("d" + i + "-" + t, i == 5 ? wwid() : lun)};
            vm(vm, (i == 3 ? "old-" : "web-") + t + "-" + i, t + "-h-1", VmStatus.RUNNING, 0, disks);
        }
        vm(vms.get(2), "web-" + t + "-3", t + "-h-1", VmStatus.RUNNING, 60);
        for (int i = 1; i <= 2; i++) {
            kafka.publish(EventEnvelope.create(SOURCE, new StorageDomainState(StorageDomainKey.of(SRC, "sd-" + t + "-"
                    + i), "fc-" + t + "-" + i, "data", "fcp", "dc1", List.of(LunWwid.parse(lun)), T)));
        }
        List<String> byName = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byName.add("vm " + vms.get(i) + " web-" + t + "-" + (i + 1));
        }
        for (int i = 0; i < hosts.size(); i++) {
            byName.add("host " + hosts.get(i) + " hv-" + t + "-" + i);
        }
        String svc = lun.substring(1).toUpperCase();
        List<String> byWwid = List.of(
                "lun " + lun + " " + svc + " used by VM " + vms.get(0),
                "lun " + lun + " " + svc + " used by VM " + vms.get(1),
                "lun " + lun + " " + svc + " used by VM " + vms.get(3),
                "lun " + lun + " " + svc + " backs storage domain fc-" + t + "-1 (" + SRC + "/sd-" + t + "-1)",
                "lun " + lun + " " + svc + " backs storage domain fc-" + t + "-2 (" + SRC + "/sd-" + t + "-2)");
        Function<Map<String, Object>, String> nameHit = r -> r.get("kind") + " " + r.get("key") + " " + r.get("name");
        Function<Map<String, Object>, String> lunHit = r -> r.get("kind") + " " + r.get("key") + " " + r.get("name")
                + " " + r.get("detail");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(allAtOnce("/api/v1/search?limit=1000&q=" + t)).extracting(nameHit)
                    .containsExactlyElementsOf(byName);
            assertThat(allAtOnce("/api/v1/search?limit=1000&q=" + svc)).extracting(lunHit)
                    .containsExactlyElementsOf(byWwid);
        });

        for (String q : List.of(t, svc)) {
            List<Map<String, Object>> all = allAtOnce("/api/v1/search?limit=1000&q=" + q);
            for (int limit : new int[] {1, 2, 3, 4}) {
                assertThat(rows(walk("/api/v1/search?q=" + q + "&limit=" + limit, limit)))
                        .as("hits for %s in pages of %d", q, limit).isEqualTo(all);
            }
        }
        assertThat(cursors(walk("/api/v1/search?q=" + t + "&limit=1", 1))).anyMatch(c -> c.contains("\"md5\""));
    }

    // ------------------------------------------------------------------ bad parameters

    @Test
    void badLimitsAndCursorsAreProblemsNeverErrors() {
        String wwid = wwid();
        List<String> paths = List.of("/api/v1/hosts/" + SRC + "/nowhere/history?x=1",
                "/api/v1/vms/" + SRC + "/nothing/lineage?x=1", "/api/v1/luns/" + wwid + "/history?x=1",
                "/api/v1/search?q=anything");
        for (String path : paths) {
            for (String limit : List.of("0", "1001", "-1", "abc", "1.5", "", "%20", "99999999999", "2e2", "+5")) {
                given().urlEncodingEnabled(false).get(path + "&limit=" + limit).then().statusCode(400)
                        .contentType("application/problem+json")
                        .body("type", equalTo("urn:lifeboat:problem:invalid-limit"))
                        .body("status", equalTo(400))
                        .body("detail", containsString("query parameter 'limit' must be a whole number from 1 to"
                                + " 1000"));
            }
            for (String after : List.of("", "!!", "a=b", "abc", "null", cursor("{\"a\":1}"), cursor("[]"),
                    cursor("[1,2]"), cursor("[\"other\",1,2]"), cursor("[\"host-history\",\"x\",1]"),
                    cursor("[\"host-history\",1]"), cursor("[\"host-history\",1,2,3,4,5,6]"),
                    cursor("[\"host-history\",99999999999999999999999,1]"),
                    cursor("[\"host-history\",-99999999999999999,1]"), cursor("[\"host-history\",1.5,1]"),
                    cursor("[\"lineage\",null,null,null,null,null]"), cursor("[\"lineage\",1,null,null,null,null]"),
                    cursor("[\"lineage\",null,null,1,{\"md5\":\"zz\"},1]"),
                    cursor("[\"lun-history\",1,7,1,1]"), cursor("[\"search\",9,\"x\"]"),
                    cursor("[\"search\",1,\"a\\u0000b\"]"), cursor("[\"search\",2,{\"sha\":\"x\"}]"))) {
                given().urlEncodingEnabled(false).get(path + "&after=" + after).then().statusCode(400)
                        .contentType("application/problem+json")
                        .body("type", equalTo("urn:lifeboat:problem:invalid-parameter"))
                        .body("detail", containsString("query parameter 'after' is not a cursor of this listing"));
            }
        }
        // Which of two was meant is not guessed.
        for (String twice : List.of("limit=2&limit=3", "after=" + cursor("[\"search\",2,\"a\"]") + "&after="
                + cursor("[\"search\",2,\"b\"]"))) {
            given().urlEncodingEnabled(false).get(paths.get(3) + "&" + twice).then().statusCode(400)
                    .body("type", equalTo("urn:lifeboat:problem:invalid-parameter"))
                    .body("detail", containsString("is given 2 times; give it once"));
        }
        // A cursor of one listing is refused by another.
        String hostCursor = cursor("[\"host-history\",1,2]");
        for (String path : paths.subList(1, 4)) {
            given().urlEncodingEnabled(false).get(path + "&after=" + hostCursor).then().statusCode(400)
                    .body("detail", containsString("it belongs to another listing"));
        }
        // Cursors that decode but name nothing that exists: still a 400 that says so.
        given().urlEncodingEnabled(false).get(paths.get(3) + "&after=" + cursor("[\"search\",3,{\"md5\":\""
                + "0".repeat(32) + "\"}]")).then().statusCode(400)
                .body("type", equalTo("urn:lifeboat:problem:invalid-parameter"))
                .body("detail", containsString("names no hit of this search"));
        given().urlEncodingEnabled(false).get("/api/v1/search?q=plain-name&after=" + cursor("[\"search\",0,\"x\"]"))
                .then().statusCode(400).body("detail", containsString("a cursor of a search by WWID"));
        given().urlEncodingEnabled(false).get(paths.get(1) + "&after=" + cursor("[\"lineage\",null,null,1000000,"
                + "{\"md5\":\"" + "0".repeat(32) + "\"},1]")).then().statusCode(400)
                .body("detail", containsString("names a disk interval of the VM that does not exist"));
        // A well-formed cursor of a host or VM Lifeboat never saw: 404, as without one.
        given().urlEncodingEnabled(false).get(paths.get(0) + "&after=" + hostCursor).then().statusCode(404)
                .body("type", equalTo("urn:lifeboat:problem:host-not-found"));
        given().urlEncodingEnabled(false).get(paths.get(1) + "&after=" + cursor("[\"lineage\",1,2,null,null,null]"))
                .then().statusCode(404).body("type", equalTo("urn:lifeboat:problem:vm-not-found"));
    }

    // ------------------------------------------------------------------ walking pages

    /**
     * Every page from {@code first}, following Link rel="next" until a page has none; each link is the same path and
     * query with after=X-Next-Cursor, a cursor short enough for any query parameter. {@code limit} > 0: every page
     * but the last holds exactly that many rows, the last at least one (the body is an array).
     */
    private static List<Response> walk(String first, int limit) {
        List<Response> pages = new ArrayList<>();
        String uri = first;
        while (uri != null) {
            assertThat(pages).as("pages of %s", first).hasSizeLessThan(500);
            Response page = given().urlEncodingEnabled(false).get(uri);
            page.then().statusCode(200);
            pages.add(page);
            String link = page.header("Link");
            String cursor = page.header("X-Next-Cursor");
            if (limit > 0) {
                List<Object> rows = page.jsonPath().getList("$");
                if (link == null) {
                    assertThat(rows).as("the last page of %s", first).isNotEmpty().hasSizeLessThanOrEqualTo(limit);
                } else {
                    assertThat(rows).as("a page of %s", first).hasSize(limit);
                }
            }
            if (link == null) {
                assertThat(cursor).as("X-Next-Cursor on the last page").isNull();
                uri = null;
            } else {
                Matcher m = NEXT.matcher(link);
                assertThat(m.matches()).as("Link %s", link).isTrue();
                uri = m.group(1);
                assertThat(cursor).isNotNull().hasSizeLessThanOrEqualTo(255).matches("[A-Za-z0-9_-]+");
                assertThat(uri).isEqualTo(first.replaceAll("&?after=[^&]*", "") + (first.contains("?") ? "&" : "?")
                        + "after=" + cursor);
            }
        }
        return pages;
    }

    private static List<Map<String, Object>> rows(List<Response> pages) {
        List<Map<String, Object>> rows = new ArrayList<>();
        pages.forEach(p -> rows.addAll(p.jsonPath().getList("$")));
        return rows;
    }

    private static List<Map<String, Object>> allAtOnce(String uri) {
        Response r = given().urlEncodingEnabled(false).get(uri);
        r.then().statusCode(200);
        assertThat(r.header("Link")).as("Link of %s", uri).isNull();
        return r.jsonPath().getList("$");
    }

    /** The cursors handed out on the way, decoded: what a client never needs to look at. */
    private static List<String> cursors(List<Response> pages) {
        return pages.stream().map(p -> p.header("X-Next-Cursor")).filter(c -> c != null)
                .map(c -> new String(Base64.getUrlDecoder().decode(c), StandardCharsets.UTF_8)).toList();
    }

    private static String cursor(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    // ------------------------------------------------------------------ seeding

    private static void host(HostKey host, HostStatus status, String platformStatus, int second) {
        kafka.publish(EventEnvelope.create(SOURCE, new HostState(host, SourceKind.OVIRT, "hv-" + host.hostId(),
                new ClusterRef("c1", "prod"), status, platformStatus, null, null, null, true, null,
                T.plusSeconds(second))));
    }

    private static void vm(VmKey key, String name, String host, VmStatus status, int second, VmDisk... disks) {
        kafka.publish(EventEnvelope.create(SOURCE, new VmState(key, SourceKind.OVIRT, name,
                new ClusterRef("c1", "prod"), new HostRef(HostKey.of(SRC, host), host), status,
                status == VmStatus.RUNNING ? "up" : "paused", null, List.of("10.7.7.7"), 4L << 30,
                new CpuTopology(2, 1, 1), List.of(disks), HighAvailability.NONE, null, null, null, Deletion.NONE,
                Map.of(), List.of(), null, T.plusSeconds(second))));
    }

    private static VmDisk disk(String id, String lun) {
        return new VmDisk(id, "data", 1L << 30, "virtio_scsi", DiskStorageType.LUN, null, false,
                LunInfo.of(lun, "IBM", "2145", "S1", 1L << 30));
    }

    private static String at(int second) {
        return T.plusSeconds(second).toString();
    }

    /** Eight hex digits: names and keys of one test, found by no other. */
    private static String tag() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** A fresh SVC-style LUN WWID, in the multipath form the API answers with. */
    private static String wwid() {
        return "36005076" + UUID.randomUUID().toString().replace("-", "").substring(0, 25);
    }
}
