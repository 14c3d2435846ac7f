package io.estafeta.protocol.codec;

import static io.estafeta.protocol.codec.PacketBytes.body;
import static io.estafeta.protocol.codec.PacketBytes.packet;
import static org.assertj.core.api.Assertions.assertThat;

import io.estafeta.protocol.codec.MqttDecodingException.ReasonCode;
import io.estafeta.protocol.codec.MqttPacketDecoder.Peer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttVersion;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** How the decoder cuts a byte stream into packets, and what it leaves on the channel for the encoder. */
class MqttPacketDecoderFramingTest {

    private static final int SMALL_MAX_PACKET_SIZE = 64;
    private static final byte[] PINGREQ = {(byte) 0xC0, 0x00};
    private static final int PUBLISH_QOS_0 = 0x30;

    @Test
    void aPacketLargerThanTheMaximumIsRefusedAsSoonAsItsRemainingLengthArrives() {
        try (DecoderChannel channel = DecoderChannel.estafeta(Peer.CLIENT, SMALL_MAX_PACKET_SIZE, MqttVersion.MQTT_3_1_1,
                false)) {
            // Only the fixed header of a 2 MB PUBLISH: the body never needs to arrive.
            List<MqttMessage> messages = channel.feed(new byte[] {PUBLISH_QOS_0, (byte) 0xFF, (byte) 0xFF, 0x7F}).messages();

            assertThat(messages).hasSize(1);
            MqttMessage failed = messages.getFirst();
            assertThat(failed.decoderResult().cause()).isInstanceOfSatisfying(MqttPacketTooLargeException.class, cause -> {
                assertThat(cause.reasonCode()).isEqualTo(ReasonCode.PACKET_TOO_LARGE);
                assertThat(cause.packetSize()).isEqualTo(1 + 3 + 2_097_151);
                assertThat(cause.maxPacketSize()).isEqualTo(SMALL_MAX_PACKET_SIZE);
            });
            assertThat(failed.fixedHeader().messageType()).isEqualTo(MqttMessageType.PUBLISH);
            assertThat(failed.fixedHeader().remainingLength()).isEqualTo(2_097_151);
        }
    }

    @Test
    void aPacketOfExactlyTheMaximumSizeIsDecodedAndOneByteMoreIsRefused() {
        byte[] fits = publishOfSize(SMALL_MAX_PACKET_SIZE);
        byte[] tooLarge = publishOfSize(SMALL_MAX_PACKET_SIZE + 1);
        try (DecoderChannel channel = DecoderChannel.estafeta(Peer.CLIENT, SMALL_MAX_PACKET_SIZE, MqttVersion.MQTT_3_1_1,
                false)) {
            List<MqttMessage> messages = channel.feed(fits).feed(tooLarge).messages();

            assertThat(messages).hasSize(2);
            assertThat(messages.get(0).decoderResult().isSuccess()).isTrue();
            assertThat(messages.get(1).decoderResult().cause()).isInstanceOf(MqttPacketTooLargeException.class);
        }
    }

    @Test
    void aRemainingLengthLongerThanFourBytesIsRefusedWithoutWaitingForMore_MQTT_2_2_3() {
        try (DecoderChannel channel = DecoderChannel.estafeta(Peer.CLIENT, MqttVersion.MQTT_3_1_1)) {
            List<MqttMessage> messages = channel.feed(new byte[] {PUBLISH_QOS_0, (byte) 0x80, (byte) 0x80, (byte) 0x80,
                    (byte) 0x80}).messages();

            assertThat(messages).singleElement().satisfies(message -> assertThat(message.decoderResult().cause())
                    .isInstanceOf(MqttDecodingException.class).hasMessageContaining("longer than four bytes"));
        }
    }

    @Test
    void anInvalidFirstByteIsRefusedBeforeTheRemainingLengthArrives() {
        try (DecoderChannel channel = DecoderChannel.estafeta(Peer.CLIENT, MqttVersion.MQTT_3_1_1)) {
            List<MqttMessage> messages = channel.feed(new byte[] {0x00}).messages();

            assertThat(messages).singleElement().satisfies(message -> {
                assertThat(message.decoderResult().isFailure()).isTrue();
                assertThat(message.fixedHeader()).isNull();
            });
        }
    }

