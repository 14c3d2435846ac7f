package io.estafeta.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.estafeta.protocol.codec.PacketArbitraries.PacketCase;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttVersion;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * For valid packets our decoder builds exactly the messages Netty's decoder builds, field by field, however
 * the bytes are cut into reads.
 */
class MqttPacketDecoderEquivalenceTest {

    @Provide
    Arbitrary<PacketCase> packets() {
        return PacketArbitraries.anyPacket();
    }

    @Provide
    Arbitrary<List<Integer>> chunkSizes() {
        return Arbitraries.integers().between(1, 64).list().ofMinSize(1).ofMaxSize(8);
    }

    /** A CONNECT and what a client may send after it, all in the CONNECT's version. */
    @Provide
    Arbitrary<List<PacketCase>> sessions() {
        return Arbitraries.of(MqttVersion.MQTT_3_1, MqttVersion.MQTT_3_1_1, MqttVersion.MQTT_5).flatMap(version ->
                Combinators.combine(PacketArbitraries.connect(version),
                                PacketArbitraries.clientPacketAfterConnect(version).list().ofMaxSize(6))
                        .as((connect, rest) -> {
                            List<PacketCase> session = new ArrayList<>();
                            session.add(connect);
                            session.addAll(rest);
                            return session;
                        }));
    }

    @Property(tries = 1000)
    void everyValidPacketDecodesAsNettyDecodesIt(@ForAll("packets") PacketCase packet) {
        byte[] bytes = Encoding.encode(packet.version(), packet.message().get());

        List<String> expected = nettyDecodes(bytes, packet.version());
        List<String> actual = estafetaDecodes(packet, bytes, List.of(bytes.length), false);

        assertThat(actual).hasSize(1).isEqualTo(expected);
        assertThat(actual.getFirst()).contains("result: success");
    }

    @Property(tries = 300)
    void aValidPacketDecodesTheSameInRandomChunksFromHeapOrDirectBuffers(@ForAll("packets") PacketCase packet,
            @ForAll("chunkSizes") List<Integer> chunks, @ForAll boolean direct) {
        byte[] bytes = Encoding.encode(packet.version(), packet.message().get());

        assertThat(estafetaDecodes(packet, bytes, chunks, direct)).isEqualTo(nettyDecodes(bytes, packet.version()));
    }

    @Property(tries = 200)
    void aValidPacketDecodesTheSameFedByteByByte(@ForAll("packets") PacketCase packet) {
        byte[] bytes = Encoding.encode(packet.version(), packet.message().get());

        assertThat(estafetaDecodes(packet, bytes, List.of(1), false)).isEqualTo(nettyDecodes(bytes, packet.version()));
    }

    /** A whole client session in one stream: the CONNECT sets the version the rest is read in. */
    @Property(tries = 150)
    void aClientSessionDecodesAsNettyDecodesIt(@ForAll("sessions") List<PacketCase> session,
            @ForAll("chunkSizes") List<Integer> chunks, @ForAll boolean direct) {
        MqttVersion version = session.getFirst().version();
        MqttMessage[] messages = session.stream().map(packet -> packet.message().get()).toArray(MqttMessage[]::new);
        byte[] bytes = Encoding.encode(null, messages);

        List<String> expected = nettyDecodes(bytes, null);
        List<String> actual;
        try (DecoderChannel ours = DecoderChannel.estafeta(MqttPacketDecoder.Peer.CLIENT,
                DecoderChannel.LARGE_MAX_PACKET_SIZE, null, direct)) {
            actual = ours.feed(bytes, chunks).descriptions();
            assertThat(ours.channelVersion()).isEqualTo(version);
        }

        assertThat(actual).hasSize(session.size()).isEqualTo(expected);
    }

    @BeforeContainer
    static void trackEveryBuffer() {
        LeakDetection.enable();
    }

    @AfterContainer
    static void noBufferLeaked() {
        assertThat(LeakDetection.reportedLeaks()).isEmpty();
    }

    private static List<String> nettyDecodes(byte[] bytes, MqttVersion version) {
        try (DecoderChannel netty = DecoderChannel.netty(version)) {
            return netty.feed(bytes).descriptions();
        }
    }

    private static List<String> estafetaDecodes(PacketCase packet, byte[] bytes, List<Integer> chunks, boolean direct) {
        try (DecoderChannel ours = DecoderChannel.estafeta(packet.sender(), DecoderChannel.LARGE_MAX_PACKET_SIZE,
                packet.version(), direct)) {
            return ours.feed(bytes, chunks).descriptions();
        }
    }
}
