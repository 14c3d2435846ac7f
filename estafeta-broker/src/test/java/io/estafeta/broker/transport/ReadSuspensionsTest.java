package io.estafeta.broker.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.AttributeKey;

import org.junit.jupiter.api.Test;

class ReadSuspensionsTest {

    private static final AttributeKey<Object> KEY = AttributeKey.valueOf(ReadSuspensions.class.getName());

    private final EmbeddedChannel channel = new EmbeddedChannel();

    @Test
    void resumingAChannelNeverSuspendedReadsAndAddsNoAttribute() {
        ReadSuspensions.set(channel, ReadSuspensions.Reason.CONNECTION, false);

        assertThat(channel.config().isAutoRead()).isTrue();
        // Idle connections are many: one that was never held back carries no per-channel state.
        assertThat(channel.hasAttr(KEY)).isFalse();
    }

    @Test
    void theConnectionsOwnReasonAloneAddsNoAttribute() {
        // Every connection is held while its session is claimed; that alone must not cost it an attribute.
        ReadSuspensions.set(channel, ReadSuspensions.Reason.CONNECTION, true);
        assertThat(channel.config().isAutoRead()).isFalse();

        ReadSuspensions.set(channel, ReadSuspensions.Reason.CONNECTION, false);
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(channel.hasAttr(KEY)).isFalse();
    }

    @Test
    void channelIsReadAgainOnlyWhenNoReasonHoldsIt() {
        ReadSuspensions.set(channel, ReadSuspensions.Reason.CONNECTION, true);
        ReadSuspensions.set(channel, ReadSuspensions.Reason.PUBLISH_RATE, true);
        ReadSuspensions.set(channel, ReadSuspensions.Reason.CONNECTION, false);
        assertThat(channel.config().isAutoRead()).isFalse();

        ReadSuspensions.set(channel, ReadSuspensions.Reason.PUBLISH_RATE, false);
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void theConnectionsReasonStillHoldsWhenASecondReasonComesAndGoes() {
        ReadSuspensions.set(channel, ReadSuspensions.Reason.CONNECTION, true);
        ReadSuspensions.set(channel, ReadSuspensions.Reason.PUBLISH_RATE, true);
        ReadSuspensions.set(channel, ReadSuspensions.Reason.PUBLISH_RATE, false);
        assertThat(channel.config().isAutoRead()).isFalse();

        ReadSuspensions.set(channel, ReadSuspensions.Reason.CONNECTION, false);
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void resumingASecondReasonThatNeverHeldTheChannelChangesNothing() {
        ReadSuspensions.set(channel, ReadSuspensions.Reason.CONNECTION, true);

        ReadSuspensions.set(channel, ReadSuspensions.Reason.PUBLISH_RATE, false);

        assertThat(channel.config().isAutoRead()).isFalse();
        assertThat(channel.hasAttr(KEY)).isFalse();
    }
}
