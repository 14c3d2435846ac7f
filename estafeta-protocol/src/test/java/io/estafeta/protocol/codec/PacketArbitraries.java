package io.estafeta.protocol.codec;

import io.estafeta.protocol.codec.MqttPacketDecoder.Peer;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscribePayload;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption.RetainedHandlingPolicy;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribePayload;
import io.netty.handler.codec.mqtt.MqttVersion;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Random valid MQTT packets of every type and version, as Netty message objects: random topics, strings
 * from every UTF-8 length class, payloads, QoS, flags, reason codes and properties (every property in
 * every packet table 2-4 allows it in, with values the specification allows). "Valid" means valid by
 * the specification, so that both decoders must accept them and agree.
 */
final class PacketArbitraries {

    /** A packet to encode: a fresh message each time, since encoding releases a PUBLISH payload. */
    record PacketCase(String name, MqttVersion version, Peer sender, Supplier<MqttMessage> message) {
        @Override
        public String toString() {
            return name + " " + version + " from " + sender + ": " + message.get();
        }
    }

    private static final List<MqttVersion> VERSIONS = List.of(MqttVersion.MQTT_3_1, MqttVersion.MQTT_3_1_1,
            MqttVersion.MQTT_5);
    private static final int MAX_STRING = 12;
    private static final int MAX_PAYLOAD = 3000;
    private static final int MAX_PACKET_ID = 65535;
    private static final int MAX_SUBSCRIPTION_ID = 268_435_455;
    private static final int MAX_TWO_BYTE = 65535;
    private static final int MQTT_3_1_MAX_CLIENT_ID = 23;
    private static final int[] MQTT_3_SUBACK_CODES = {0x00, 0x01, 0x02, 0x80};

    private PacketArbitraries() {
    }

    /** Any packet, of any version, from the side that may send it. */
    static Arbitrary<PacketCase> anyPacket() {
        return Arbitraries.of(VERSIONS).flatMap(PacketArbitraries::anyPacket);
    }

    static Arbitrary<PacketCase> anyPacket(MqttVersion version) {
        List<Arbitrary<PacketCase>> cases = new ArrayList<>(List.of(
                connect(version), connack(version),
                publish(version, Peer.CLIENT), publish(version, Peer.SERVER),
                publishResponse(version, MqttMessageType.PUBACK), publishResponse(version, MqttMessageType.PUBREC),
                publishResponse(version, MqttMessageType.PUBREL), publishResponse(version, MqttMessageType.PUBCOMP),
                subscribe(version), suback(version), unsubscribe(version), unsuback(version),
                ping(version, MqttMessageType.PINGREQ, Peer.CLIENT), ping(version, MqttMessageType.PINGRESP, Peer.SERVER),
                disconnect(version, Peer.CLIENT), disconnect(version, Peer.SERVER)));
        if (version == MqttVersion.MQTT_5) {
            cases.add(auth(Peer.CLIENT));
            cases.add(auth(Peer.SERVER));
        }
        return Arbitraries.oneOf(cases);
    }

    /** Packets a client sends after its CONNECT, on a connection of {@code version}. */
    static Arbitrary<PacketCase> clientPacketAfterConnect(MqttVersion version) {
        List<Arbitrary<PacketCase>> cases = new ArrayList<>(List.of(
                publish(version, Peer.CLIENT),
                publishResponse(version, MqttMessageType.PUBACK).map(c -> fromClient(c)),
                publishResponse(version, MqttMessageType.PUBREL).map(c -> fromClient(c)),
                subscribe(version), unsubscribe(version), ping(version, MqttMessageType.PINGREQ, Peer.CLIENT),
                disconnect(version, Peer.CLIENT)));
        if (version == MqttVersion.MQTT_5) {
            cases.add(auth(Peer.CLIENT));
        }
        return Arbitraries.oneOf(cases);
    }

    // ---------------------------------------------------------------- packets

