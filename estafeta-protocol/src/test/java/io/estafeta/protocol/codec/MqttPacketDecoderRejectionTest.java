package io.estafeta.protocol.codec;

import static io.estafeta.protocol.codec.MqttDecodingException.ReasonCode.MALFORMED_PACKET;
import static io.estafeta.protocol.codec.MqttDecodingException.ReasonCode.PROTOCOL_ERROR;
import static io.estafeta.protocol.codec.MqttDecodingException.ReasonCode.TOPIC_ALIAS_INVALID;
import static io.estafeta.protocol.codec.MqttDecodingException.ReasonCode.TOPIC_NAME_INVALID;
import static io.estafeta.protocol.codec.PacketBytes.body;
import static io.estafeta.protocol.codec.PacketBytes.packet;
import static io.netty.handler.codec.mqtt.MqttVersion.MQTT_3_1_1;
import static io.netty.handler.codec.mqtt.MqttVersion.MQTT_5;
import static org.assertj.core.api.Assertions.assertThat;

import io.estafeta.protocol.codec.MqttDecodingException.ReasonCode;
import io.estafeta.protocol.codec.MqttPacketDecoder.Peer;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttVersion;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hand-built invalid packets, each breaking one rule, and the reason code and rule the decoder reports.
 * The test name of each case names the rule and, where the specification numbers it, its statement id;
 * the failure message must cite the same id.
 */
class MqttPacketDecoderRejectionTest {

    private static final int CONNECT = 0x10;
    private static final int CONNACK = 0x20;
    private static final int PUBLISH_QOS_0 = 0x30;
    private static final int PUBLISH_QOS_1 = 0x32;
    private static final int PUBACK = 0x40;
    private static final int PUBREL = 0x62;
    private static final int SUBSCRIBE = 0x82;
    private static final int SUBACK = 0x90;
    private static final int UNSUBSCRIBE = 0xA2;
    private static final int UNSUBACK = 0xB0;
    private static final int PINGREQ = 0xC0;
    private static final int DISCONNECT = 0xE0;
    private static final int AUTH = 0xF0;
    private static final byte[] PINGREQ_PACKET = {(byte) PINGREQ, 0};

    /** One invalid packet: on a channel speaking {@code version}, from {@code sender}. */
    record Rejection(String rule, MqttVersion version, Peer sender, byte[] bytes, ReasonCode reasonCode,
            String messagePart) {
        @Override
        public String toString() {
            return rule + " (" + (version == MQTT_5 ? "5.0" : "3.1.1") + ")";
        }
    }

