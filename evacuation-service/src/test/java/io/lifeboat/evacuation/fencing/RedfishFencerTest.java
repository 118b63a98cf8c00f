package io.lifeboat.evacuation.fencing;

import io.lifeboat.cloud.CloudCalls;
import io.lifeboat.testsupport.SimulatorProcess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Redfish fencer against the simulator's BMCs as real ones behave (reference/peers.md, "Fencing pitfalls"): the
 * proof of a fence is the PowerState read after the reset, never the reset's answer; a BMC that lost power with its
 * host answers nothing; and an escalation chain moves on from a fencer that cannot fence to the next, and stops at
 * the first that did. Expectations come from the simulator's ground truth ({@code poweredOn}).
 */
class RedfishFencerTest {

    private static final String OS = "openstack-1";

    private static String sim() {
        return SimulatorProcess.get().url();
    }

    private static RedfishFencer fencer(String systemUrl) {
        return new RedfishFencer(systemUrl, "admin", "lifeboat", Duration.ofSeconds(30),
                new CloudCalls(OS, "lifeboat.evacuation", Duration.ofSeconds(30), 2,
                new SimpleMeterRegistry()));
    }

    private static RedfishFencer simulatorFencer() {
        return fencer(sim() + "/redfish/v1/Systems/{source}.{host}");
    }

    private static Fencer.Target target(String host) {
        return new Fencer.Target(OS, host, host);
    }

    private static boolean poweredOn(String host) {
        return given().get(sim() + "/sim/v1/sources/" + OS + "/truth").then().statusCode(200).extract().jsonPath()
                .getBoolean("hosts.find { it.host == '" + host + "' }.poweredOn");
    }

    private static void fail(String host, String mode) {
        given().contentType(ContentType.JSON).body(Map.of("mode", mode))
                .post(sim() + "/sim/v1/sources/" + OS + "/hosts/" + host + "/fail").then().statusCode(200);
    }

    private static void bmcs(String lag, int resetWhenOff) {
        given().contentType(ContentType.JSON).body(Map.of("powerStateLag", lag, "resetWhenOff", resetWhenOff))
                .put(sim() + "/sim/v1/redfish").then().statusCode(200);
    }

    @AfterEach
    void restore() {
        bmcs("PT0S", 409);
        for (String host : List.of("cmp1-a01", "cmp1-a02", "cmp1-a03", "cmp1-a04")) {
            given().post(sim() + "/sim/v1/sources/" + OS + "/hosts/" + host + "/recover").then().statusCode(200);
        }
    }

    /**
     * The host lost power just before the fence; the BMC still reports On (its sensor lags), refuses the ForceOff of
     * a chassis already off, and only a later PowerState read says Off. A fencer that trusted the reset's answer would
     * never fence it; this one reads again and fences, with every BMC answer in its detail. Both refusals seen in the
     * field, 409 and 400.
     */
    @Test
    void aResetRefusedBecauseTheHostWentOffMeanwhileIsFencedByThePowerStateReadAfterIt() {
        for (int refusal : new int[] {409, 400}) {
            bmcs("PT4S", refusal);
            fail("cmp1-a02", "POWER_LOSS");
            Fencer.FenceOutcome o = simulatorFencer().fence(target("cmp1-a02"));
            assertThat(o.result()).as("%s: %s", refusal, o.detail()).isEqualTo(Fencer.FenceOutcome.Result.FENCED);
            assertThat(o.detail()).contains("GET PowerState → 200 On", "POST Reset ForceOff → " + refusal
                    + " The requested power operation ForceOff cannot be performed because the system is already"
                    + " powered off.", "GET PowerState → 200 Off");
            assertThat(poweredOn("cmp1-a02")).isFalse();
            restore();
        }
    }

    /** A host that is up but cut off (BMC On): the ForceOff is taken (204) and the next reads say Off. */
    @Test
    void aPartitionedHostIsPoweredOffThroughItsBmc() {
        fail("cmp1-a02", "NETWORK_PARTITION");
        assertThat(poweredOn("cmp1-a02")).isTrue();
        Fencer.FenceOutcome o = simulatorFencer().fence(target("cmp1-a02"));
        assertThat(o.result()).as(o.detail()).isEqualTo(Fencer.FenceOutcome.Result.FENCED);
        assertThat(o.detail()).contains("GET PowerState → 200 On", "POST Reset ForceOff → 204",
                "GET PowerState → 200 Off");
        assertThat(poweredOn("cmp1-a02")).isFalse();
    }

    /** The host and its BMC lost power together: the BMC answers nothing, so this fencer cannot fence: UNAVAILABLE. */
    @Test
    void aBmcThatLostPowerWithItsHostLeavesTheFencerUnavailable() {
        fail("cmp1-a03", "TOTAL_POWER_LOSS");
        Fencer.FenceOutcome o = simulatorFencer().fence(target("cmp1-a03"));
        assertThat(o.result()).as(o.detail()).isEqualTo(Fencer.FenceOutcome.Result.UNAVAILABLE);
        assertThat(o.detail()).contains("does not answer", "GET PowerState → no answer");
        assertThat(given().get(sim() + "/sim/v1/sources/" + OS + "/truth").then().extract().jsonPath()
                .getBoolean("hosts.find { it.host == 'cmp1-a03' }.bmcPowered")).isFalse();
    }

