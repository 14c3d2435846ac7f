package io.estafeta.broker.transport;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttProperty;

/**
 * The encoded size of a PUBLISH, computed without encoding it, to honour a 5.0 client's Maximum
 * Packet Size before anything is written ([MQTT-3.1.2-24], [MQTT-3.1.2-25]).
 */
final class PublishSize {

    private static final int PACKET_ID_BYTES = 2;
    private static final int STRING_LENGTH_BYTES = 2;

    private PublishSize() {
    }

    /** Bytes of the whole packet: fixed header, topic, packet id, properties (5.0) and payload. */
    static long of(String topic, int qos, MqttProperties properties, int payloadBytes) {
        long properties5 = propertiesLength(properties);
        long remaining = STRING_LENGTH_BYTES + utf8Length(topic) + (qos > 0 ? PACKET_ID_BYTES : 0)
                + variableByteIntegerSize(properties5) + properties5 + payloadBytes;
        return 1 + variableByteIntegerSize(remaining) + remaining;
    }

    static long propertiesLength(MqttProperties properties) {
        long length = 0;
        for (MqttProperty<?> property : properties.listAll()) {
            Object value = property.value();
            length += 1; // every property identifier in use fits in one byte
            if (value instanceof String text) {
                length += STRING_LENGTH_BYTES + utf8Length(text);
            } else if (value instanceof byte[] bytes) {
                length += STRING_LENGTH_BYTES + bytes.length;
            } else if (property instanceof MqttProperties.UserProperties users) {
                length -= 1;
                for (MqttProperties.StringPair pair : users.value()) {
                    length += 1 + STRING_LENGTH_BYTES * 2 + utf8Length(pair.key) + utf8Length(pair.value);
                }
            } else if (value instanceof Integer number) {
                length += integerPropertySize(property.propertyId(), number);
            }
        }
        return length;
    }

    private static int integerPropertySize(int id, int value) {
        return switch (id) {
            case MqttProperties.PAYLOAD_FORMAT_INDICATOR, MqttProperties.REQUEST_PROBLEM_INFORMATION,
                 MqttProperties.REQUEST_RESPONSE_INFORMATION, MqttProperties.MAXIMUM_QOS,
                 MqttProperties.RETAIN_AVAILABLE, MqttProperties.WILDCARD_SUBSCRIPTION_AVAILABLE,
                 MqttProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE, MqttProperties.SHARED_SUBSCRIPTION_AVAILABLE -> 1;
            case MqttProperties.SERVER_KEEP_ALIVE, MqttProperties.RECEIVE_MAXIMUM, MqttProperties.TOPIC_ALIAS_MAXIMUM,
                 MqttProperties.TOPIC_ALIAS -> 2;
            case MqttProperties.SUBSCRIPTION_IDENTIFIER -> variableByteIntegerSize(value);
            default -> 4;
        };
    }

    static int variableByteIntegerSize(long value) {
        int size = 1;
        while (value >= 128) {
            value >>= 7;
            size++;
        }
        return size;
    }

    private static int utf8Length(String text) {
        int length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c)) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }
}
