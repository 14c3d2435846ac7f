package io.estafeta.client;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PacketIdsTest {

    @Test
    void identifiersStartAtOneAndAreNeverZero() {
        // [MQTT-2.3.1-1] packet identifiers are non-zero.
        PacketIds ids = new PacketIds();

        assertThat(ids.take()).isEqualTo(1);
        assertThat(ids.take()).isEqualTo(2);
    }

    @Test
    void aReleasedIdentifierIsNotReusedAtOnce() {
        PacketIds ids = new PacketIds();
        int first = ids.take();
        ids.release(first);

        assertThat(ids.take()).isNotEqualTo(first);
    }

    @Test
    void afterTheLastIdentifierTheCountWrapsPastThoseInUse() {
        PacketIds ids = new PacketIds();
        for (int i = PacketIds.MIN; i <= PacketIds.MAX; i++) {
            ids.take();
        }
        ids.release(5);
        ids.release(3);

        assertThat(ids.take()).isEqualTo(3);
        assertThat(ids.take()).isEqualTo(5);
    }

    @Test
    void noIdentifierIsGivenWhenAllAreInUse() {
        PacketIds ids = new PacketIds();
        for (int i = PacketIds.MIN; i <= PacketIds.MAX; i++) {
            ids.take();
        }

        assertThat(ids.take()).isZero();
        assertThat(ids.inUse()).isEqualTo(PacketIds.MAX);
    }
}
