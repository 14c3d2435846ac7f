package io.estafeta.broker.transport;

import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.message.MessageProperties;
import io.estafeta.broker.message.UserProperty;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our PUBLISH encoding against Netty's {@code MqttEncoder}, byte for byte (see {@link PublishEncodings} for the
 * one liberty: the order of single-valued properties), and its size against the bytes it writes.
 */
class PublishPacketTest {

    private static final String TOPIC = "sensors/building-7/temperature";
    private static final long NOW = 1_700_000_000_000L;
    private static final byte[] PAYLOAD = "21.5".getBytes(StandardCharsets.UTF_8);

    private static ApplicationMessage message(String topic, byte[] payload) {
        return new ApplicationMessage(topic, payload, 1, false, "publisher");
    }

    private static ApplicationMessage message5(MessageProperties properties, long expiresAtMillis) {
        return new ApplicationMessage(TOPIC, PAYLOAD, 1, false, "publisher", properties, expiresAtMillis);
    }

    private static MessageProperties properties(int payloadFormat, String contentType, String responseTopic,
                                                byte[] correlationData, UserProperty... users) {
        return new MessageProperties(payloadFormat, contentType, responseTopic, correlationData, List.of(users));
    }

    /** Equal to Netty's bytes, both ways of writing the payload, and as long as {@link PublishPacket#size()} says. */
    private static void assertEncodesLikeNetty(PublishEncodings delivery) {
        byte[] netty = delivery.nettyBytes();
        assertThat(delivery.copiedPayloadBytes()).as("payload copied").isEqualTo(netty);
        assertThat(delivery.sharedPayloadBytes()).as("payload shared").isEqualTo(netty);
        assertThat(delivery.packet().size()).as("size()").isEqualTo(netty.length);
    }

    @ParameterizedTest
    @CsvSource({
            "MQTT_3_1_1, 0, false, false, 0",
            "MQTT_3_1_1, 0, false, true, 0",
            "MQTT_3_1_1, 1, false, false, 1",
            "MQTT_3_1_1, 1, true, false, 513",
            "MQTT_3_1_1, 2, false, true, 65535",
            "MQTT_3_1_1, 2, true, true, 42",
            "MQTT_3_1, 0, false, false, 0",
            "MQTT_3_1, 1, true, true, 7",
            "MQTT_5, 0, false, false, 0",
            "MQTT_5, 0, false, true, 0",
            "MQTT_5, 1, true, false, 300",
            "MQTT_5, 2, true, true, 65535",
    })
    void fixedHeaderFlagsAndPacketIdentifierAreEncodedAsNettyEncodesThem(MqttVersion version, int qos, boolean dup,
                                                                        boolean retain, int packetId) {
        assertEncodesLikeNetty(PublishEncodings.of(version, message(TOPIC, PAYLOAD)).withFlags(qos, dup, retain, packetId));
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    void aTopicOutsideAsciiIsEncodedInUtf8AsNettyEncodesIt(MqttVersion version) {
        // Two-, three- and four-byte UTF-8 sequences (a surrogate pair in the String).
        String topic = "capteurs/température/北京/\uD83D\uDE00";
        assertEncodesLikeNetty(PublishEncodings.of(version, message(topic, PAYLOAD)));
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"MQTT_3_1_1", "MQTT_5"})
    void anEmptyPayloadIsEncodedAsNettyEncodesIt(MqttVersion version) {
        assertEncodesLikeNetty(PublishEncodings.of(version, message(TOPIC, new byte[0])).withFlags(1, false, false, 9));
    }

    /**
     * Remaining Length is a Variable Byte Integer of 1 to 4 bytes (1.5.5): each side of each boundary (127/128,
     * 16,383/16,384, 2,097,151/2,097,152).
     */
    @ParameterizedTest
    @ValueSource(ints = {127, 128, 16_383, 16_384, 2_097_151, 2_097_152})
    void remainingLengthsOfOneToFourBytesAreEncodedAsNettyEncodesThem(int remainingLength) {
        // 3.1.1 QoS 0: Remaining Length = 2 + topic + payload.
        byte[] payload = new byte[remainingLength - 2 - TOPIC.length()];
        PublishEncodings delivery = PublishEncodings.of(MqttVersion.MQTT_3_1_1, message(TOPIC, payload));
        assertEncodesLikeNetty(delivery);
        int lengthBytes = PublishPacket.variableByteIntegerSize(remainingLength);
        assertThat(delivery.packet().size()).isEqualTo(1 + lengthBytes + remainingLength);
    }

    @Test
    void payloadFormatIndicatorIsEncodedAsNettyEncodesIt() {
        assertEncodesLikeNetty(PublishEncodings.of(MqttVersion.MQTT_5,
                message5(properties(1, null, null, null), ApplicationMessage.NEVER_EXPIRES)));
    }

