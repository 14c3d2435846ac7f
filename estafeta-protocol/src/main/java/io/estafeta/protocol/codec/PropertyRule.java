package io.estafeta.protocol.codec;

import static io.estafeta.protocol.codec.PropertyContext.AUTH;
import static io.estafeta.protocol.codec.PropertyContext.CONNACK;
import static io.estafeta.protocol.codec.PropertyContext.CONNECT;
import static io.estafeta.protocol.codec.PropertyContext.DISCONNECT;
import static io.estafeta.protocol.codec.PropertyContext.PUBACK;
import static io.estafeta.protocol.codec.PropertyContext.PUBCOMP;
import static io.estafeta.protocol.codec.PropertyContext.PUBLISH;
import static io.estafeta.protocol.codec.PropertyContext.PUBREC;
import static io.estafeta.protocol.codec.PropertyContext.PUBREL;
import static io.estafeta.protocol.codec.PropertyContext.SUBACK;
import static io.estafeta.protocol.codec.PropertyContext.SUBSCRIBE;
import static io.estafeta.protocol.codec.PropertyContext.UNSUBACK;
import static io.estafeta.protocol.codec.PropertyContext.UNSUBSCRIBE;
import static io.estafeta.protocol.codec.PropertyContext.WILL;

import io.estafeta.protocol.codec.MqttDecodingException.ReasonCode;
import io.netty.handler.codec.mqtt.MqttProperties;

/**
 * One row of MQTT 5.0 table 2-4 (section 2.2.2.2) per property: its identifier, data type, the packets
 * it may appear in, and the values the specification allows. Every property may appear at most once
 * ("It is a Protocol Error to include ... more than once"), except User Property (any number of times)
 * and Subscription Identifier, which a server repeats in a PUBLISH when a message matches several
 * subscriptions (section 3.3.2.3.8) but which a SUBSCRIBE carries at most once (section 3.8.2.1.2).
 */
enum PropertyRule {
    PAYLOAD_FORMAT_INDICATOR(MqttProperties.PAYLOAD_FORMAT_INDICATOR, "Payload Format Indicator",
            DataType.BYTE, Range.ZERO_OR_ONE, PUBLISH, WILL),
    MESSAGE_EXPIRY_INTERVAL(MqttProperties.PUBLICATION_EXPIRY_INTERVAL, "Message Expiry Interval",
            DataType.FOUR_BYTE_INTEGER, Range.ANY, PUBLISH, WILL),
    CONTENT_TYPE(MqttProperties.CONTENT_TYPE, "Content Type", DataType.UTF8_STRING, Range.ANY, PUBLISH, WILL),
    RESPONSE_TOPIC(MqttProperties.RESPONSE_TOPIC, "Response Topic", DataType.UTF8_STRING, Range.ANY, PUBLISH, WILL),
    CORRELATION_DATA(MqttProperties.CORRELATION_DATA, "Correlation Data", DataType.BINARY_DATA, Range.ANY,
            PUBLISH, WILL),
    SUBSCRIPTION_IDENTIFIER(MqttProperties.SUBSCRIPTION_IDENTIFIER, "Subscription Identifier",
            DataType.VARIABLE_BYTE_INTEGER, Range.NOT_ZERO, PUBLISH, SUBSCRIBE),
    SESSION_EXPIRY_INTERVAL(MqttProperties.SESSION_EXPIRY_INTERVAL, "Session Expiry Interval",
            DataType.FOUR_BYTE_INTEGER, Range.ANY, CONNECT, CONNACK, DISCONNECT),
    ASSIGNED_CLIENT_IDENTIFIER(MqttProperties.ASSIGNED_CLIENT_IDENTIFIER, "Assigned Client Identifier",
            DataType.UTF8_STRING, Range.ANY, CONNACK),
    SERVER_KEEP_ALIVE(MqttProperties.SERVER_KEEP_ALIVE, "Server Keep Alive", DataType.TWO_BYTE_INTEGER, Range.ANY,
            CONNACK),
    AUTHENTICATION_METHOD(MqttProperties.AUTHENTICATION_METHOD, "Authentication Method", DataType.UTF8_STRING,
            Range.ANY, CONNECT, CONNACK, AUTH),
    AUTHENTICATION_DATA(MqttProperties.AUTHENTICATION_DATA, "Authentication Data", DataType.BINARY_DATA, Range.ANY,
            CONNECT, CONNACK, AUTH),
    REQUEST_PROBLEM_INFORMATION(MqttProperties.REQUEST_PROBLEM_INFORMATION, "Request Problem Information",
            DataType.BYTE, Range.ZERO_OR_ONE, CONNECT),
    WILL_DELAY_INTERVAL(MqttProperties.WILL_DELAY_INTERVAL, "Will Delay Interval", DataType.FOUR_BYTE_INTEGER,
            Range.ANY, WILL),
    REQUEST_RESPONSE_INFORMATION(MqttProperties.REQUEST_RESPONSE_INFORMATION, "Request Response Information",
            DataType.BYTE, Range.ZERO_OR_ONE, CONNECT),
    RESPONSE_INFORMATION(MqttProperties.RESPONSE_INFORMATION, "Response Information", DataType.UTF8_STRING,
            Range.ANY, CONNACK),
    SERVER_REFERENCE(MqttProperties.SERVER_REFERENCE, "Server Reference", DataType.UTF8_STRING, Range.ANY,
            CONNACK, DISCONNECT),
    REASON_STRING(MqttProperties.REASON_STRING, "Reason String", DataType.UTF8_STRING, Range.ANY,
            CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, DISCONNECT, AUTH),
    RECEIVE_MAXIMUM(MqttProperties.RECEIVE_MAXIMUM, "Receive Maximum", DataType.TWO_BYTE_INTEGER, Range.NOT_ZERO,
            CONNECT, CONNACK),
    TOPIC_ALIAS_MAXIMUM(MqttProperties.TOPIC_ALIAS_MAXIMUM, "Topic Alias Maximum", DataType.TWO_BYTE_INTEGER,
            Range.ANY, CONNECT, CONNACK),
    TOPIC_ALIAS(MqttProperties.TOPIC_ALIAS, "Topic Alias", DataType.TWO_BYTE_INTEGER, Range.NOT_ZERO, PUBLISH),
    MAXIMUM_QOS(MqttProperties.MAXIMUM_QOS, "Maximum QoS", DataType.BYTE, Range.ZERO_OR_ONE, CONNACK),
    RETAIN_AVAILABLE(MqttProperties.RETAIN_AVAILABLE, "Retain Available", DataType.BYTE, Range.ZERO_OR_ONE, CONNACK),
    USER_PROPERTY(MqttProperties.USER_PROPERTY, "User Property", DataType.UTF8_STRING_PAIR, Range.ANY,
            CONNECT, CONNACK, PUBLISH, WILL, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBSCRIBE, SUBACK, UNSUBSCRIBE,
            UNSUBACK, DISCONNECT, AUTH),
    MAXIMUM_PACKET_SIZE(MqttProperties.MAXIMUM_PACKET_SIZE, "Maximum Packet Size", DataType.FOUR_BYTE_INTEGER,
            Range.NOT_ZERO, CONNECT, CONNACK),
    WILDCARD_SUBSCRIPTION_AVAILABLE(MqttProperties.WILDCARD_SUBSCRIPTION_AVAILABLE,
            "Wildcard Subscription Available", DataType.BYTE, Range.ZERO_OR_ONE, CONNACK),
    SUBSCRIPTION_IDENTIFIER_AVAILABLE(MqttProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE,
            "Subscription Identifier Available", DataType.BYTE, Range.ZERO_OR_ONE, CONNACK),
    SHARED_SUBSCRIPTION_AVAILABLE(MqttProperties.SHARED_SUBSCRIPTION_AVAILABLE, "Shared Subscription Available",
            DataType.BYTE, Range.ZERO_OR_ONE, CONNACK);

