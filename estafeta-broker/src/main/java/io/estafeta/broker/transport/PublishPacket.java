package io.estafeta.broker.transport;

import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.message.MessageProperties;
import io.estafeta.broker.message.UserProperty;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;

/**
 * One PUBLISH to one subscriber, encoded by us rather than by Netty's {@code MqttEncoder}: no message
 * object, no properties map, and the topic's UTF-8 bytes computed by the caller once per message
 * ({@link MessageBytes}). Its {@link #size()} is computed from the same lengths it writes, so the Maximum
 * Packet Size check ([MQTT-3.1.2-25]) and the bytes on the wire cannot disagree.
 *
 * <p>Layout (3.1.1 section 3.3, 5.0 section 3.3): fixed header byte (type, DUP, QoS, RETAIN), Remaining
 * Length, Topic Name, Packet Identifier (QoS &gt; 0), 5.0 only: Property Length and properties; then the
 * payload. Properties are written in identifier order (Payload Format Indicator, Message Expiry Interval,
 * Content Type, Response Topic, Correlation Data, Topic Alias), then the Subscription Identifiers, then the
 * User Properties in the order the publisher sent them ([MQTT-3.3.2-18]). Netty writes the same
 * properties, but the single-valued ones in the order of its hash map; the specification fixes no order.
 */
final class PublishPacket {

    private static final int PUBLISH_TYPE = MqttMessageType.PUBLISH.value() << 4;
    private static final int DUP_FLAG = 0x08;
    private static final int QOS_SHIFT = 1;
    private static final int RETAIN_FLAG = 0x01;
    private static final int PACKET_ID_BYTES = 2;
    private static final int LENGTH_PREFIX_BYTES = 2;
    /** Every property identifier of a PUBLISH is below 128: one byte as a Variable Byte Integer. */
    private static final int PROPERTY_ID_BYTES = 1;
    private static final int BYTE_PROPERTY = PROPERTY_ID_BYTES + 1;
    private static final int TWO_BYTE_PROPERTY = PROPERTY_ID_BYTES + 2;
    private static final int FOUR_BYTE_PROPERTY = PROPERTY_ID_BYTES + 4;
    private static final int VARIABLE_BYTE_INTEGER_DIGIT = 0x7F;
    private static final int VARIABLE_BYTE_INTEGER_CONTINUES = 0x80;
    private static final int VARIABLE_BYTE_INTEGER_BITS = 7;
    /** No remaining Message Expiry Interval: the message never expires. */
    static final long NO_EXPIRY = -1;
    static final byte[] NO_TOPIC = new byte[0];
    static final int[] NO_SUBSCRIPTION_IDS = new int[0];

    private final int firstByte;
    private final byte[] topic;
    private final int packetId;
    private final boolean hasPacketId;
    /** Null for 3.1 and 3.1.1, which have no properties. */
    private final MessageProperties properties;
    private final long remainingExpirySeconds;
    private final int[] subscriptionIds;
    private final int topicAlias;
    private final int propertiesLength;
    private final int remainingLength;
    private final int headerLength;
    private final int payloadLength;

    private PublishPacket(byte[] topic, int qos, boolean dup, boolean retain, int packetId,
                          MessageProperties properties, long remainingExpirySeconds, int[] subscriptionIds,
                          int topicAlias, int payloadLength) {
        this.firstByte = PUBLISH_TYPE | (dup ? DUP_FLAG : 0) | qos << QOS_SHIFT | (retain ? RETAIN_FLAG : 0);
        this.topic = topic;
        this.packetId = packetId;
        this.hasPacketId = qos > 0;
        this.properties = properties;
        this.remainingExpirySeconds = remainingExpirySeconds;
        this.subscriptionIds = subscriptionIds;
        this.topicAlias = topicAlias;
        this.payloadLength = payloadLength;
        this.propertiesLength = properties == null ? 0 : propertiesLength();
        int variableHeader = LENGTH_PREFIX_BYTES + topic.length + (hasPacketId ? PACKET_ID_BYTES : 0)
                + (properties == null ? 0 : variableByteIntegerSize(propertiesLength) + propertiesLength);
        this.remainingLength = variableHeader + payloadLength;
        this.headerLength = 1 + variableByteIntegerSize(remainingLength) + variableHeader;
    }

    /** A PUBLISH to a 3.1 or 3.1.1 client: the header differs between subscribers only by flags and packet id. */
    static PublishPacket mqtt3(byte[] topic, int qos, boolean dup, boolean retain, int packetId, int payloadLength) {
        return new PublishPacket(topic, qos, dup, retain, packetId, null, NO_EXPIRY, NO_SUBSCRIPTION_IDS, 0,
                payloadLength);
    }

    /**
     * A PUBLISH to a 5.0 client: the publisher's properties unaltered ([MQTT-3.3.2-4]), what remains of the
     * Message Expiry Interval ([MQTT-3.3.2-6]; {@link #NO_EXPIRY} for none), the matching subscriptions'
     * identifiers ([MQTT-3.3.4-3]) and a topic alias (0: none; with {@link #NO_TOPIC} when the client
     * already knows it).
     */
    static PublishPacket mqtt5(byte[] topic, int qos, boolean dup, boolean retain, int packetId,
                               ApplicationMessage message, long remainingExpirySeconds, int[] subscriptionIds,
                               int topicAlias) {
        return new PublishPacket(topic, qos, dup, retain, packetId, message.properties(), remainingExpirySeconds,
                subscriptionIds, topicAlias, message.payloadSize());
    }

