package io.estafeta.bench;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttVersion;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes of one publisher's PUBLISH packets, encoded once: each message copies the template and
 * patches its packet identifier and its timestamp in place, so that a message costs one copy of its bytes.
 *
 * <p>Layout (MQTT 3.1.1 section 3.3 and 5.0 section 3.3): fixed header, Remaining Length, Topic Name,
 * Packet Identifier (QoS &gt; 0 only), Property Length 0 (MQTT 5 only), payload. The payload starts with
 * the scheduled send time as {@link System#nanoTime()} (8 bytes, big-endian) when it is long enough, and
 * goes on with the time the generator actually wrote it (8 more bytes) when it has room for both.
 */
final class PublishFrames {

    /** Bytes of the scheduled send time at the start of a payload. */
    static final int TIMESTAMP_BYTES = Long.BYTES;
    /** Bytes of both times: the scheduled send time, then the actual one. */
    static final int BOTH_TIMESTAMPS_BYTES = 2 * Long.BYTES;

    private static final int PUBLISH = 3 << 4;
    private static final int QOS_SHIFT = 1;
    private static final int VARIABLE_BYTE_INTEGER_CONTINUES = 0x80;
    private static final int VARIABLE_BYTE_INTEGER_DIGIT = 0x7F;
    private static final int VARIABLE_BYTE_INTEGER_BITS = 7;
    private static final byte PAYLOAD_FILLER = 'x';

    private final byte[] template;
    private final boolean hasPacketId;
    private final int packetIdOffset;
    private final int payloadOffset;
    private final boolean timestamped;
    private final boolean sendTimeToo;

    PublishFrames(String topic, int qos, int payloadSize, MqttVersion version) {
        byte[] topicBytes = topic.getBytes(StandardCharsets.UTF_8);
        int packetIdBytes = qos > 0 ? Short.BYTES : 0;
        int propertyLengthBytes = version == MqttVersion.MQTT_5 ? 1 : 0;
        int remainingLength = Short.BYTES + topicBytes.length + packetIdBytes + propertyLengthBytes + payloadSize;
        byte[] lengthBytes = variableByteInteger(remainingLength);
        template = new byte[1 + lengthBytes.length + remainingLength];
        int at = 0;
        template[at++] = (byte) (PUBLISH | qos << QOS_SHIFT);
        System.arraycopy(lengthBytes, 0, template, at, lengthBytes.length);
        at += lengthBytes.length;
        template[at++] = (byte) (topicBytes.length >>> Byte.SIZE);
        template[at++] = (byte) topicBytes.length;
        System.arraycopy(topicBytes, 0, template, at, topicBytes.length);
        at += topicBytes.length;
        hasPacketId = qos > 0;
        packetIdOffset = at;
        at += packetIdBytes;
        at += propertyLengthBytes; // a zero byte: no properties
        payloadOffset = at;
        Arrays.fill(template, payloadOffset, template.length, PAYLOAD_FILLER);
        timestamped = payloadSize >= TIMESTAMP_BYTES;
        sendTimeToo = payloadSize >= BOTH_TIMESTAMPS_BYTES;
    }

    /** Bytes of one PUBLISH. */
    int frameLength() {
        return template.length;
    }

    /** Whether the payload carries the send time (it is at least {@link #TIMESTAMP_BYTES} long). */
    boolean timestamped() {
        return timestamped;
    }

    /**
     * Appends one PUBLISH: {@code packetId} is ignored at QoS 0, the times where the payload has no room
     * for them.
     *
     * @param scheduledNanos when the message was due ({@link System#nanoTime()})
     * @param sentNanos      when the generator wrote it
     */
    void write(ByteBuf out, int packetId, long scheduledNanos, long sentNanos) {
        int start = out.writerIndex();
        out.writeBytes(template);
        if (hasPacketId) {
            out.setShort(start + packetIdOffset, packetId);
        }
        if (timestamped) {
            out.setLong(start + payloadOffset, scheduledNanos);
        }
        if (sendTimeToo) {
            out.setLong(start + payloadOffset + TIMESTAMP_BYTES, sentNanos);
        }
    }

    private static byte[] variableByteInteger(int value) {
        byte[] digits = new byte[4];
        int count = 0;
        int rest = value;
        do {
            int digit = rest & VARIABLE_BYTE_INTEGER_DIGIT;
            rest >>>= VARIABLE_BYTE_INTEGER_BITS;
            digits[count++] = (byte) (rest > 0 ? digit | VARIABLE_BYTE_INTEGER_CONTINUES : digit);
        } while (rest > 0);
        return Arrays.copyOf(digits, count);
    }
}
