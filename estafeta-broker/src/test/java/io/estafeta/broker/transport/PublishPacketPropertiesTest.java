package io.estafeta.broker.transport;

import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.message.MessageProperties;
import io.estafeta.broker.message.UserProperty;
import io.netty.handler.codec.mqtt.MqttVersion;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our PUBLISH encoding against Netty's {@code MqttEncoder} over generated deliveries: every protocol version,
 * flag, packet identifier, property and topic alias case, topics and strings outside ASCII, payloads from
 * empty to a three-byte Remaining Length.
 */
class PublishPacketPropertiesTest {

    private static final long NOW = 1_700_000_000_000L;
    private static final int MAX_PACKET_ID = 65_535;
    private static final int MAX_SUBSCRIPTION_ID = 268_435_455;
    private static final int MAX_TOPIC_ALIAS = 65_535;
    /** Any Message Expiry Interval, up to the largest there is. */
    private static final long MAX_EXPIRY_MILLIS = Mqtt5Properties.UNSIGNED_INT_MAX * 1000;

    @Property(tries = 500)
    void ourEncodingIsNettysEncoding(@ForAll("deliveries") PublishEncodings delivery) {
        byte[] netty = delivery.nettyBytes();
        assertThat(delivery.copiedPayloadBytes()).isEqualTo(netty);
        assertThat(delivery.sharedPayloadBytes()).isEqualTo(netty);
    }

    /** The Maximum Packet Size check ([MQTT-3.1.2-25]) uses size(): it must be the length written. */
    @Property(tries = 500)
    void sizeIsTheNumberOfBytesWritten(@ForAll("deliveries") PublishEncodings delivery) {
        assertThat(delivery.packet().size()).isEqualTo(delivery.copiedPayloadBytes().length)
                .isEqualTo(delivery.nettyEncoderBytes().length);
    }

    @Provide
    Arbitrary<PublishEncodings> deliveries() {
        Arbitrary<MqttVersion> versions = Arbitraries.of(MqttVersion.MQTT_3_1, MqttVersion.MQTT_3_1_1,
                MqttVersion.MQTT_5);
        Arbitrary<Flags> flags = Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.of(true, false),
                Arbitraries.of(true, false), Arbitraries.integers().between(1, MAX_PACKET_ID)).as(Flags::new);
        Arbitrary<int[]> subscriptionIds = Arbitraries.integers().between(1, MAX_SUBSCRIPTION_ID)
                .array(int[].class).ofMaxSize(4);
        Arbitrary<Integer> topicAliases = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(0)), Tuple.of(1, Arbitraries.integers().between(1, MAX_TOPIC_ALIAS)));
        return Combinators.combine(versions, messages(), flags, subscriptionIds, topicAliases,
                        Arbitraries.of(true, false))
                .as((version, message, flag, ids, alias, aliasKnown) -> {
                    PublishEncodings delivery = PublishEncodings.of(version, message).at(NOW)
                            .withFlags(flag.qos(), flag.dup(), flag.retain(), flag.qos() > 0 ? flag.packetId() : 0);
                    // 3.1 and 3.1.1 know neither Subscription Identifiers nor topic aliases.
                    return version == MqttVersion.MQTT_5
                            ? delivery.withSubscriptionIds(ids).withTopicAlias(alias, alias > 0 && aliasKnown)
                            : delivery;
                });
    }

    private record Flags(int qos, boolean dup, boolean retain, int packetId) {
    }

    private static Arbitrary<ApplicationMessage> messages() {
        Arbitrary<MessageProperties> properties = Combinators.combine(
                        Arbitraries.of(MessageProperties.UNSPECIFIED, 0, 1),
                        texts().injectNull(0.6),
                        topics().injectNull(0.6),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(40).injectNull(0.6),
                        userProperties())
                .as(MessageProperties::new);
        Arbitrary<Long> expiresAt = Arbitraries.longs().between(0, MAX_EXPIRY_MILLIS).map(in -> NOW + in)
                .injectNull(0.5).map(at -> at == null ? ApplicationMessage.NEVER_EXPIRES : at);
        return Combinators.combine(topics(), payloads(), properties, expiresAt)
                .as((topic, payload, props, expiry) -> new ApplicationMessage(topic, payload, 2, false, "publisher",
                        props, expiry));
    }

    /** Any text a UTF-8 Encoded String may hold, outside ASCII too (no U+0000, no unpaired surrogate). */
    private static Arbitrary<String> texts() {
        Arbitrary<String> basicPlane = Arbitraries.strings().withCharRange('\u0001', '\uD7FF')
                .withCharRange('\uE000', '\uFFFF').ofMaxLength(30);
        Arbitrary<String> fewCharacters = Arbitraries.strings().withChars("ab/é北").ofMaxLength(10);
        Arbitrary<String> emoji = Arbitraries.integers().between(0x1F600, 0x1F64F).map(Character::toString);
        Arbitrary<String> maybeEmoji = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just("")), Tuple.of(1, emoji));
        return Combinators.combine(Arbitraries.oneOf(basicPlane, fewCharacters), maybeEmoji).as(String::concat);
    }

    private static Arbitrary<String> topics() {
        // A topic name holds no wildcard ([MQTT-3.3.2-2]) and is at least one character long ([MQTT-4.7.3-1]).
        return texts().map(text -> text.replace('+', '-').replace('#', '-')).filter(topic -> !topic.isEmpty());
    }

    /** Mostly small; some long enough for a Remaining Length of three bytes. */
    private static Arbitrary<byte[]> payloads() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.bytes().array(byte[].class).ofMaxSize(200)),
                Tuple.of(1, Arbitraries.integers().between(200, 20_000).map(byte[]::new)));
    }

    private static Arbitrary<List<UserProperty>> userProperties() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.just(List.of())),
                Tuple.of(1, Combinators.combine(texts(), texts()).as(UserProperty::new).list().ofMaxSize(4)));
    }
}