    static Arbitrary<PacketCase> connect(MqttVersion version) {
        boolean mqtt5 = version == MqttVersion.MQTT_5;
        Arbitrary<String> clientIds = version == MqttVersion.MQTT_3_1
                ? utf8Strings(MQTT_3_1_MAX_CLIENT_ID).filter(id -> !id.isEmpty() && id.length() <= MQTT_3_1_MAX_CLIENT_ID)
                : utf8Strings(MAX_STRING);
        Arbitrary<Optional<Will>> wills = Arbitraries.integers().between(0, 2).flatMap(qos -> Combinators.combine(
                        Arbitraries.of(true, false), topicNames(), bytes(MAX_STRING),
                        propertiesFor(version, PropertyContext.WILL, Peer.CLIENT))
                .as((retain, topic, payload, properties) -> new Will(qos, retain, topic, payload, properties)))
                .optional();
        Arbitrary<Optional<String>> userNames = utf8Strings(MAX_STRING).optional();
        Arbitrary<Optional<byte[]>> passwords = bytes(MAX_STRING).optional();
        Arbitrary<MqttProperties> connectProperties = mqtt5
                ? properties(PropertyContext.CONNECT, Peer.CLIENT)
                : Arbitraries.just(MqttProperties.NO_PROPERTIES);
        return Combinators.combine(clientIds, wills, userNames, passwords, Arbitraries.of(true, false),
                        Arbitraries.integers().between(0, MAX_TWO_BYTE), connectProperties)
                .as((clientId, will, userName, password, clean, keepAlive, properties) -> {
                    // MQTT 3.1.1 does not allow a password without a user name ([MQTT-3.1.2-22]); 5.0 does.
                    Optional<byte[]> sentPassword = mqtt5 || userName.isPresent() ? password : Optional.empty();
                    Supplier<MqttMessage> message = () -> new MqttConnectMessage(
                            header(MqttMessageType.CONNECT, false, MqttQoS.AT_MOST_ONCE, false),
                            new MqttConnectVariableHeader(version.protocolName(), version.protocolLevel(),
                                    userName.isPresent(), sentPassword.isPresent(),
                                    will.map(Will::retain).orElse(false), will.map(Will::qos).orElse(0),
                                    will.isPresent(), clean, keepAlive, properties),
                            new MqttConnectPayload(clientId, will.map(Will::properties).orElse(MqttProperties.NO_PROPERTIES),
                                    will.map(Will::topic).orElse(null), will.map(Will::payload).orElse(null),
                                    userName.orElse(null), sentPassword.orElse(null)));
                    return new PacketCase("CONNECT", version, Peer.CLIENT, message);
                });
    }

    static Arbitrary<PacketCase> connack(MqttVersion version) {
        boolean mqtt5 = version == MqttVersion.MQTT_5;
        boolean[] allowed = mqtt5 ? ReasonCodeTables.CONNACK_5 : ReasonCodeTables.CONNACK_3;
        Arbitrary<MqttConnectReturnCode> codes = Arbitraries.of(MqttConnectReturnCode.values())
                .filter(code -> allowed[code.byteValue() & 0xFF]);
        return Combinators.combine(codes, Arbitraries.of(true, false),
                        propertiesFor(version, PropertyContext.CONNACK, Peer.SERVER))
                .as((code, sessionPresent, properties) -> new PacketCase("CONNACK", version, Peer.SERVER,
                        () -> new MqttConnAckMessage(header(MqttMessageType.CONNACK, false, MqttQoS.AT_MOST_ONCE, false),
                                new MqttConnAckVariableHeader(code, sessionPresent, properties))));
    }

    static Arbitrary<PacketCase> publish(MqttVersion version, Peer sender) {
        boolean mqtt5 = version == MqttVersion.MQTT_5;
        Arbitrary<MqttQoS> qosLevels = Arbitraries.of(MqttQoS.AT_MOST_ONCE, MqttQoS.AT_LEAST_ONCE, MqttQoS.EXACTLY_ONCE);
        return Combinators.combine(qosLevels, Arbitraries.of(true, false), Arbitraries.of(true, false), topicNames(),
                        packetIds(), payloads(), propertiesFor(version, PropertyContext.PUBLISH, sender))
                .as((qos, dup, retain, topic, packetId, payload, properties) -> {
                    // [MQTT-3.3.1-2] DUP is 0 for QoS 0. An empty Topic Name needs a Topic Alias in 5.0.
                    boolean sentDup = dup && qos != MqttQoS.AT_MOST_ONCE;
                    boolean aliased = mqtt5 && properties.getProperty(MqttProperties.TOPIC_ALIAS) != null;
                    String sentTopic = topic.isEmpty() && !aliased ? "t" : topic;
                    int sentPacketId = qos == MqttQoS.AT_MOST_ONCE ? -1 : packetId;
                    return new PacketCase("PUBLISH", version, sender, () -> new MqttPublishMessage(
                            header(MqttMessageType.PUBLISH, sentDup, qos, retain),
                            new MqttPublishVariableHeader(sentTopic, sentPacketId, properties),
                            Unpooled.wrappedBuffer(payload)));
                });
    }

