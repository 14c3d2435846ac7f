package io.estafeta.client;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import javax.net.ssl.SSLException;
import java.nio.file.Path;

/**
 * TLS for the connection, from PEM files as Mosquitto's clients take them.
 *
 * @param caFile   certificates to trust (PEM); {@code null} trusts the JDK's default authorities
 * @param certFile this client's certificate chain (PEM), for servers that ask for one; needs {@code keyFile}
 * @param keyFile  this client's private key (PEM, PKCS#8 or PKCS#1 unencrypted)
 * @param insecure skip the check that the server certificate names the host connected to. The certificate
 *                 itself is still verified: this is what {@code --insecure} means to mosquitto_pub.
 */
public record TlsOptions(Path caFile, Path certFile, Path keyFile, boolean insecure) {

    /** Hostname verification as for HTTPS (RFC 2818): the name connected to must be in the certificate. */
    private static final String HOSTNAME_VERIFICATION = "HTTPS";

    public TlsOptions {
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("a client certificate needs its key and a key its certificate");
        }
    }

    /** TLS trusting the JDK's default certificate authorities, with hostname verification. */
    public static TlsOptions defaults() {
        return new TlsOptions(null, null, null, false);
    }

    /** Builds the Netty context these options describe. */
    public SslContext toSslContext() throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forClient()
                // Netty 4.2 verifies hostnames by default; say it either way so the choice is visible here.
                .endpointIdentificationAlgorithm(insecure ? null : HOSTNAME_VERIFICATION);
        if (caFile != null) {
            builder.trustManager(caFile.toFile());
        }
        if (certFile != null) {
            builder.keyManager(certFile.toFile(), keyFile.toFile());
        }
        return builder.build();
    }
}