    static Stream<Rejection> rejections() {
        return Stream.of(
                // ------------------------------------------------------------ fixed header
                fromClient("packet type 0 is reserved", MQTT_3_1_1, new byte[] {0x00, 0x00}, MALFORMED_PACKET,
                        "type 0"),
                fromClient("[MQTT-2.2.2-1] CONNECT with a flag bit set", MQTT_3_1_1, new byte[] {0x11, 0x00},
                        MALFORMED_PACKET, "[MQTT-2.2.2-1]"),
                fromClient("[MQTT-2.1.3-1] PINGREQ with a flag bit set", MQTT_5, new byte[] {(byte) 0xC1, 0x00},
                        MALFORMED_PACKET, "[MQTT-2.1.3-1]"),
                fromClient("[MQTT-3.6.1-1] PUBREL with flags 0000", MQTT_5, packet(0x60, body().twoByteInteger(1)),
                        MALFORMED_PACKET, "[MQTT-3.6.1-1]"),
                fromClient("[MQTT-3.8.1-1] SUBSCRIBE with flags 0000", MQTT_3_1_1,
                        packet(0x80, body().twoByteInteger(1).utf8("a").bytes(0)), MALFORMED_PACKET, "[MQTT-3.8.1-1]"),
                fromClient("[MQTT-3.10.1-1] UNSUBSCRIBE with flags 0011", MQTT_3_1_1,
                        packet(0xA3, body().twoByteInteger(1).utf8("a")), MALFORMED_PACKET, "[MQTT-3.10.1-1]"),
                fromClient("[MQTT-3.14.1-1] DISCONNECT with a flag bit set", MQTT_5, new byte[] {(byte) 0xE8, 0x00},
                        MALFORMED_PACKET, "[MQTT-3.14.1-1]"),
                fromClient("[MQTT-3.15.1-1] AUTH with a flag bit set", MQTT_5, new byte[] {(byte) 0xF1, 0x00},
                        MALFORMED_PACKET, "[MQTT-3.15.1-1]"),
                fromClient("[MQTT-3.3.1-4] PUBLISH with QoS 3", MQTT_3_1_1,
                        packet(0x36, body().utf8("a").twoByteInteger(1)), MALFORMED_PACKET, "[MQTT-3.3.1-4]"),
                fromClient("[MQTT-3.3.1-2] PUBLISH with QoS 0 and DUP", MQTT_3_1_1, packet(0x38, body().utf8("a")),
                        MALFORMED_PACKET, "[MQTT-3.3.1-2]"),
                fromClient("[MQTT-3.3.1-2] PUBLISH with QoS 0 and DUP", MQTT_5, packet(0x38, body().utf8("a").noProperties()),
                        MALFORMED_PACKET, "[MQTT-3.3.1-2]"),
                fromClient("AUTH is packet type 15, reserved before MQTT 5.0", MQTT_3_1_1, new byte[] {(byte) AUTH, 0x00},
                        MALFORMED_PACKET, "type 15"),
                fromClient("CONNACK only flows from server to client", MQTT_3_1_1, new byte[] {CONNACK, 0x02, 0x00, 0x00},
                        PROTOCOL_ERROR, "sent only by a server"),
                fromServer("SUBSCRIBE only flows from client to server", MQTT_3_1_1,
                        packet(SUBSCRIBE, body().twoByteInteger(1).utf8("a").bytes(0)), PROTOCOL_ERROR,
                        "sent only by a client"),

                // ------------------------------------------------------------ Remaining Length and field bounds
                fromClient("[MQTT-1.5.5-1] Remaining Length not in the minimum number of bytes", MQTT_5,
                        new byte[] {(byte) PINGREQ, (byte) 0x80, 0x00}, MALFORMED_PACKET, "[MQTT-1.5.5-1]"),
                fromClient("PINGREQ with a Remaining Length of 1", MQTT_3_1_1, new byte[] {(byte) PINGREQ, 0x01, 0x00},
                        MALFORMED_PACKET, "PINGREQ is followed by 1 bytes"),
                fromClient("a string whose length runs past the end of the packet", MQTT_3_1_1,
                        packet(PUBLISH_QOS_0, body().twoByteInteger(5).bytes('a')), MALFORMED_PACKET,
                        "runs past the end of the packet"),
                fromClient("a string length that runs past the end of the packet", MQTT_3_1_1,
                        packet(PUBLISH_QOS_0, body().bytes(0)), MALFORMED_PACKET, "runs past the end of the packet"),
                fromClient("a Packet Identifier that runs past the end of the packet", MQTT_3_1_1,
                        packet(PUBLISH_QOS_1, body().utf8("a").bytes(0)), MALFORMED_PACKET, "the Packet Identifier"),
                fromClient("a Property Length that runs past the end of the packet", MQTT_5,
                        packet(PUBLISH_QOS_0, body().utf8("a").bytes(5, 0x01)), MALFORMED_PACKET,
                        "the properties of PUBLISH"),
                fromClient("a property value that runs past its property block", MQTT_5,
                        packet(PUBLISH_QOS_0, body().utf8("a").bytes(2, 0x02, 0x00, 0x00, 0x00, 0x01)), MALFORMED_PACKET,
                        "Message Expiry Interval"),
                fromClient("a Property Length longer than four bytes", MQTT_5,
                        packet(PUBLISH_QOS_0, body().utf8("a").bytes(0x80, 0x80, 0x80, 0x80, 0x01)), MALFORMED_PACKET,
                        "four bytes"),
                fromClient("an MQTT 3.1.1 PUBACK longer than its Packet Identifier", MQTT_3_1_1,
                        packet(PUBACK, body().twoByteInteger(1).bytes(0)), MALFORMED_PACKET,
                        "PUBACK is followed by 1 bytes"),
                fromClient("an MQTT 3.1.1 DISCONNECT with a body", MQTT_3_1_1, new byte[] {(byte) DISCONNECT, 0x01, 0x00},
                        MALFORMED_PACKET, "DISCONNECT is followed by 1 bytes"),
                fromServer("an MQTT 3.1.1 UNSUBACK with reason codes", MQTT_3_1_1,
                        packet(UNSUBACK, body().twoByteInteger(1).bytes(0)), MALFORMED_PACKET, "UNSUBACK"),
                fromClient("a SUBSCRIBE topic filter without its options byte", MQTT_3_1_1,
                        packet(SUBSCRIBE, body().twoByteInteger(1).utf8("a")), MALFORMED_PACKET, "Subscription Options"),

                // ------------------------------------------------------------ UTF-8
                fromClient("[MQTT-1.5.3-1] overlong UTF-8 in a Topic Name", MQTT_3_1_1,
                        packet(PUBLISH_QOS_0, body().stringOfBytes(0xC0, 0x80)), MALFORMED_PACKET, "[MQTT-1.5.3-1]"),
                fromClient("[MQTT-1.5.4-1] an encoded surrogate in a Topic Name", MQTT_5,
                        packet(PUBLISH_QOS_0, body().stringOfBytes(0xED, 0xA0, 0x80).noProperties()), MALFORMED_PACKET,
                        "[MQTT-1.5.4-1]"),
                fromClient("[MQTT-1.5.4-1] a truncated UTF-8 sequence in a Topic Filter", MQTT_5,
                        packet(UNSUBSCRIBE, body().twoByteInteger(1).noProperties().stringOfBytes('a', 0xE2, 0x82)),
                        MALFORMED_PACKET, "[MQTT-1.5.4-1]"),
                fromClient("[MQTT-1.5.4-1] a code point above U+10FFFF in a Client Identifier", MQTT_5,
                        packet(CONNECT, connect5Header(body()).stringOfBytes(0xF4, 0x90, 0x80, 0x80)), MALFORMED_PACKET,
                        "[MQTT-1.5.4-1]"),
                fromClient("[MQTT-1.5.3-2] U+0000 in a Topic Name", MQTT_3_1_1,
                        packet(PUBLISH_QOS_0, body().stringOfBytes('a', 0x00)), MALFORMED_PACKET, "[MQTT-1.5.3-2]"),
                fromClient("[MQTT-1.5.4-1] ill-formed UTF-8 in a User Property value", MQTT_5,
                        packet(PUBLISH_QOS_0, body().utf8("a").properties(body().bytes(0x26).utf8("k").stringOfBytes(0xFF))),
                        MALFORMED_PACKET, "[MQTT-1.5.4-1]"),
                fromClient("[MQTT-1.5.4-2] U+0000 in a User Property name", MQTT_5,
                        packet(PUBLISH_QOS_0, body().utf8("a").properties(body().bytes(0x26).stringOfBytes(0x00).utf8("v"))),
                        MALFORMED_PACKET, "[MQTT-1.5.4-2]"),

                // ------------------------------------------------------------ Packet Identifier
                fromClient("[MQTT-2.3.1-1] PUBLISH QoS 1 with Packet Identifier 0", MQTT_3_1_1,
                        packet(PUBLISH_QOS_1, body().utf8("a").twoByteInteger(0)), PROTOCOL_ERROR, "[MQTT-2.3.1-1]"),
                fromClient("[MQTT-2.2.1-3] SUBSCRIBE with Packet Identifier 0", MQTT_5,
                        packet(SUBSCRIBE, body().twoByteInteger(0).noProperties().utf8("a").bytes(0)), PROTOCOL_ERROR,
                        "[MQTT-2.2.1-3]"),

                // ------------------------------------------------------------ CONNECT
                fromClient("[MQTT-3.1.2-3] CONNECT with the reserved flag set", null,
                        packet(CONNECT, body().utf8("MQTT").bytes(4, 0x03).twoByteInteger(60).utf8("c")),
                        MALFORMED_PACKET, "[MQTT-3.1.2-3]"),
                fromClient("[MQTT-3.1.2-3] CONNECT with the reserved flag set", null,
                        packet(CONNECT, body().utf8("MQTT").bytes(5, 0x03).twoByteInteger(60).noProperties().utf8("c")),
                        MALFORMED_PACKET, "[MQTT-3.1.2-3]"),
                fromClient("[MQTT-1.5.5-1] CONNECT whose Remaining Length is not minimal", null,
                        nonMinimalRemainingLength(CONNECT, connect5Header(body()).utf8("c")), MALFORMED_PACKET,
                        "[MQTT-1.5.5-1]"),
                fromClient("2.2.2.2 a Topic Alias in CONNECT: not valid for the packet type", null,
                        connect5(body().bytes(0x23).twoByteInteger(1)), MALFORMED_PACKET,
                        "Topic Alias (0x23) is not a property of CONNECT"),
                fromClient("2.2.2.2 a Will Delay Interval in CONNECT rather than its Will Properties", null,
                        connect5(body().bytes(0x18).fourByteInteger(1)), MALFORMED_PACKET, "Will Delay Interval"),
                fromClient("2.2.2.2 an unknown Property Identifier", null, connect5(body().bytes(0x05, 0x00)),
                        MALFORMED_PACKET, "unknown Property Identifier 5"),
                fromClient("[MQTT-1.5.5-1] a Property Identifier not in the minimum number of bytes", null,
                        connect5(body().bytes(0x91, 0x00).fourByteInteger(1)), MALFORMED_PACKET, "[MQTT-1.5.5-1]"),
                fromClient("3.1.2.11.2 Session Expiry Interval twice", null,
                        connect5(body().bytes(0x11).fourByteInteger(1).bytes(0x11).fourByteInteger(2)), PROTOCOL_ERROR,
                        "Session Expiry Interval (0x11) more than once"),
                fromClient("3.1.2.11.3 Receive Maximum 0", null, connect5(body().bytes(0x21).twoByteInteger(0)),
                        PROTOCOL_ERROR, "Receive Maximum (0x21) of 0"),
                fromClient("3.1.2.11.4 Maximum Packet Size 0", null, connect5(body().bytes(0x27).fourByteInteger(0)),
                        PROTOCOL_ERROR, "Maximum Packet Size (0x27) of 0"),
                fromClient("3.1.2.11.6 Request Response Information 2", null, connect5(body().bytes(0x19, 2)),
                        PROTOCOL_ERROR, "Request Response Information (0x19) of 2"),
                fromClient("3.1.2.11.7 Request Problem Information 2", null, connect5(body().bytes(0x17, 2)),
                        PROTOCOL_ERROR, "Request Problem Information (0x17) of 2"),
                fromClient("3.1.2.11.10 Authentication Data without Authentication Method", null,
                        connect5(body().bytes(0x16).twoByteInteger(1).bytes(7)), PROTOCOL_ERROR,
                        "Authentication Data but no Authentication Method"),
                fromClient("2.2.2.2 a Session Expiry Interval in the Will Properties", null,
                        connectWithWill5(body().bytes(0x11).fourByteInteger(1)), MALFORMED_PACKET,
                        "Session Expiry Interval (0x11) is not a property of the Will Properties"),
                fromClient("3.1.3.2.3 Payload Format Indicator 2 in the Will Properties", null,
                        connectWithWill5(body().bytes(0x01, 2)), PROTOCOL_ERROR, "Payload Format Indicator (0x01) of 2"),
                fromClient("3.1.3.2 a Will Delay Interval twice in the Will Properties", null,
                        connectWithWill5(body().bytes(0x18).fourByteInteger(1).bytes(0x18).fourByteInteger(1)),
                        PROTOCOL_ERROR, "more than once"),
                fromClient("a CONNECT whose fields end before its Remaining Length", null,
                        packet(CONNECT, connect5Header(body()).utf8("c").bytes(0)), MALFORMED_PACKET,
                        "the CONNECT payload is followed by 1 bytes"),

                // ------------------------------------------------------------ PUBLISH
                fromClient("[MQTT-3.3.2-2] a Topic Name with a wildcard", MQTT_3_1_1,
                        packet(PUBLISH_QOS_0, body().utf8("a/+")), TOPIC_NAME_INVALID, "[MQTT-3.3.2-2]"),
                fromClient("[MQTT-3.3.2-8] Topic Alias 0", MQTT_5,
                        packet(PUBLISH_QOS_0, body().utf8("a").properties(body().bytes(0x23).twoByteInteger(0))),
                        TOPIC_ALIAS_INVALID, "[MQTT-3.3.2-8]"),
                fromClient("3.3.2.3.4 Topic Alias twice", MQTT_5,
                        packet(PUBLISH_QOS_0, body().utf8("a").properties(
                                body().bytes(0x23).twoByteInteger(1).bytes(0x23).twoByteInteger(2))),
                        PROTOCOL_ERROR, "Topic Alias (0x23) more than once"),
                fromClient("[MQTT-3.3.4-6] a Subscription Identifier in a PUBLISH from a client", MQTT_5,
                        packet(PUBLISH_QOS_0, body().utf8("a").properties(body().bytes(0x0B, 1))), PROTOCOL_ERROR,
                        "[MQTT-3.3.4-6]"),
                fromServer("3.3.2.3.8 Subscription Identifier 0 in a PUBLISH from a server", MQTT_5,
                        packet(PUBLISH_QOS_0, body().utf8("a").properties(body().bytes(0x0B, 0))), PROTOCOL_ERROR,
                        "Subscription Identifier (0x0B) of 0"),
                fromClient("3.3.2.3.2 Payload Format Indicator 2", MQTT_5,
                        packet(PUBLISH_QOS_0, body().utf8("a").properties(body().bytes(0x01, 2))), PROTOCOL_ERROR,
                        "Payload Format Indicator (0x01) of 2"),
                fromClient("3.3.2.3.9 Content Type twice", MQTT_5,
                        packet(PUBLISH_QOS_0, body().utf8("a")
                                .properties(body().bytes(0x03).utf8("x").bytes(0x03).utf8("y"))),
                        PROTOCOL_ERROR, "Content Type (0x03) more than once"),
                fromClient("[MQTT-3.3.2-14] a Response Topic with a wildcard", MQTT_5,
                        packet(PUBLISH_QOS_0, body().utf8("a").properties(body().bytes(0x08).utf8("r/#"))), PROTOCOL_ERROR,
                        "[MQTT-3.3.2-14]"),
                fromClient("3.3.2.1 an empty Topic Name without a Topic Alias", MQTT_5,
                        packet(PUBLISH_QOS_0, body().utf8("").noProperties()), PROTOCOL_ERROR, "no Topic Alias"),
                fromClient("2.2.2.2 a Reason String in PUBLISH", MQTT_5,
                        packet(PUBLISH_QOS_0, body().utf8("a").properties(body().bytes(0x1F).utf8("why"))), MALFORMED_PACKET,
                        "Reason String (0x1F) is not a property of PUBLISH"),

                // ------------------------------------------------------------ SUBSCRIBE and UNSUBSCRIBE
                fromClient("[MQTT-3-8.3-4] reserved bit 2 of the requested QoS byte", MQTT_3_1_1,
                        packet(SUBSCRIBE, body().twoByteInteger(1).utf8("a").bytes(0x04)), MALFORMED_PACKET,
                        "[MQTT-3-8.3-4]"),
                fromClient("[MQTT-3-8.3-4] requested QoS 3", MQTT_3_1_1,
                        packet(SUBSCRIBE, body().twoByteInteger(1).utf8("a").bytes(0x03)), MALFORMED_PACKET,
                        "[MQTT-3-8.3-4]"),
                fromClient("[MQTT-3.8.3-5] reserved bit 6 of the Subscription Options", MQTT_5,
                        packet(SUBSCRIBE, body().twoByteInteger(1).noProperties().utf8("a").bytes(0x40)), MALFORMED_PACKET,
                        "[MQTT-3.8.3-5]"),
                fromClient("[MQTT-3.8.3-5] reserved bit 7 of the Subscription Options", MQTT_5,
                        packet(SUBSCRIBE, body().twoByteInteger(1).noProperties().utf8("a").bytes(0x81)), MALFORMED_PACKET,
                        "[MQTT-3.8.3-5]"),
                fromClient("3.8.3.1 Maximum QoS 3 in the Subscription Options", MQTT_5,
                        packet(SUBSCRIBE, body().twoByteInteger(1).noProperties().utf8("a").bytes(0x03)), PROTOCOL_ERROR,
                        "Maximum QoS 3"),
                fromClient("3.8.3.1 Retain Handling 3 in the Subscription Options", MQTT_5,
                        packet(SUBSCRIBE, body().twoByteInteger(1).noProperties().utf8("a").bytes(0x30)), PROTOCOL_ERROR,
                        "Retain Handling 3"),
                fromClient("3.8.2.1.2 Subscription Identifier twice in SUBSCRIBE", MQTT_5,
                        packet(SUBSCRIBE, body().twoByteInteger(1).properties(body().bytes(0x0B, 1, 0x0B, 2))
                                .utf8("a").bytes(0)),
                        PROTOCOL_ERROR, "Subscription Identifier (0x0B) more than once"),
                fromClient("3.8.2.1.2 Subscription Identifier 0 in SUBSCRIBE", MQTT_5,
                        packet(SUBSCRIBE, body().twoByteInteger(1).properties(body().bytes(0x0B, 0)).utf8("a").bytes(0)),
                        PROTOCOL_ERROR, "Subscription Identifier (0x0B) of 0"),
                fromClient("[MQTT-3.8.3-3] SUBSCRIBE without a Topic Filter", MQTT_3_1_1,
                        packet(SUBSCRIBE, body().twoByteInteger(1)), PROTOCOL_ERROR, "[MQTT-3.8.3-3]"),
                fromClient("[MQTT-3.8.3-2] SUBSCRIBE without a Topic Filter", MQTT_5,
                        packet(SUBSCRIBE, body().twoByteInteger(1).noProperties()), PROTOCOL_ERROR, "[MQTT-3.8.3-2]"),
                fromClient("[MQTT-3.10.3-2] UNSUBSCRIBE without a Topic Filter", MQTT_3_1_1,
                        packet(UNSUBSCRIBE, body().twoByteInteger(1)), PROTOCOL_ERROR, "[MQTT-3.10.3-2]"),
                fromClient("[MQTT-3.10.3-2] UNSUBSCRIBE without a Topic Filter", MQTT_5,
                        packet(UNSUBSCRIBE, body().twoByteInteger(1).noProperties()), PROTOCOL_ERROR, "[MQTT-3.10.3-2]"),
                fromClient("2.2.2.2 a Subscription Identifier in UNSUBSCRIBE", MQTT_5,
                        packet(UNSUBSCRIBE, body().twoByteInteger(1).properties(body().bytes(0x0B, 1)).utf8("a")),
                        MALFORMED_PACKET, "is not a property of UNSUBSCRIBE"),

                // ------------------------------------------------------------ acknowledgements, DISCONNECT, AUTH
                fromClient("[MQTT-3.4.2-1] PUBACK with a reason code PUBACK does not have", MQTT_5,
                        packet(PUBACK, body().twoByteInteger(1).bytes(0x01)), PROTOCOL_ERROR, "[MQTT-3.4.2-1]"),
                fromClient("[MQTT-3.6.2-1] PUBREL with a PUBACK-only reason code", MQTT_5,
                        packet(PUBREL, body().twoByteInteger(1).bytes(0x10)), PROTOCOL_ERROR, "[MQTT-3.6.2-1]"),
                fromClient("3.4.2.2.2 Reason String twice in PUBACK", MQTT_5,
                        packet(PUBACK, body().twoByteInteger(1).bytes(0).properties(
                                body().bytes(0x1F).utf8("a").bytes(0x1F).utf8("b"))),
                        PROTOCOL_ERROR, "Reason String (0x1F) more than once"),
                fromClient("2.2.2.2 a Session Expiry Interval in PUBACK", MQTT_5,
                        packet(PUBACK, body().twoByteInteger(1).bytes(0).properties(body().bytes(0x11).fourByteInteger(1))),
                        MALFORMED_PACKET, "is not a property of PUBACK"),
                fromClient("[MQTT-3.14.2-1] DISCONNECT with a reason code DISCONNECT does not have", MQTT_5,
                        new byte[] {(byte) DISCONNECT, 0x01, 0x01}, PROTOCOL_ERROR, "[MQTT-3.14.2-1]"),
                fromServer("[MQTT-3.14.2-2] a Session Expiry Interval in a DISCONNECT from a server", MQTT_5,
                        packet(DISCONNECT, body().bytes(0).properties(body().bytes(0x11).fourByteInteger(1))),
                        PROTOCOL_ERROR, "[MQTT-3.14.2-2]"),
                fromClient("[MQTT-3.15.2-1] AUTH with a reason code AUTH does not have", MQTT_5,
                        packet(AUTH, body().bytes(0x01).properties(body().bytes(0x15).utf8("m"))), PROTOCOL_ERROR,
                        "[MQTT-3.15.2-1]"),
                fromClient("3.15.2.2.2 AUTH without an Authentication Method", MQTT_5,
                        packet(AUTH, body().bytes(0x18).noProperties()), PROTOCOL_ERROR, "without an Authentication Method"),
                fromServer("[MQTT-3.2.2-1] CONNACK with reserved acknowledge flags", MQTT_3_1_1,
                        new byte[] {CONNACK, 0x02, 0x02, 0x00}, MALFORMED_PACKET, "[MQTT-3.2.2-1]"),
                fromServer("3.2.2.3 CONNACK with an MQTT 3.1.1 return code above 5", MQTT_3_1_1,
                        new byte[] {CONNACK, 0x02, 0x00, 0x06}, PROTOCOL_ERROR, "return code 0x06"),
                fromServer("3.2.2.3.4 Maximum QoS 2 in CONNACK", MQTT_5,
                        packet(CONNACK, body().bytes(0, 0).properties(body().bytes(0x24, 2))), PROTOCOL_ERROR,
                        "Maximum QoS (0x24) of 2"),
                fromServer("3.2.2.3.5 Retain Available 2 in CONNACK", MQTT_5,
                        packet(CONNACK, body().bytes(0, 0).properties(body().bytes(0x25, 2))), PROTOCOL_ERROR,
                        "Retain Available (0x25) of 2"),
                fromServer("[MQTT-3.9.3-2] SUBACK with a return code MQTT 3.1.1 does not have", MQTT_3_1_1,
                        packet(SUBACK, body().twoByteInteger(1).bytes(0x03)), PROTOCOL_ERROR, "[MQTT-3.9.3-2]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejections")
    void anInvalidPacketFailsWithItsReasonCodeAndRule(Rejection rejection) {
        try (DecoderChannel channel = DecoderChannel.estafeta(rejection.sender(), rejection.version())) {
            List<MqttMessage> messages = channel.feed(rejection.bytes()).messages();

            assertThat(messages).hasSize(1);
            Throwable cause = messages.getFirst().decoderResult().cause();
            assertThat(cause).isInstanceOf(MqttDecodingException.class).hasMessageContaining(rejection.messagePart());
            assertThat(((MqttDecodingException) cause).reasonCode()).isEqualTo(rejection.reasonCode());
            assertThat(MqttDecodingException.reasonCodeOf(cause)).isEqualTo(rejection.reasonCode());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejections")
    void nothingAfterAnInvalidPacketIsDecoded(Rejection rejection) {
        try (DecoderChannel channel = DecoderChannel.estafeta(rejection.sender(), rejection.version())) {
            channel.feed(rejection.bytes()).feed(PINGREQ_PACKET);

            assertThat(channel.messages()).hasSize(1)
                    .allSatisfy(message -> assertThat(message.decoderResult().isFailure()).isTrue());
        }
    }

    @BeforeAll
    static void trackEveryBuffer() {
        LeakDetection.enable();
    }

    @AfterAll
    static void noBufferLeaked() {
        assertThat(LeakDetection.reportedLeaks()).isEmpty();
    }

    // ---------------------------------------------------------------- packet builders

    private static Rejection fromClient(String rule, MqttVersion version, byte[] bytes, ReasonCode code, String part) {
        return new Rejection(rule, version, Peer.CLIENT, bytes, code, part);
    }

    private static Rejection fromServer(String rule, MqttVersion version, byte[] bytes, ReasonCode code, String part) {
        return new Rejection(rule, version, Peer.SERVER, bytes, code, part);
    }

    /** An MQTT 5.0 CONNECT variable header: protocol name and level, clean start, keep-alive 60, no properties. */
    private static PacketBytes connect5Header(PacketBytes body) {
        return body.utf8("MQTT").bytes(5, 0x02).twoByteInteger(60).noProperties();
    }

    /** An MQTT 5.0 CONNECT with these CONNECT properties and client id "c". */
    private static byte[] connect5(PacketBytes properties) {
        return packet(CONNECT, body().utf8("MQTT").bytes(5, 0x02).twoByteInteger(60).properties(properties).utf8("c"));
    }

    /** An MQTT 5.0 CONNECT with a will whose Will Properties are these. */
    private static byte[] connectWithWill5(PacketBytes willProperties) {
        return packet(CONNECT, body().utf8("MQTT").bytes(5, 0x06).twoByteInteger(60).noProperties().utf8("c")
                .properties(willProperties).utf8("w").twoByteInteger(0));
    }

    /** A packet whose one-byte Remaining Length is sent in two bytes. */
    private static byte[] nonMinimalRemainingLength(int firstByte, PacketBytes body) {
        byte[] content = body.toByteArray();
        return body().bytes(firstByte, 0x80 | content.length, 0x00).raw(content).toByteArray();
    }
}