    @Test
    void nothingIsDecodedUntilTheLastByteOfThePacketArrives() {
        byte[] publish = publishOfSize(40);
        try (DecoderChannel channel = DecoderChannel.estafeta(Peer.CLIENT, MqttVersion.MQTT_3_1_1)) {
            channel.feed(Arrays.copyOf(publish, publish.length - 1));
            assertThat(channel.messages()).isEmpty();

            channel.feed(new byte[] {publish[publish.length - 1]});

            assertThat(channel.messages()).singleElement()
                    .satisfies(message -> assertThat(message.decoderResult().isSuccess()).isTrue());
        }
    }

    @Test
    void packetsArrivingInOneReadAreDecodedInOrder() {
        byte[] stream = concat(publishOfSize(20), PINGREQ, publishOfSize(30));
        try (DecoderChannel channel = DecoderChannel.estafeta(Peer.CLIENT, MqttVersion.MQTT_3_1_1)) {
            List<MqttMessage> messages = channel.feed(stream).messages();

            assertThat(messages).extracting(message -> message.fixedHeader().messageType())
                    .containsExactly(MqttMessageType.PUBLISH, MqttMessageType.PINGREQ, MqttMessageType.PUBLISH);
        }
    }

    @Test
    void aNonMinimalRemainingLengthIsAcceptedInMqtt311WhichHasNoSuchRule() {
        try (DecoderChannel channel = DecoderChannel.estafeta(Peer.CLIENT, MqttVersion.MQTT_3_1_1)) {
            List<MqttMessage> messages = channel.feed(new byte[] {(byte) 0xC0, (byte) 0x80, 0x00}).messages();

            assertThat(messages).singleElement()
                    .satisfies(message -> assertThat(message.decoderResult().isSuccess()).isTrue());
        }
    }

    @Test
    void thePublishPayloadIsASliceOfTheReceivedBufferNotACopy() {
        byte[] publish = publishOfSize(40);
        ByteBuf received = Unpooled.buffer(publish.length).writeBytes(publish);
        EmbeddedChannel channel = new EmbeddedChannel(new MqttPacketDecoder(DecoderChannel.LARGE_MAX_PACKET_SIZE,
                DecoderChannel.MQTT_3_1_MAX_CLIENT_ID_LENGTH));
        try {
            channel.writeInbound(received);
            MqttPublishMessage message = channel.readInbound();

            assertThat(message.payload().array()).isSameAs(received.array());
            message.release();
        } finally {
            channel.finishAndReleaseAll();
        }
        assertThat(received.refCnt()).isZero();
    }

    @Test
    void afterAnMqtt5ConnectNettysEncoderWritesMqtt5Packets() {
        EmbeddedChannel channel = new EmbeddedChannel(new MqttPacketDecoder(DecoderChannel.LARGE_MAX_PACKET_SIZE,
                DecoderChannel.MQTT_3_1_MAX_CLIENT_ID_LENGTH), MqttEncoder.INSTANCE);
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(connect(5)));
            MqttMessage connect = channel.readInbound();
            assertThat(((MqttConnectVariableHeader) connect.variableHeader()).version()).isEqualTo(5);

            channel.writeOutbound(connackWithSessionExpiry());
            ByteBuf written = channel.readOutbound();

            // CONNACK, Remaining Length 8: flags, reason code, Property Length 5, Session Expiry Interval 60.
            assertThat(ByteBufUtil.hexDump(written)).isEqualTo("200800000511" + "0000003c");
            assertThat(ByteBufUtil.getBytes(written))
                    .isEqualTo(Encoding.encode(MqttVersion.MQTT_5, connackWithSessionExpiry()));
            written.release();
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void afterAnMqtt311ConnectNettysEncoderWritesMqtt311Packets() {
        EmbeddedChannel channel = new EmbeddedChannel(new MqttPacketDecoder(DecoderChannel.LARGE_MAX_PACKET_SIZE,
                DecoderChannel.MQTT_3_1_MAX_CLIENT_ID_LENGTH), MqttEncoder.INSTANCE);
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(connect(4)));
            channel.<MqttMessage>readInbound();

