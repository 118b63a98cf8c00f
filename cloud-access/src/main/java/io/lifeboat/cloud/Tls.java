package io.lifeboat.cloud;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.X509Certificate;

/** The TLS context of a source: its trust store, the JVM default, or (labs only) trust-all. */
public final class Tls {

    private Tls() {
    }

    public static SSLContext context(SourceConnection config) {
        try {
            if (config.insecure()) {
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, new TrustManager[] {new TrustAll()}, null);
                return ctx;
            }
            if (config.trustStore().isEmpty()) {
                return SSLContext.getDefault();
            }
            KeyStore ks = KeyStore.getInstance(config.trustStore().get().toString().endsWith(".jks") ? "JKS"
                    : "PKCS12");
            try (InputStream in = Files.newInputStream(config.trustStore().get())) {
                ks.load(in, config.trustStorePassword().map(String::toCharArray).orElse(null));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up TLS for " + config.url() + ": " + e.getMessage(), e);
        }
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
