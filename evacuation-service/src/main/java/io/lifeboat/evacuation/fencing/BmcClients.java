package io.lifeboat.evacuation.fencing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP clients a {@link RedfishFencer} talks to its BMCs with: the JDK's trust by default, or, with a trust store
 * template, per BMC a client that trusts exactly the certificates of its PEM file ({@link BmcTrust}), rebuilt when the
 * file changes (a renewed certificate is trusted without a restart).
 */
final class BmcClients {

    private final HttpClient jdkTrust = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    /** The BMCs' trust store: a PEM file of the certificates to trust, {@code {host}} replaced; null: the JDK's. */
    private String trustStoreTemplate;
    private boolean verifyHostname = true;
    /** Per BMC address (host:port): the trust store file its certificate is checked against. */
    private final Map<String, String> trustStoreOf = new ConcurrentHashMap<>();
    /** Per trust store file: the HTTP client that trusts exactly its certificates, as of the file's modification. */
    private final Map<String, TrustedClient> clients = new ConcurrentHashMap<>();

    private record TrustedClient(long modified, HttpClient client) {
    }

    void trustStore(String template, boolean verifyHostname) {
        this.trustStoreTemplate = template;
        this.verifyHostname = verifyHostname;
    }

    /** Notes the trust store of the BMC at {@code url}, the host's BMC. */
    void bmc(String url, Fencer.Target host) {
        if (trustStoreTemplate != null) {
            trustStoreOf.put(authority(url), trustStoreTemplate.replace("{host}", host.name())
                    .replace("{source}", host.sourceId()).replace("{hostId}", host.hostId()));
        }
    }

    private static String authority(String url) {
        URI u = URI.create(url);
        return u.getHost() + ":" + u.getPort();
    }

    /** The client for a BMC's URL: with its trust store when one is configured for it. */
    HttpClient client(String url) {
        String store = trustStoreTemplate == null ? null : trustStoreOf.get(authority(url));
        if (store == null) {
            return jdkTrust;
        }
        Path file = Path.of(store);
        long modified;
        try {
            modified = Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the BMC trust store " + file + ": " + e.getMessage(), e);
        }
        // A renewed certificate (the file changed) is trusted without a restart; the client before it is dropped.
        return clients.compute(store, (k, c) -> c != null && c.modified() == modified ? c
                : new TrustedClient(modified, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                        .sslContext(BmcTrust.context(file, verifyHostname)).build())).client();
    }
}
