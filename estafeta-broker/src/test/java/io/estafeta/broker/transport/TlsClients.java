package io.estafeta.broker.transport;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** Client side TLS for tests: trust the test CA, optionally present a client certificate. */
final class TlsClients {

    private static final char[] NO_PASSWORD = new char[0];

    private TlsClients() {
    }

    /** Trusts {@code caFile}; presents no certificate. */
    static SSLSocketFactory trusting(Path caFile) throws GeneralSecurityException, IOException {
        return context(caFile, null, null).getSocketFactory();
    }

    /** Trusts {@code caFile} and presents {@code certFile} with {@code keyFile} when asked. */
    static SSLSocketFactory presenting(Path caFile, Path certFile, Path keyFile)
            throws GeneralSecurityException, IOException {
        return context(caFile, certFile, keyFile).getSocketFactory();
    }

    /** Connects and completes a handshake; the caller closes the socket. */
    static SSLSocket handshake(SSLSocketFactory factory, int port, String... protocols) throws IOException {
        SSLSocket socket = (SSLSocket) factory.createSocket("127.0.0.1", port);
        if (protocols.length > 0) {
            socket.setEnabledProtocols(protocols);
        }
        socket.startHandshake();
        return socket;
    }

    /** The subject CN of the certificate the server presented. */
    static String serverCommonName(SSLSocket socket) throws IOException {
        X509Certificate server = (X509Certificate) socket.getSession().getPeerCertificates()[0];
        return server.getSubjectX500Principal().getName().replaceFirst("^CN=", "");
    }

    private static SSLContext context(Path caFile, Path certFile, Path keyFile)
            throws GeneralSecurityException, IOException {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", certificates(caFile)[0]);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        KeyManagerFactory keys = null;
        if (certFile != null) {
            KeyStore own = KeyStore.getInstance(KeyStore.getDefaultType());
            own.load(null, null);
            own.setKeyEntry("client", privateKey(keyFile), NO_PASSWORD, certificates(certFile));
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(own, NO_PASSWORD);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    private static Certificate[] certificates(Path file) throws GeneralSecurityException, IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(Certificate[]::new);
        }
    }

    private static PrivateKey privateKey(Path file) throws GeneralSecurityException, IOException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII)
                .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "");
        return KeyFactory.getInstance("EC").generatePrivate(
                new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(pem)));
    }
}