    static Arbitrary<PacketCase> publishResponse(MqttVersion version, MqttMessageType type) {
        boolean mqtt5 = version == MqttVersion.MQTT_5;
        PropertyContext context = PropertyContext.valueOf(type.name());
        boolean[] allowed = switch (type) {
            case PUBACK -> ReasonCodeTables.PUBACK;
            case PUBREC -> ReasonCodeTables.PUBREC;
            case PUBREL -> ReasonCodeTables.PUBREL;
            default -> ReasonCodeTables.PUBCOMP;
        };
        MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        return Combinators.combine(packetIds(), reasonCodes(allowed), propertiesFor(version, context, Peer.SERVER))
                .as((packetId, code, properties) -> new PacketCase(type.name(), version, Peer.SERVER,
                        () -> new MqttMessage(header(type, false, qos, false), new MqttPubReplyMessageVariableHeader(
                                packetId, mqtt5 ? code.byteValue() : 0, properties))));
    }

    static Arbitrary<PacketCase> subscribe(MqttVersion version) {
        boolean mqtt5 = version == MqttVersion.MQTT_5;
        Arbitrary<MqttSubscriptionOption> options = mqtt5
                ? Combinators.combine(Arbitraries.of(MqttQoS.AT_MOST_ONCE, MqttQoS.AT_LEAST_ONCE, MqttQoS.EXACTLY_ONCE),
                        Arbitraries.of(true, false), Arbitraries.of(true, false),
                        Arbitraries.of(RetainedHandlingPolicy.values()))
                .as(MqttSubscriptionOption::new)
                : Arbitraries.of(MqttQoS.AT_MOST_ONCE, MqttQoS.AT_LEAST_ONCE, MqttQoS.EXACTLY_ONCE)
                        .map(MqttSubscriptionOption::onlyFromQos);
        Arbitrary<List<MqttTopicSubscription>> subscriptions = Combinators.combine(topicFilters(), options)
                .as(MqttTopicSubscription::new).list().ofMinSize(1).ofMaxSize(4);
        return Combinators.combine(packetIds(), subscriptions,
                        propertiesFor(version, PropertyContext.SUBSCRIBE, Peer.CLIENT))
                .as((packetId, list, properties) -> new PacketCase("SUBSCRIBE", version, Peer.CLIENT,
                        () -> new MqttSubscribeMessage(header(MqttMessageType.SUBSCRIBE, false, MqttQoS.AT_LEAST_ONCE, false),
                                new MqttMessageIdAndPropertiesVariableHeader(packetId, properties),
                                new MqttSubscribePayload(list))));
    }

    static Arbitrary<PacketCase> suback(MqttVersion version) {
        boolean mqtt5 = version == MqttVersion.MQTT_5;
        Arbitrary<List<Integer>> codes = mqtt5
                ? reasonCodes(ReasonCodeTables.SUBACK_5).list().ofMinSize(1).ofMaxSize(4)
                : Arbitraries.of(IntStream.of(MQTT_3_SUBACK_CODES).boxed().toList()).list().ofMinSize(1).ofMaxSize(4);
        return Combinators.combine(packetIds(), codes, propertiesFor(version, PropertyContext.SUBACK, Peer.SERVER))
                .as((packetId, list, properties) -> new PacketCase("SUBACK", version, Peer.SERVER,
                        () -> new MqttSubAckMessage(header(MqttMessageType.SUBACK, false, MqttQoS.AT_MOST_ONCE, false),
                                new MqttMessageIdAndPropertiesVariableHeader(packetId, properties),
                                new MqttSubAckPayload(list))));
    }

    static Arbitrary<PacketCase> unsubscribe(MqttVersion version) {
        return Combinators.combine(packetIds(), topicFilters().list().ofMinSize(1).ofMaxSize(4),
                        propertiesFor(version, PropertyContext.UNSUBSCRIBE, Peer.CLIENT))
                .as((packetId, filters, properties) -> new PacketCase("UNSUBSCRIBE", version, Peer.CLIENT,
                        () -> new MqttUnsubscribeMessage(
                                header(MqttMessageType.UNSUBSCRIBE, false, MqttQoS.AT_LEAST_ONCE, false),
                                new MqttMessageIdAndPropertiesVariableHeader(packetId, properties),
                                new MqttUnsubscribePayload(filters))));
    }