    /** Bytes of the whole packet, as {@link #encode} writes them. */
    long size() {
        return (long) headerLength + payloadLength;
    }

    /** One buffer holding the whole packet: the payload is copied (for small payloads, the cheapest). */
    ByteBuf encode(ByteBufAllocator allocator, byte[] payload) {
        ByteBuf out = allocator.ioBuffer(headerLength + payloadLength);
        writeHeader(out);
        out.writeBytes(payload);
        return out;
    }

    /**
     * The header in a buffer of its own, followed by {@code sharedPayload} (a retained duplicate of a buffer
     * other deliveries share), as one composite buffer: one packet, one write, the payload not copied.
     * Takes over {@code sharedPayload}'s reference.
     */
    ByteBuf encode(ByteBufAllocator allocator, ByteBuf sharedPayload) {
        ByteBuf header = allocator.ioBuffer(headerLength);
        try {
            writeHeader(header);
        } catch (RuntimeException e) {
            header.release();
            sharedPayload.release();
            throw e;
        }
        return allocator.compositeDirectBuffer(2).addComponents(true, header, sharedPayload);
    }

    private void writeHeader(ByteBuf out) {
        out.writeByte(firstByte);
        writeVariableByteInteger(out, remainingLength);
        out.writeShort(topic.length);
        out.writeBytes(topic);
        if (hasPacketId) {
            out.writeShort(packetId);
        }
        if (properties != null) {
            writeVariableByteInteger(out, propertiesLength);
            writeProperties(out);
        }
    }

    private int propertiesLength() {
        int length = 0;
        if (properties.payloadFormatIndicator() != MessageProperties.UNSPECIFIED) {
            length += BYTE_PROPERTY;
        }
        if (remainingExpirySeconds != NO_EXPIRY) {
            length += FOUR_BYTE_PROPERTY;
        }
        if (properties.contentType() != null) {
            length += PROPERTY_ID_BYTES + LENGTH_PREFIX_BYTES + ByteBufUtil.utf8Bytes(properties.contentType());
        }
        if (properties.responseTopic() != null) {
            length += PROPERTY_ID_BYTES + LENGTH_PREFIX_BYTES + ByteBufUtil.utf8Bytes(properties.responseTopic());
        }
        if (properties.correlationData() != null) {
            length += PROPERTY_ID_BYTES + LENGTH_PREFIX_BYTES + properties.correlationData().length;
        }
        if (topicAlias > 0) {
            length += TWO_BYTE_PROPERTY;
        }
        for (int id : subscriptionIds) {
            length += PROPERTY_ID_BYTES + variableByteIntegerSize(id);
        }
        for (UserProperty user : properties.userProperties()) {
            length += PROPERTY_ID_BYTES + LENGTH_PREFIX_BYTES + ByteBufUtil.utf8Bytes(user.name())
                    + LENGTH_PREFIX_BYTES + ByteBufUtil.utf8Bytes(user.value());
        }
        return length;
    }

    private void writeProperties(ByteBuf out) {
        if (properties.payloadFormatIndicator() != MessageProperties.UNSPECIFIED) {
            out.writeByte(MqttProperties.PAYLOAD_FORMAT_INDICATOR);
            out.writeByte(properties.payloadFormatIndicator());
        }
        if (remainingExpirySeconds != NO_EXPIRY) {
            out.writeByte(MqttProperties.PUBLICATION_EXPIRY_INTERVAL);
            out.writeInt((int) remainingExpirySeconds); // a four-byte unsigned integer
        }
        if (properties.contentType() != null) {
            out.writeByte(MqttProperties.CONTENT_TYPE);
            writeString(out, properties.contentType());
        }
        if (properties.responseTopic() != null) {
            out.writeByte(MqttProperties.RESPONSE_TOPIC);
            writeString(out, properties.responseTopic());
        }
        if (properties.correlationData() != null) {
            out.writeByte(MqttProperties.CORRELATION_DATA);
            out.writeShort(properties.correlationData().length);
            out.writeBytes(properties.correlationData());
        }
        if (topicAlias > 0) {
            out.writeByte(MqttProperties.TOPIC_ALIAS);
            out.writeShort(topicAlias);
        }
        for (int id : subscriptionIds) {
            out.writeByte(MqttProperties.SUBSCRIPTION_IDENTIFIER);
            writeVariableByteInteger(out, id);
        }
        for (UserProperty user : properties.userProperties()) {
            out.writeByte(MqttProperties.USER_PROPERTY);
            writeString(out, user.name());
            writeString(out, user.value());
        }
    }

    /** A UTF-8 Encoded String: its length is written after it, where it was reserved. */
    private static void writeString(ByteBuf out, String text) {
        int lengthAt = out.writerIndex();
        out.writeShort(0);
        int written = ByteBufUtil.writeUtf8(out, text);
        out.setShort(lengthAt, written);
    }

    static int variableByteIntegerSize(int value) {
        int size = 1;
        for (int rest = value >>> VARIABLE_BYTE_INTEGER_BITS; rest > 0; rest >>>= VARIABLE_BYTE_INTEGER_BITS) {
            size++;
        }
        return size;
    }

    private static void writeVariableByteInteger(ByteBuf out, int value) {
        int rest = value;
        do {
            int digit = rest & VARIABLE_BYTE_INTEGER_DIGIT;
            rest >>>= VARIABLE_BYTE_INTEGER_BITS;
            out.writeByte(rest > 0 ? digit | VARIABLE_BYTE_INTEGER_CONTINUES : digit);
        } while (rest > 0);
    }
}