            channel.writeOutbound(connackWithSessionExpiry());
            ByteBuf written = channel.readOutbound();

            assertThat(ByteBufUtil.hexDump(written)).isEqualTo("20020000");
            written.release();
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void anMqtt5ConnectThatFailsLaterStillSetsTheChannelToMqtt5ForTheRefusingConnack() {
        byte[] duplicateProperty = packet(0x10, body().utf8("MQTT").bytes(5, 0x02).twoByteInteger(60)
                .properties(body().bytes(0x21).twoByteInteger(1).bytes(0x21).twoByteInteger(2)).utf8("c"));
        try (DecoderChannel channel = DecoderChannel.estafeta(Peer.CLIENT, null)) {
            List<MqttMessage> messages = channel.feed(duplicateProperty).messages();

            assertThat(messages.getFirst().decoderResult().isFailure()).isTrue();
            assertThat(channel.channelVersion()).isEqualTo(MqttVersion.MQTT_5);
        }
    }

    @Test
    void aSecondConnectDoesNotChangeTheVersionTheConnectionSpeaks_MQTT_3_1_0_2() {
        try (DecoderChannel channel = DecoderChannel.estafeta(Peer.CLIENT, null)) {
            List<MqttMessage> messages = channel.feed(connect(5)).feed(connect(4)).messages();

            assertThat(messages).hasSize(2).allSatisfy(message -> assertThat(message.decoderResult().isSuccess()).isTrue());
            assertThat(((MqttConnectVariableHeader) messages.get(1).variableHeader()).version()).isEqualTo(4);
            assertThat(channel.channelVersion()).isEqualTo(MqttVersion.MQTT_5);
        }
    }

    @Test
    void anUnknownProtocolLevelFailsWithNettysExceptionAndReasonCode0x84_MQTT_3_1_2_2() {
        byte[] level6 = packet(0x10, body().utf8("MQTT").bytes(6, 0x02).twoByteInteger(60).utf8("c"));
        try (DecoderChannel channel = DecoderChannel.estafeta(Peer.CLIENT, null)) {
            Throwable cause = channel.feed(level6).messages().getFirst().decoderResult().cause();

            assertThat(cause).isInstanceOf(MqttUnacceptableProtocolVersionException.class);
            assertThat(MqttDecodingException.reasonCodeOf(cause)).isEqualTo(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION);
            // Like Netty: the channel keeps no version, so a refusing CONNACK goes out in MQTT 3.1.1 form.
            assertThat(channel.channelVersion()).isNull();
        }
    }

    @Test
    void aBridgeMarkOnA311LevelIsReadAsTheLevelAndRemembered() {
        // Mosquitto's try_private: 0x80 | 4. Outside the specification, accepted as Mosquitto accepts it.
        byte[] bridge = packet(0x10, body().utf8("MQTT").bytes(0x84, 0x02).twoByteInteger(60).utf8("c"));
        try (DecoderChannel channel = DecoderChannel.estafeta(Peer.CLIENT, null)) {
            MqttMessage connect = channel.feed(bridge).messages().getFirst();

            assertThat(connect.decoderResult().isSuccess()).isTrue();
            assertThat(((MqttConnectVariableHeader) connect.variableHeader()).version()).isEqualTo(4);
            assertThat(channel.announcedBridge()).isTrue();
        }
    }

    @Test
    void aPlainConnectIsNotABridge() {
        try (DecoderChannel channel = DecoderChannel.estafeta(Peer.CLIENT, null)) {
            channel.feed(connect(4)).messages();

            assertThat(channel.announcedBridge()).isFalse();
            // Idle connections are many: a plain one does not carry an attribute for the mark.
            assertThat(channel.hasBridgeAttribute()).isFalse();
        }
    }

    @Test
    void aBridgeMarkOnLevel5IsAnUnknownLevel() {
        byte[] marked5 = packet(0x10, body().utf8("MQTT").bytes(0x85, 0x02).twoByteInteger(60).bytes(0).utf8("c"));
        try (DecoderChannel channel = DecoderChannel.estafeta(Peer.CLIENT, null)) {
            Throwable cause = channel.feed(marked5).messages().getFirst().decoderResult().cause();

            assertThat(cause).isInstanceOf(MqttUnacceptableProtocolVersionException.class);
        }
    }