    /** How a property's value is encoded (section 1.5). */
    enum DataType {
        BYTE, TWO_BYTE_INTEGER, FOUR_BYTE_INTEGER, VARIABLE_BYTE_INTEGER, UTF8_STRING, UTF8_STRING_PAIR, BINARY_DATA
    }

    /** The values an integer property may take beyond what its data type can hold. */
    enum Range {
        /** Every value the data type can hold. */
        ANY,
        /** Zero is a Protocol Error (Receive Maximum, Maximum Packet Size, Subscription Identifier, Topic Alias). */
        NOT_ZERO,
        /** Only 0 and 1 are defined; the indicators and the "... Available" flags of a CONNACK. */
        ZERO_OR_ONE
    }

    /** Shared Subscription Available (0x2A) has the highest identifier. */
    private static final PropertyRule[] BY_IDENTIFIER =
            new PropertyRule[MqttProperties.SHARED_SUBSCRIPTION_AVAILABLE + 1];

    static {
        for (PropertyRule rule : values()) {
            BY_IDENTIFIER[rule.identifier] = rule;
        }
    }

    private final int identifier;
    private final DataType dataType;
    private final Range range;
    private final int allowedIn;
    private final String label;

    PropertyRule(int identifier, String displayName, DataType dataType, Range range, PropertyContext... contexts) {
        this.identifier = identifier;
        this.label = displayName + String.format(" (0x%02X)", identifier);
        this.dataType = dataType;
        this.range = range;
        int mask = 0;
        for (PropertyContext context : contexts) {
            mask |= context.bit();
        }
        this.allowedIn = mask;
    }

    /** The rule for a Property Identifier, or null if MQTT 5.0 defines no property with it. */
    static PropertyRule forIdentifier(int identifier) {
        return identifier > 0 && identifier < BY_IDENTIFIER.length ? BY_IDENTIFIER[identifier] : null;
    }

    int identifier() {
        return identifier;
    }

    DataType dataType() {
        return dataType;
    }

    boolean isAllowedIn(PropertyContext context) {
        return (allowedIn & context.bit()) != 0;
    }

    boolean mayRepeatIn(PropertyContext context) {
        return this == USER_PROPERTY || (this == SUBSCRIPTION_IDENTIFIER && context == PUBLISH);
    }

    /** Whether an integer value (as Netty holds it, so a Four Byte Integer may be negative) is allowed. */
    boolean allows(int value) {
        return switch (range) {
            case ANY -> true;
            case NOT_ZERO -> value != 0;
            case ZERO_OR_ONE -> value == 0 || value == 1;
        };
    }

    /** The reason code for a value {@link #allows} refuses. */
    ReasonCode outOfRangeReasonCode() {
        // Section 3.3.4: "A Topic Alias value of 0 ... is a Protocol Error, the receiver uses DISCONNECT
        // with Reason Code of 0x94 (Topic Alias invalid)".
        return this == TOPIC_ALIAS ? ReasonCode.TOPIC_ALIAS_INVALID : ReasonCode.PROTOCOL_ERROR;
    }

    /** What the specification says about the values, for failure messages. */
    String allowedValues() {
        return switch (range) {
            case ANY -> "any value";
            case NOT_ZERO -> this == TOPIC_ALIAS ? "a value other than 0 [MQTT-3.3.2-8]" : "a value other than 0";
            case ZERO_OR_ONE -> "0 or 1";
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
