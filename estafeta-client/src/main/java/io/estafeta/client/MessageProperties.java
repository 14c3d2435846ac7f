package io.estafeta.client;

import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.BinaryProperty;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.MqttProperty;
import io.netty.handler.codec.mqtt.MqttProperties.StringPair;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttProperties.UserProperties;
import io.netty.handler.codec.mqtt.MqttProperties.UserProperty;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Builds and reads MQTT 5 properties (Netty's {@link MqttProperties}) by their names in the
 * specification, so callers need not know which property is an integer, a string or binary.
 *
 * <pre>{@code
 * MqttProperties properties = MessageProperties.builder()
 *         .userProperty("k", "v").contentType("text/plain").messageExpiryInterval(60).build();
 * }</pre>
 */
public final class MessageProperties {

    private final MqttProperties properties = new MqttProperties();

    private MessageProperties() {
    }

    public static MessageProperties builder() {
        return new MessageProperties();
    }

    /** A User Property; may be given many times, also with the same key ([MQTT-3.3.2-18]). */
    public MessageProperties userProperty(String key, String value) {
        properties.add(new UserProperty(key, value));
        return this;
    }

    /** Payload Format Indicator: 1 if the payload is UTF-8 text. */
    public MessageProperties payloadFormatIndicator(int value) {
        return integer(MqttProperties.PAYLOAD_FORMAT_INDICATOR, value);
    }

    /** Message Expiry Interval in seconds. */
    public MessageProperties messageExpiryInterval(long seconds) {
        return integer(MqttProperties.PUBLICATION_EXPIRY_INTERVAL, (int) seconds);
    }

    public MessageProperties contentType(String value) {
        return string(MqttProperties.CONTENT_TYPE, value);
    }

    public MessageProperties responseTopic(String value) {
        return string(MqttProperties.RESPONSE_TOPIC, value);
    }

    public MessageProperties correlationData(byte[] value) {
        properties.add(new BinaryProperty(MqttProperties.CORRELATION_DATA, value.clone()));
        return this;
    }

    /** Session Expiry Interval in seconds (CONNECT); 0xFFFFFFFF never expires. */
    public MessageProperties sessionExpiryInterval(long seconds) {
        return integer(MqttProperties.SESSION_EXPIRY_INTERVAL, (int) seconds);
    }

    /** Will Delay Interval in seconds (will properties). */
    public MessageProperties willDelayInterval(long seconds) {
        return integer(MqttProperties.WILL_DELAY_INTERVAL, (int) seconds);
    }

    /** Any integer-valued property by its identifier (a four-byte integer is passed as its bits). */
    public MessageProperties integer(int propertyId, int value) {
        properties.add(new IntegerProperty(propertyId, value));
        return this;
    }

    /** Any string-valued property by its identifier. */
    public MessageProperties string(int propertyId, String value) {
        properties.add(new StringProperty(propertyId, value));
        return this;
    }

    /** Any binary property by its identifier. */
    public MessageProperties binary(int propertyId, byte[] value) {
        properties.add(new BinaryProperty(propertyId, value.clone()));
        return this;
    }

    public MqttProperties build() {
        return properties;
    }

    /** A string property, if present. */
    public static Optional<String> string(MqttProperties properties, int propertyId) {
        MqttProperty<?> property = properties.getProperty(propertyId);
        return property == null ? Optional.empty() : Optional.of((String) property.value());
    }

    /** An integer property, if present (four-byte integers come back as their bits: read them unsigned). */
    public static OptionalInt integer(MqttProperties properties, int propertyId) {
        MqttProperty<?> property = properties.getProperty(propertyId);
        return property == null ? OptionalInt.empty() : OptionalInt.of((Integer) property.value());
    }

    /** A binary property, if present. */
    public static Optional<byte[]> binary(MqttProperties properties, int propertyId) {
        MqttProperty<?> property = properties.getProperty(propertyId);
        return property == null ? Optional.empty() : Optional.of(((byte[]) property.value()).clone());
    }

    /** Every User Property in order, whether decoded one by one or as a list. */
    public static List<StringPair> userProperties(MqttProperties properties) {
        List<StringPair> pairs = new ArrayList<>();
        for (MqttProperty<?> property : properties.getProperties(MqttProperties.USER_PROPERTY)) {
            if (property instanceof UserProperties list) {
                pairs.addAll(list.value());
            } else if (property instanceof UserProperty single) {
                pairs.add(single.value());
            }
        }
        return pairs;
    }
}
