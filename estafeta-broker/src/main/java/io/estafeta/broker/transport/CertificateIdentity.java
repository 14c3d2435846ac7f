package io.estafeta.broker.transport;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

/**
 * Mosquitto's {@code use_identity_as_username}: on such a listener the client certificate's subject CN is
 * the MQTT username, and the certificate (checked during the TLS handshake) is the authentication.
 */
final class CertificateIdentity {

    /** Set on the channels of a listener with use_identity_as_username true. */
    static final AttributeKey<Boolean> USE_AS_USERNAME = AttributeKey.valueOf("estafeta.useIdentityAsUsername");

    private static final String COMMON_NAME = "CN";

    private CertificateIdentity() {
    }

    /** Whether the channel's listener takes the username from the client certificate. */
    static boolean usedAsUsername(Channel channel) {
        // hasAttr first: attr() would add an empty attribute to every channel, TLS or not.
        return channel.hasAttr(USE_AS_USERNAME) && Boolean.TRUE.equals(channel.attr(USE_AS_USERNAME).get());
    }

    /**
     * The subject CN of the client's certificate, or {@code null} if the client presented none (or one
     * without a CN). Called once the handshake is done, i.e. when the first MQTT packet arrives.
     */
    static String commonName(Channel channel) {
        SslHandler tls = channel.pipeline().get(SslHandler.class);
        if (tls == null) {
            return null;
        }
        try {
            Certificate[] chain = tls.engine().getSession().getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate client)) {
                return null;
            }
            LdapName subject = new LdapName(client.getSubjectX500Principal().getName());
            // LdapName lists the RDNs from the least specific, so the last CN found is the most specific one.
            String found = null;
            for (Rdn rdn : subject.getRdns()) {
                if (COMMON_NAME.equalsIgnoreCase(rdn.getType())) {
                    found = rdn.getValue().toString();
                }
            }
            return found;
        } catch (SSLPeerUnverifiedException | InvalidNameException noIdentity) {
            return null;
        }
    }
}