    static Arbitrary<PacketCase> unsuback(MqttVersion version) {
        boolean mqtt5 = version == MqttVersion.MQTT_5;
        Arbitrary<List<Short>> codes = mqtt5
                ? reasonCodes(ReasonCodeTables.UNSUBACK_5).map(Integer::shortValue).list().ofMinSize(1).ofMaxSize(4)
                : Arbitraries.just(List.of());
        return Combinators.combine(packetIds(), codes, propertiesFor(version, PropertyContext.UNSUBACK, Peer.SERVER))
                .as((packetId, list, properties) -> new PacketCase("UNSUBACK", version, Peer.SERVER,
                        () -> new MqttUnsubAckMessage(header(MqttMessageType.UNSUBACK, false, MqttQoS.AT_MOST_ONCE, false),
                                new MqttMessageIdAndPropertiesVariableHeader(packetId, properties),
                                new MqttUnsubAckPayload(list))));
    }

    static Arbitrary<PacketCase> ping(MqttVersion version, MqttMessageType type, Peer sender) {
        return Arbitraries.just(new PacketCase(type.name(), version, sender,
                () -> new MqttMessage(header(type, false, MqttQoS.AT_MOST_ONCE, false))));
    }

    static Arbitrary<PacketCase> disconnect(MqttVersion version, Peer sender) {
        boolean mqtt5 = version == MqttVersion.MQTT_5;
        return Combinators.combine(reasonCodes(ReasonCodeTables.DISCONNECT),
                        propertiesFor(version, PropertyContext.DISCONNECT, sender))
                .as((code, properties) -> new PacketCase("DISCONNECT", version, sender,
                        () -> new MqttMessage(header(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false),
                                new MqttReasonCodeAndPropertiesVariableHeader(mqtt5 ? code.byteValue() : 0,
                                        properties))));
    }

    static Arbitrary<PacketCase> auth(Peer sender) {
        return Combinators.combine(reasonCodes(ReasonCodeTables.AUTH), properties(PropertyContext.AUTH, sender),
                        utf8Strings(MAX_STRING))
                .as((code, properties, method) -> {
                    // Section 3.15.2.2.2: an AUTH always names its Authentication Method.
                    if (properties.getProperty(MqttProperties.AUTHENTICATION_METHOD) == null) {
                        properties.add(new MqttProperties.StringProperty(MqttProperties.AUTHENTICATION_METHOD, method));
                    }
                    return new PacketCase("AUTH", MqttVersion.MQTT_5, sender,
                            () -> new MqttMessage(header(MqttMessageType.AUTH, false, MqttQoS.AT_MOST_ONCE, false),
                                    new MqttReasonCodeAndPropertiesVariableHeader(code.byteValue(), properties)));
                });
    }

    // ---------------------------------------------------------------- properties

    private static Arbitrary<MqttProperties> propertiesFor(MqttVersion version, PropertyContext context, Peer sender) {
        return version == MqttVersion.MQTT_5
                ? properties(context, sender)
                : Arbitraries.just(MqttProperties.NO_PROPERTIES);
    }

    /** Any valid set of the properties {@code context} allows from {@code sender}, possibly empty. */
    static Arbitrary<MqttProperties> properties(PropertyContext context, Peer sender) {
        List<Arbitrary<List<MqttProperties.MqttProperty<?>>>> parts = new ArrayList<>();
        for (PropertyRule rule : PropertyRule.values()) {
            if (!rule.isAllowedIn(context) || !sendable(rule, context, sender)) {
                continue;
            }
            int maxCount = rule.mayRepeatIn(context) ? 3 : 1;
            parts.add(value(rule).list().ofMaxSize(maxCount).map(List::copyOf));
        }
        return Combinators.combine(parts).as(lists -> {
            MqttProperties properties = new MqttProperties();
            lists.forEach(list -> list.forEach(properties::add));
            // Section 3.1.2.11.10: Authentication Data needs an Authentication Method.
            if (context == PropertyContext.CONNECT && properties.getProperty(MqttProperties.AUTHENTICATION_DATA) != null
                    && properties.getProperty(MqttProperties.AUTHENTICATION_METHOD) == null) {
                properties.add(new MqttProperties.StringProperty(MqttProperties.AUTHENTICATION_METHOD, "m"));
            }
            return properties;
        });
    }