    @Test
    void aProtocolNameThatDoesNotMatchTheLevelFailsWithNettysException() {
        byte[] mismatch = packet(0x10, body().utf8("MQIsdp").bytes(4, 0x02).twoByteInteger(60).utf8("c"));
        try (DecoderChannel channel = DecoderChannel.estafeta(Peer.CLIENT, null)) {
            Throwable cause = channel.feed(mismatch).messages().getFirst().decoderResult().cause();

            assertThat(cause).isInstanceOf(MqttUnacceptableProtocolVersionException.class);
        }
    }

    @Test
    void anMqtt31ClientIdentifierOfMoreThan23CharactersFailsWithNettysExceptionAndReasonCode0x85() {
        byte[] longId = packet(0x10, body().utf8("MQIsdp").bytes(3, 0x02).twoByteInteger(60).utf8("c".repeat(24)));
        try (DecoderChannel channel = DecoderChannel.estafeta(Peer.CLIENT, null)) {
            MqttMessage failed = channel.feed(longId).messages().getFirst();

            assertThat(failed.decoderResult().cause()).isInstanceOf(MqttIdentifierRejectedException.class);
            assertThat(MqttDecodingException.reasonCodeOf(failed.decoderResult().cause()))
                    .isEqualTo(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
            // The failure is in the payload: as from Netty's decoder, the variable header comes with it.
            assertThat(failed.variableHeader()).isInstanceOf(MqttConnectVariableHeader.class);
            assertThat(channel.channelVersion()).isEqualTo(MqttVersion.MQTT_3_1);
        }
    }

    @Test
    void anEmptyMqtt31ClientIdentifierFailsWithNettysException() {
        byte[] emptyId = packet(0x10, body().utf8("MQIsdp").bytes(3, 0x02).twoByteInteger(60).utf8(""));
        try (DecoderChannel channel = DecoderChannel.estafeta(Peer.CLIENT, null)) {
            Throwable cause = channel.feed(emptyId).messages().getFirst().decoderResult().cause();

            assertThat(cause).isInstanceOf(MqttIdentifierRejectedException.class);
        }
    }

    @Test
    void nettysTooLongFrameExceptionMapsToPacketTooLarge() {
        assertThat(MqttDecodingException.reasonCodeOf(new TooLongFrameException("too long")))
                .isEqualTo(ReasonCode.PACKET_TOO_LARGE);
        assertThat(MqttDecodingException.reasonCodeOf(new IllegalStateException())).isEqualTo(ReasonCode.MALFORMED_PACKET);
    }

    @BeforeAll
    static void trackEveryBuffer() {
        LeakDetection.enable();
    }

    @AfterAll
    static void noBufferLeaked() {
        assertThat(LeakDetection.reportedLeaks()).isEmpty();
    }

    /** An MQTT 3.1.1 QoS 0 PUBLISH to "t" of exactly {@code size} bytes, fixed header included (size below 130). */
    private static byte[] publishOfSize(int size) {
        int topicField = 3;
        int headerBytes = 2;
        return packet(PUBLISH_QOS_0, body().utf8("t").raw(new byte[size - headerBytes - topicField]));
    }

    private static byte[] connect(int level) {
        PacketBytes body = body().utf8("MQTT").bytes(level, 0x02).twoByteInteger(60);
        if (level == 5) {
            body.noProperties();
        }
        return packet(0x10, body.utf8("c"));
    }

    private static MqttConnAckMessage connackWithSessionExpiry() {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL, 60));
        return new MqttConnAckMessage(new MqttFixedHeader(MqttMessageType.CONNACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttConnAckVariableHeader(MqttConnectReturnCode.CONNECTION_ACCEPTED, false, properties));
    }

    private static byte[] concat(byte[]... parts) {
        PacketBytes all = body();
        for (byte[] part : parts) {
            all.raw(part);
        }
        return all.toByteArray();
    }
}