    /**
     * A chain: a BMC that cannot be reached (nothing listens at its address), then one that fences, then one that
     * must not be called (it would power off another host). Every attempt is reported as it ends, in order.
     */
    @Test
    void theChainMovesOnFromAFencerThatCannotFenceAndStopsAtTheFirstThatDid() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        fail("cmp1-a04", "POWER_LOSS");
        List<Fencer> chain = List.of(fencer("http://127.0.0.1:" + closed + "/redfish/v1/Systems/{source}.{host}"),
                simulatorFencer(), fencer(sim() + "/redfish/v1/Systems/{source}.cmp1-a01"));
        List<String> reported = new ArrayList<>();
        List<FencingChain.Attempt> attempts = FencingChain.run(chain, target("cmp1-a04"),
                (name, outcome) -> reported.add(name + " " + outcome.result()));
        assertThat(reported).containsExactly("redfish UNAVAILABLE", "redfish FENCED");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).outcome().detail()).contains("127.0.0.1:" + closed, "does not answer");
        assertThat(attempts.get(1).fenced()).isTrue();
        assertThat(poweredOn("cmp1-a04")).isFalse();
        assertThat(poweredOn("cmp1-a01")).as("the host of the fencer after the one that fenced").isTrue();
    }

    /**
     * With a Redfish session: the BMCs are set to refuse basic credentials, so only the session's token can fence. The
     * session is opened once, used for every request, and deleted at the end: none is left on the BMC. A wrong
     * password is a failed fence with the BMC's 401, not an unavailable one.
     */
    @Test
    void aSessionIsOpenedUsedAndClosedWhenTheBmcRefusesBasicCredentials() {
        given().contentType(ContentType.JSON).body(Map.of("basicAuth", false)).put(sim() + "/sim/v1/redfish").then()
                .statusCode(200);
        try {
            given().delete(sim() + "/sim/v1/calls").then().statusCode(204);
            fail("cmp1-a02", "NETWORK_PARTITION");
            RedfishFencer withSession = new RedfishFencer(sim() + "/redfish/v1/Systems/{source}.{host}", "admin",
                    "lifeboat", true, Duration.ofSeconds(30), new CloudCalls(OS, "lifeboat.evacuation", Duration.ofSeconds(30), 2,
                new SimpleMeterRegistry()));
            Fencer.FenceOutcome o = withSession.fence(target("cmp1-a02"));
            assertThat(o.result()).as(o.detail()).isEqualTo(Fencer.FenceOutcome.Result.FENCED);
            assertThat(o.detail()).startsWith("PowerState Off read from the BMC after ForceOff")
                    .contains("POST Sessions → 201", "POST Reset ForceOff → 204").endsWith("DELETE Session → 204");
            assertThat(poweredOn("cmp1-a02")).isFalse();
            Map<String, Object> calls = given().get(sim() + "/sim/v1/calls").then().extract().jsonPath().getMap("");
            assertThat(calls.get("- redfish.createSession")).isEqualTo(1);
            assertThat(calls.get("- redfish.deleteSession")).isEqualTo(1);

            Fencer.FenceOutcome basic = simulatorFencer().fence(target("cmp1-a03"));
            assertThat(basic.result()).isEqualTo(Fencer.FenceOutcome.Result.FAILED);
            assertThat(basic.detail()).contains("GET PowerState → 401");
            Fencer.FenceOutcome wrong = new RedfishFencer(sim() + "/redfish/v1/Systems/{source}.{host}", "admin",
                    "wrong", true, Duration.ofSeconds(30), new CloudCalls(OS, "lifeboat.evacuation", Duration.ofSeconds(30), 2,
                new SimpleMeterRegistry()))
                    .fence(target("cmp1-a03"));
            assertThat(wrong.result()).isEqualTo(Fencer.FenceOutcome.Result.FAILED);
            assertThat(wrong.detail()).contains("POST Sessions → 401");
            assertThat(poweredOn("cmp1-a03")).isTrue();
        } finally {
            given().contentType(ContentType.JSON).body(Map.of("basicAuth", true)).put(sim() + "/sim/v1/redfish")
                    .then().statusCode(200);
        }
        assertThat(given().auth().preemptive().basic("admin", "lifeboat").get(sim()
                + "/redfish/v1/SessionService/Sessions").then().statusCode(200).extract().jsonPath()
                .getInt("'Members@odata.count'")).as("sessions left on the BMC").isZero();
    }

    /** Long waits fold into one entry per answer, so the detail stays short however long the BMC takes. */
    @Test
    void repeatedReadsAreFoldedInTheSummary() {
        assertThat(BmcExchanges.summary(List.of("GET PowerState → 200 On", "GET PowerState → 200 On",
                "GET PowerState → 200 On", "POST Reset ForceOff → 204", "GET PowerState → 200 Off")))
                .isEqualTo("BMC exchanges: GET PowerState → 200 On ×3, POST Reset ForceOff → 204,"
                        + " GET PowerState → 200 Off");
    }

    /**
     * A BMC on HTTPS with its own self-signed certificate (issued to a factory name, not its address), in front of
     * the simulator's BMC. Without a trust store it is not trusted (the JDK's CAs know nothing of it); with its
     * certificate as the trust store it is, once the name check is off (the certificate is still pinned); another
     * certificate is refused; and the fence through it powers the host off.
     */
    @Test
    void aBmcWithASelfSignedCertificateIsTrustedThroughItsTrustStoreOnly() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("bmc-tls");
        java.nio.file.Path keystore = certificate(dir, "bmc");
        java.nio.file.Path stranger = certificate(dir, "other");
        com.sun.net.httpserver.HttpsServer front = com.sun.net.httpserver.HttpsServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        kmf.init(ks, "changeit".toCharArray());
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        front.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(ctx));
        java.net.http.HttpClient plainHttp = java.net.http.HttpClient.newHttpClient();
        front.createContext("/", ex -> {
            // The BMC's HTTPS front: the same request to the simulator's BMC, its answer back.
            byte[] body = ex.getRequestBody().readAllBytes();
            var b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(sim() + ex.getRequestURI()))
                    .method(ex.getRequestMethod(), body.length == 0 ? java.net.http.HttpRequest.BodyPublishers.noBody()
                            : java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
            for (String h : List.of("Authorization", "X-Auth-Token", "Content-Type")) {
                String v = ex.getRequestHeaders().getFirst(h);
                if (v != null) {
                    b.header(h, v);
                }
            }
            try {
                var r = plainHttp.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                r.headers().firstValue("X-Auth-Token").ifPresent(v -> ex.getResponseHeaders().add("X-Auth-Token", v));
                r.headers().firstValue("Location").ifPresent(v -> ex.getResponseHeaders().add("Location", v));
                ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
                if (r.body().length > 0) {
                    ex.getResponseBody().write(r.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ex.sendResponseHeaders(502, -1);
            }
            ex.close();
        });
        front.start();
        try {
            String url = "https://127.0.0.1:" + front.getAddress().getPort() + "/redfish/v1/Systems/{source}.{host}";
            List<String> problem = new ArrayList<>();
            assertThat(fencer(url).readPowerState(target("cmp1-a01"), Duration.ofSeconds(5), problem)).isEmpty();
            assertThat(String.join(" ", problem)).contains("SSLHandshakeException", "PKIX");
            problem.clear();
            assertThat(fencer(url).trustStore(pem(dir, "bmc").toString(), true).readPowerState(target("cmp1-a01"),
                    Duration.ofSeconds(5), problem)).as("the name check: the certificate is for bmc-factory").isEmpty();
            assertThat(String.join(" ", problem)).contains("No subject alternative names");
            problem.clear();
            assertThat(fencer(url).trustStore(pem(dir, "other").toString(), false).readPowerState(
                    target("cmp1-a01"), Duration.ofSeconds(5), problem)).as("another certificate").isEmpty();
            assertThat(String.join(" ", problem)).contains("SSLHandshakeException");
            // One file per BMC, {host} in its path.
            java.nio.file.Files.copy(pem(dir, "bmc"), dir.resolve("cmp1-a01.pem"));
            RedfishFencer trusted = fencer(url).trustStore(dir.resolve("{host}.pem").toString(), false);
            assertThat(trusted.readPowerState(target("cmp1-a01"), Duration.ofSeconds(5), new ArrayList<>()))
                    .contains("On");
            fail("cmp1-a01", "NETWORK_PARTITION");
            Fencer.FenceOutcome o = trusted.fence(target("cmp1-a01"));
            assertThat(o.result()).as(o.detail()).isEqualTo(Fencer.FenceOutcome.Result.FENCED);
            assertThat(poweredOn("cmp1-a01")).isFalse();
            assertThat(stranger).exists();
        } finally {
            front.stop(0);
        }
    }

    /** A PKCS12 key store with a self-signed certificate for "bmc-factory" (as BMCs ship), made by the JDK's keytool. */
    private static java.nio.file.Path certificate(java.nio.file.Path dir, String name) throws Exception {
        java.nio.file.Path ks = dir.resolve(name + ".p12");
        String keytool = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=bmc-factory", "-validity", "2", "-keystore", ks.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit");
        run(keytool, "-exportcert", "-rfc", "-alias", name, "-keystore", ks.toString(), "-storepass", "changeit",
                "-file", pem(dir, name).toString());
        return ks;
    }

    private static java.nio.file.Path pem(java.nio.file.Path dir, String name) {
        return dir.resolve(name + ".pem");
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }
}