    /** Properties whose presence depends on the sender ([MQTT-3.3.4-6], [MQTT-3.14.2-2]). */
    private static boolean sendable(PropertyRule rule, PropertyContext context, Peer sender) {
        if (rule == PropertyRule.SUBSCRIPTION_IDENTIFIER && context == PropertyContext.PUBLISH) {
            return sender == Peer.SERVER;
        }
        return !(rule == PropertyRule.SESSION_EXPIRY_INTERVAL && context == PropertyContext.DISCONNECT
                && sender == Peer.SERVER);
    }

    private static Arbitrary<MqttProperties.MqttProperty<?>> value(PropertyRule rule) {
        int id = rule.identifier();
        return switch (rule.dataType()) {
            case BYTE -> Arbitraries.integers().between(0, 1).map(v -> integer(id, v));
            case TWO_BYTE_INTEGER -> Arbitraries.integers().between(rule.allows(0) ? 0 : 1, MAX_TWO_BYTE)
                    .map(v -> integer(id, v));
            case FOUR_BYTE_INTEGER -> Arbitraries.integers().filter(rule::allows).map(v -> integer(id, v));
            case VARIABLE_BYTE_INTEGER -> Arbitraries.integers().between(1, MAX_SUBSCRIPTION_ID).map(v -> integer(id, v));
            case UTF8_STRING -> (rule == PropertyRule.RESPONSE_TOPIC ? topicNames() : utf8Strings(MAX_STRING))
                    .map(v -> new MqttProperties.StringProperty(id, v));
            case UTF8_STRING_PAIR -> Combinators.combine(utf8Strings(MAX_STRING), utf8Strings(MAX_STRING))
                    .as(MqttProperties.UserProperty::new);
            case BINARY_DATA -> bytes(MAX_STRING).map(v -> new MqttProperties.BinaryProperty(id, v));
        };
    }

    private static MqttProperties.MqttProperty<?> integer(int id, int value) {
        return new MqttProperties.IntegerProperty(id, value);
    }

    // ---------------------------------------------------------------- values

    /** Strings of code points from every UTF-8 length class, never U+0000 or a surrogate. */
    static Arbitrary<String> utf8Strings(int maxCodePoints) {
        Arbitrary<Integer> codePoints = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.integers().between(0x20, 0x7E)),
                Tuple.of(1, Arbitraries.integers().between(0x01, 0x1F)),
                Tuple.of(1, Arbitraries.integers().between(0x80, 0x7FF)),
                Tuple.of(1, Arbitraries.integers().between(0x800, 0xD7FF)),
                Tuple.of(1, Arbitraries.integers().between(0xE000, 0xFFFF)),
                Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10FFFF)));
        return codePoints.list().ofMaxSize(maxCodePoints)
                .map(list -> new String(list.stream().mapToInt(Integer::intValue).toArray(), 0, list.size()));
    }

    /** Topic names: no wildcards ([MQTT-3.3.2-2]); may be empty (the broker refuses that in 3.1.1, not the decoder). */
    static Arbitrary<String> topicNames() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.strings().withChars("ab/$").ofMaxLength(MAX_STRING)),
                Tuple.of(1, utf8Strings(MAX_STRING)))
                .filter(topic -> !PropertiesParser.containsWildcard(topic));
    }

    static Arbitrary<String> topicFilters() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.strings().withChars("ab/+#$").ofMinLength(1).ofMaxLength(MAX_STRING)),
                Tuple.of(1, utf8Strings(MAX_STRING)));
    }

    static Arbitrary<Integer> packetIds() {
        return Arbitraries.integers().between(1, MAX_PACKET_ID);
    }

    static Arbitrary<byte[]> bytes(int maxLength) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(maxLength);
    }

    private static Arbitrary<byte[]> payloads() {
        return Arbitraries.frequencyOf(Tuple.of(3, bytes(MAX_STRING)), Tuple.of(1, bytes(MAX_PAYLOAD)));
    }

    private static Arbitrary<Integer> reasonCodes(boolean[] allowed) {
        return Arbitraries.of(IntStream.range(0, allowed.length).filter(code -> allowed[code]).boxed().toList());
    }

    private static PacketCase fromClient(PacketCase packetCase) {
        return new PacketCase(packetCase.name(), packetCase.version(), Peer.CLIENT, packetCase.message());
    }

    private static MqttFixedHeader header(MqttMessageType type, boolean dup, MqttQoS qos, boolean retain) {
        return new MqttFixedHeader(type, dup, qos, retain, 0);
    }

    private record Will(int qos, boolean retain, String topic, byte[] payload, MqttProperties properties) {
    }
}
