package io.estafeta.broker.testsupport;

/**
 * MQTT 5.0 property identifiers (section 2.2.2.2) with the data type each one's value is encoded as, so
 * that {@link Packets.Properties} can write and {@link PacketProperties} can read any of them.
 */
public enum PropertyId {
    PAYLOAD_FORMAT_INDICATOR(0x01, Type.BYTE),
    MESSAGE_EXPIRY_INTERVAL(0x02, Type.FOUR_BYTE_INTEGER),
    CONTENT_TYPE(0x03, Type.UTF8_STRING),
    RESPONSE_TOPIC(0x08, Type.UTF8_STRING),
    CORRELATION_DATA(0x09, Type.BINARY_DATA),
    SUBSCRIPTION_IDENTIFIER(0x0B, Type.VARIABLE_BYTE_INTEGER),
    SESSION_EXPIRY_INTERVAL(0x11, Type.FOUR_BYTE_INTEGER),
    ASSIGNED_CLIENT_IDENTIFIER(0x12, Type.UTF8_STRING),
    SERVER_KEEP_ALIVE(0x13, Type.TWO_BYTE_INTEGER),
    AUTHENTICATION_METHOD(0x15, Type.UTF8_STRING),
    AUTHENTICATION_DATA(0x16, Type.BINARY_DATA),
    REQUEST_PROBLEM_INFORMATION(0x17, Type.BYTE),
    WILL_DELAY_INTERVAL(0x18, Type.FOUR_BYTE_INTEGER),
    REQUEST_RESPONSE_INFORMATION(0x19, Type.BYTE),
    RESPONSE_INFORMATION(0x1A, Type.UTF8_STRING),
    SERVER_REFERENCE(0x1C, Type.UTF8_STRING),
    REASON_STRING(0x1F, Type.UTF8_STRING),
    RECEIVE_MAXIMUM(0x21, Type.TWO_BYTE_INTEGER),
    TOPIC_ALIAS_MAXIMUM(0x22, Type.TWO_BYTE_INTEGER),
    TOPIC_ALIAS(0x23, Type.TWO_BYTE_INTEGER),
    MAXIMUM_QOS(0x24, Type.BYTE),
    RETAIN_AVAILABLE(0x25, Type.BYTE),
    USER_PROPERTY(0x26, Type.UTF8_STRING_PAIR),
    MAXIMUM_PACKET_SIZE(0x27, Type.FOUR_BYTE_INTEGER),
    WILDCARD_SUBSCRIPTION_AVAILABLE(0x28, Type.BYTE),
    SUBSCRIPTION_IDENTIFIER_AVAILABLE(0x29, Type.BYTE),
    SHARED_SUBSCRIPTION_AVAILABLE(0x2A, Type.BYTE);

    /** The data representations of section 1.5 that properties use. */
    public enum Type {
        BYTE, TWO_BYTE_INTEGER, FOUR_BYTE_INTEGER, VARIABLE_BYTE_INTEGER, UTF8_STRING, BINARY_DATA, UTF8_STRING_PAIR;

        /** Whether a value of this type is a number. */
        public boolean isNumeric() {
            return this == BYTE || this == TWO_BYTE_INTEGER || this == FOUR_BYTE_INTEGER
                    || this == VARIABLE_BYTE_INTEGER;
        }
    }

    private final int code;
    private final Type type;

    PropertyId(int code, Type type) {
        this.code = code;
        this.type = type;
    }

    public int code() {
        return code;
    }

    public Type type() {
        return type;
    }

    public static PropertyId of(int code) {
        for (PropertyId id : values()) {
            if (id.code == code) {
                return id;
            }
        }
        throw new AssertionError("the server sent an unknown property identifier 0x" + Integer.toHexString(code));
    }
}
