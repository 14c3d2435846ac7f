package io.estafeta.broker.transport;

import io.estafeta.broker.message.ApplicationMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One PUBLISH to one subscriber, encoded twice: by {@link PublishPacket} (both ways: payload copied, payload
 * shared) and by Netty's {@link MqttEncoder}, the reference, from the properties the broker used to hand it
 * ({@link Mqtt5Properties#forDelivery}). The two must be the same bytes, except that Netty writes the
 * single-valued properties in the order of its hash map: {@link #nettyBytes()} puts them in identifier order,
 * as ours are, leaving Subscription Identifiers and User Properties after them in the order Netty wrote them.
 *
 * @param topicAliasKnown the client already knows {@code topicAlias}: the topic is sent empty
 */
record PublishEncodings(MqttVersion version, ApplicationMessage message, int qos, boolean dup, boolean retain,
                        int packetId, long nowMillis, int[] subscriptionIds, int topicAlias, boolean topicAliasKnown) {

    /** The attribute Netty's codec keeps the protocol version in (MqttCodecUtil's, package-private). */
    private static final AttributeKey<MqttVersion> NETTY_VERSION = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");
    private static final int SUBSCRIPTION_IDENTIFIER = MqttProperties.SUBSCRIPTION_IDENTIFIER;
    private static final int USER_PROPERTY = MqttProperties.USER_PROPERTY;

    /** A 3.1.1 delivery of {@code message} without packet id, DUP or RETAIN. */
    static PublishEncodings of(MqttVersion version, ApplicationMessage message) {
        return new PublishEncodings(version, message, 0, false, false, 0, 0, PublishPacket.NO_SUBSCRIPTION_IDS, 0,
                false);
    }

    PublishEncodings withFlags(int newQos, boolean newDup, boolean newRetain, int newPacketId) {
        return new PublishEncodings(version, message, newQos, newDup, newRetain, newPacketId, nowMillis,
                subscriptionIds, topicAlias, topicAliasKnown);
    }

    PublishEncodings withSubscriptionIds(int... ids) {
        return new PublishEncodings(version, message, qos, dup, retain, packetId, nowMillis, ids, topicAlias,
                topicAliasKnown);
    }

    PublishEncodings withTopicAlias(int alias, boolean known) {
        return new PublishEncodings(version, message, qos, dup, retain, packetId, nowMillis, subscriptionIds, alias,
                known);
    }

    PublishEncodings at(long newNowMillis) {
        return new PublishEncodings(version, message, qos, dup, retain, packetId, newNowMillis, subscriptionIds,
                topicAlias, topicAliasKnown);
    }

    PublishPacket packet() {
        byte[] topic = topicAliasKnown ? PublishPacket.NO_TOPIC : message.topic().getBytes(StandardCharsets.UTF_8);
        return version == MqttVersion.MQTT_5
                ? PublishPacket.mqtt5(topic, qos, dup, retain, packetId, message,
                        message.remainingExpirySeconds(nowMillis), subscriptionIds, topicAlias)
                : PublishPacket.mqtt3(topic, qos, dup, retain, packetId, message.payloadSize());
    }

    /** Ours, with the payload copied into the packet's buffer. */
    byte[] copiedPayloadBytes() {
        return drain(packet().encode(PooledByteBufAllocator.DEFAULT, message.payload()));
    }

    /** Ours, with the payload in a buffer of its own that other deliveries could share. */
    byte[] sharedPayloadBytes() {
        ByteBuf shared = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(message.payload());
        try {
            return drain(packet().encode(PooledByteBufAllocator.DEFAULT, shared.retainedDuplicate()));
        } finally {
            shared.release();
        }
    }

    /** Netty's, with its single-valued properties in identifier order. */
    byte[] nettyBytes() {
        byte[] encoded = nettyEncoderBytes();
        return version == MqttVersion.MQTT_5 ? propertiesInIdentifierOrder(encoded) : encoded;
    }

    /** Netty's, exactly as its encoder wrote them. */
    byte[] nettyEncoderBytes() {
        MqttProperties properties = version == MqttVersion.MQTT_5
                ? Mqtt5Properties.forDelivery(message, nowMillis, subscriptionIds, topicAlias)
                : MqttProperties.NO_PROPERTIES;
        MqttPublishMessage publish = new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(qos), retain, 0),
                new MqttPublishVariableHeader(topicAliasKnown ? "" : message.topic(), packetId, properties),
                Unpooled.wrappedBuffer(message.payload()));
        EmbeddedChannel channel = new EmbeddedChannel(MqttEncoder.INSTANCE);
        channel.attr(NETTY_VERSION).set(version);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            channel.writeOutbound(publish);
            ByteBuf encoded;
            while ((encoded = channel.readOutbound()) != null) {
                bytes.writeBytes(drain(encoded));
            }
        } finally {
            channel.finishAndReleaseAll();
        }
        return bytes.toByteArray();
    }

    private static byte[] drain(ByteBuf buffer) {
        try {
            return ByteBufUtil.getBytes(buffer);
        } finally {
            buffer.release();
        }
    }

    /**
     * The same packet with its properties stably sorted: single-valued ones by identifier, then Subscription
     * Identifiers, then User Properties, each of those two groups in the order it was written.
     */
    private byte[] propertiesInIdentifierOrder(byte[] packet) {
        Reader in = new Reader(packet);
        in.position = 1;
        in.readVariableByteInteger(); // Remaining Length: unchanged, the same properties are there
        in.position += 2 + in.readUnsignedShortAt(in.position); // Topic Name
        if (qos > 0) {
            in.position += 2;
        }
        int propertyLength = in.readVariableByteInteger();
        int propertiesStart = in.position;
        int propertiesEnd = propertiesStart + propertyLength;
        List<byte[]> properties = new ArrayList<>();
        while (in.position < propertiesEnd) {
            int start = in.position;
            in.skipProperty();
            byte[] property = new byte[in.position - start];
            System.arraycopy(packet, start, property, 0, property.length);
            properties.add(property);
        }
        properties.sort(Comparator.comparingInt(PublishEncodings::groupAndOrder));
        byte[] sorted = packet.clone();
        int at = propertiesStart;
        for (byte[] property : properties) {
            System.arraycopy(property, 0, sorted, at, property.length);
            at += property.length;
        }
        return sorted;
    }

    private static int groupAndOrder(byte[] property) {
        int id = property[0] & 0xFF;
        return switch (id) {
            case SUBSCRIPTION_IDENTIFIER -> Integer.MAX_VALUE - 1;
            case USER_PROPERTY -> Integer.MAX_VALUE;
            default -> id;
        };
    }

    /** Walks the bytes of a PUBLISH's properties (those a delivery can carry). */
    private static final class Reader {
        private final byte[] bytes;
        private int position;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        int readUnsignedShortAt(int at) {
            return (bytes[at] & 0xFF) << 8 | bytes[at + 1] & 0xFF;
        }

        int readVariableByteInteger() {
            int value = 0;
            int shift = 0;
            int digit;
            do {
                digit = bytes[position++] & 0xFF;
                value |= (digit & 0x7F) << shift;
                shift += 7;
            } while ((digit & 0x80) != 0);
            return value;
        }

        void skipProperty() {
            int id = bytes[position++] & 0xFF;
            switch (id) {
                case MqttProperties.PAYLOAD_FORMAT_INDICATOR -> position += 1;
                case MqttProperties.TOPIC_ALIAS -> position += 2;
                case MqttProperties.PUBLICATION_EXPIRY_INTERVAL -> position += 4;
                case MqttProperties.SUBSCRIPTION_IDENTIFIER -> readVariableByteInteger();
                case MqttProperties.CONTENT_TYPE, MqttProperties.RESPONSE_TOPIC, MqttProperties.CORRELATION_DATA ->
                        position += 2 + readUnsignedShortAt(position);
                case MqttProperties.USER_PROPERTY -> {
                    position += 2 + readUnsignedShortAt(position);
                    position += 2 + readUnsignedShortAt(position);
                }
                default -> throw new AssertionError("a PUBLISH to a subscriber carries no property " + id);
            }
        }
    }
}