    /** [MQTT-3.3.2-6] the interval sent is what remains, here 10 s (rounded up) of a message expiring in 9.5 s. */
    @Test
    void remainingMessageExpiryIntervalIsEncodedAsNettyEncodesIt() {
        assertEncodesLikeNetty(PublishEncodings.of(MqttVersion.MQTT_5,
                message5(MessageProperties.NONE, NOW + 9_500)).at(NOW));
    }

    @Test
    void theLargestMessageExpiryIntervalIsEncodedAsAnUnsignedFourByteInteger() {
        long seconds = Mqtt5Properties.UNSIGNED_INT_MAX;
        assertEncodesLikeNetty(PublishEncodings.of(MqttVersion.MQTT_5,
                message5(MessageProperties.NONE, NOW + seconds * 1000)).at(NOW));
    }

    @Test
    void contentTypeAndResponseTopicAreEncodedAsNettyEncodesThem() {
        assertEncodesLikeNetty(PublishEncodings.of(MqttVersion.MQTT_5,
                message5(properties(MessageProperties.UNSPECIFIED, "application/json; charset=utf-8",
                        "réponses/client-1", null), ApplicationMessage.NEVER_EXPIRES)));
    }

    @Test
    void correlationDataIsEncodedAsNettyEncodesIt() {
        assertEncodesLikeNetty(PublishEncodings.of(MqttVersion.MQTT_5,
                message5(properties(MessageProperties.UNSPECIFIED, null, null, new byte[] {0, 1, (byte) 0xFF}),
                        ApplicationMessage.NEVER_EXPIRES)));
    }

    /** [MQTT-3.3.2-18] User Properties keep their order, a name may repeat. */
    @Test
    void userPropertiesAreEncodedInTheirOrderAsNettyEncodesThem() {
        assertEncodesLikeNetty(PublishEncodings.of(MqttVersion.MQTT_5,
                message5(properties(MessageProperties.UNSPECIFIED, null, null, null,
                        new UserProperty("z", "1"), new UserProperty("a", "2"), new UserProperty("z", "3"),
                        new UserProperty("clé", ""), new UserProperty("", "值")), ApplicationMessage.NEVER_EXPIRES)));
    }

    /** [MQTT-3.3.4-3] one Subscription Identifier per matching subscription; up to 268,435,455 (4 bytes). */
    @Test
    void subscriptionIdentifiersAreEncodedAsNettyEncodesThem() {
        assertEncodesLikeNetty(PublishEncodings.of(MqttVersion.MQTT_5, message(TOPIC, PAYLOAD))
                .withSubscriptionIds(1, 127, 128, 16_384, 268_435_455));
    }

    @Test
    void aNewTopicAliasIsSentWithTheTopicAsNettyEncodesIt() {
        assertEncodesLikeNetty(PublishEncodings.of(MqttVersion.MQTT_5, message(TOPIC, PAYLOAD)).withTopicAlias(3, false));
    }

    /** A topic alias the client knows replaces the topic: an empty Topic Name (3.3.2.3.4). */
    @Test
    void aKnownTopicAliasIsSentWithAnEmptyTopicAsNettyEncodesIt() {
        PublishEncodings delivery = PublishEncodings.of(MqttVersion.MQTT_5, message(TOPIC, PAYLOAD))
                .withTopicAlias(65_535, true);
        assertEncodesLikeNetty(delivery);
        assertThat(delivery.copiedPayloadBytes()[2]).as("Topic Name length, high byte").isZero();
        assertThat(delivery.copiedPayloadBytes()[3]).as("Topic Name length, low byte").isZero();
    }

    @Test
    void everyPropertyKindTogetherIsEncodedAsNettyEncodesThem() {
        ApplicationMessage message = message5(properties(0, "text/plain", "replies", new byte[] {42},
                new UserProperty("k", "v"), new UserProperty("k2", "v2")), NOW + 60_000);
        assertEncodesLikeNetty(PublishEncodings.of(MqttVersion.MQTT_5, message).at(NOW)
                .withFlags(2, true, true, 1234).withSubscriptionIds(5, 70_000).withTopicAlias(2, false));
    }

    @Test
    void theComparisonPutsNettysPropertiesInIdentifierOrderOnly() {
        // Response Topic (8) and Message Expiry (2): Netty's map happens to write 8 first. The comparison
        // reorders them; it must not hide anything else, so the two encodings are still the same length and
        // the same bytes up to the properties.
        ApplicationMessage message = message5(properties(MessageProperties.UNSPECIFIED, null, "r", null),
                NOW + 5_000);
        PublishEncodings delivery = PublishEncodings.of(MqttVersion.MQTT_5, message).at(NOW);
        byte[] asWritten = delivery.nettyEncoderBytes();
        byte[] reordered = delivery.nettyBytes();
        assertThat(reordered).hasSameSizeAs(asWritten).isNotEqualTo(asWritten);
        assertThat(delivery.copiedPayloadBytes()).isEqualTo(reordered);
    }
}
