package io.estafeta.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;

import org.junit.jupiter.api.Test;

class CertificateIdentityTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();

    @Test
    void channelWithoutTlsIdentitySettingDoesNotUseTheCertificateAsUsernameAndGainsNoAttribute() {
        assertThat(CertificateIdentity.usedAsUsername(channel)).isFalse();
        assertThat(channel.hasAttr(CertificateIdentity.USE_AS_USERNAME)).isFalse();
    }
}
