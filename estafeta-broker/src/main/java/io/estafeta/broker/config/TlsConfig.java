package io.estafeta.broker.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The TLS part of a listener, in Mosquitto's words.
 *
 * @param certFile              the server's certificate chain (PEM); {@code null} with a {@code keyStore}
 * @param keyFile               the server's private key (PEM, PKCS#8, encrypted with {@code keyPassword} or
 *                              not); {@code null} with a {@code keyStore}
 * @param keyStore              a PKCS#12 file holding the server's key and certificate chain, instead of
 *                              {@code certFile} and {@code keyFile}; {@code null} for none
 * @param caFile                certificate authorities trusted for client certificates; {@code null} for none
 * @param requireCertificate    clients must present a certificate signed by {@code caFile}; when false no
 *                              client certificate is asked for (Mosquitto's behaviour)
 * @param useIdentityAsUsername the client certificate's subject CN is the MQTT username and the
 *                              certificate is the client's authentication
 * @param protocols             TLS versions offered, e.g. {@code [TLSv1.3, TLSv1.2]}; never older than 1.2
 * @param ciphers               TLS 1.2 cipher suites ({@code ciphers}), JDK names; empty for the JDK's defaults
 * @param ciphersTls13          TLS 1.3 cipher suites ({@code ciphers_tls1.3}); empty for the JDK's defaults
 * @param keyPassword           the password of an encrypted {@code keyFile} ({@code keyfile_password}) or of
 *                              the {@code keyStore} ({@code keystore_password}); {@code null} for none
 */
public record TlsConfig(Path certFile, Path keyFile, Path keyStore, Path caFile, boolean requireCertificate,
                        boolean useIdentityAsUsername, List<String> protocols, List<String> ciphers,
                        List<String> ciphersTls13, Secret keyPassword) {

    public static final String TLS_1_2 = "TLSv1.2";
    public static final String TLS_1_3 = "TLSv1.3";
    /** Every version Estafeta speaks; older ones are broken and never offered. */
    public static final List<String> ALL_PROTOCOLS = List.of(TLS_1_3, TLS_1_2);

    public TlsConfig {
        if (keyStore == null) {
            Objects.requireNonNull(certFile, "certFile");
            Objects.requireNonNull(keyFile, "keyFile");
        } else if (certFile != null || keyFile != null) {
            throw new IllegalArgumentException("a keyStore replaces certFile and keyFile");
        }
        protocols = List.copyOf(protocols);
        ciphers = List.copyOf(ciphers);
        ciphersTls13 = List.copyOf(ciphersTls13);
        if (protocols.isEmpty() || !ALL_PROTOCOLS.containsAll(protocols)) {
            throw new IllegalArgumentException("protocols must be some of " + ALL_PROTOCOLS + ": " + protocols);
        }
        if (requireCertificate && caFile == null) {
            throw new IllegalArgumentException("requireCertificate needs a caFile to check certificates against");
        }
    }

    /** A server certificate and key, both TLS versions, no client certificates. */
    public static TlsConfig of(Path certFile, Path keyFile) {
        return new TlsConfig(certFile, keyFile, null, null, false, false, ALL_PROTOCOLS, List.of(), List.of(), null);
    }

    /** A server certificate and key in a PKCS#12 file, both TLS versions, no client certificates. */
    public static TlsConfig ofKeyStore(Path keyStore, Secret password) {
        return new TlsConfig(null, null, keyStore, null, false, false, ALL_PROTOCOLS, List.of(), List.of(),
                password);
    }

    /** The same, with an encrypted {@code keyFile} and its password. */
    public TlsConfig withKeyPassword(Secret value) {
        return new TlsConfig(certFile, keyFile, keyStore, caFile, requireCertificate, useIdentityAsUsername,
                protocols, ciphers, ciphersTls13, value);
    }

    public TlsConfig requiringCertificates(Path trustedCaFile) {
        return new TlsConfig(certFile, keyFile, keyStore, trustedCaFile, true, useIdentityAsUsername, protocols,
                ciphers, ciphersTls13, keyPassword);
    }

    public TlsConfig usingIdentityAsUsername() {
        return new TlsConfig(certFile, keyFile, keyStore, caFile, requireCertificate, true, protocols, ciphers,
                ciphersTls13, keyPassword);
    }

    public TlsConfig withProtocols(List<String> value) {
        return new TlsConfig(certFile, keyFile, keyStore, caFile, requireCertificate, useIdentityAsUsername, value,
                ciphers, ciphersTls13, keyPassword);
    }
}
