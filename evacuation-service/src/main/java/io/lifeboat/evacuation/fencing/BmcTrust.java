package io.lifeboat.evacuation.fencing;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;

/**
 * The TLS trust for a BMC: exactly the certificates of a PEM file (its self-signed certificate, or the CA that issued
 * it), never the JDK's public CAs. Without host name verification, the certificate is still checked against the file
 * (a pinned certificate), only not against the name in the URL.
 */
final class BmcTrust {

    private BmcTrust() {
    }

    static SSLContext context(Path pem, boolean verifyHostname) {
        try {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            Collection<? extends Certificate> certs;
            try (InputStream in = Files.newInputStream(pem)) {
                certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            }
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("the BMC trust store " + pem + " holds no certificate");
            }
            int i = 0;
            for (Certificate c : certs) {
                ks.setCertificateEntry("bmc-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            X509ExtendedTrustManager tm = (X509ExtendedTrustManager) tmf.getTrustManagers()[0];
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {verifyHostname ? tm : new WithoutHostname(tm)}, null);
            return ctx;
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the BMC trust store " + pem + ": " + e.getMessage(), e);
        }
    }

    /** The chain checked against the trust store; the endpoint's name not (the JDK checks it in the engine variants). */
    private static final class WithoutHostname extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager tm;

        WithoutHostname(X509ExtendedTrustManager tm) {
            this.tm = tm;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            tm.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            tm.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            tm.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            tm.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            tm.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            tm.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return tm.getAcceptedIssuers();
        }
    }
}
