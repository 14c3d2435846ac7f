package io.estafeta.protocol.codec;

import static io.estafeta.protocol.codec.MqttDecodingException.malformed;
import static io.estafeta.protocol.codec.MqttDecodingException.protocolError;

import io.estafeta.protocol.Topics;
import io.estafeta.protocol.codec.MqttPacketDecoder.Peer;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.BinaryProperty;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import io.netty.handler.codec.mqtt.MqttProperties.StringProperty;
import io.netty.handler.codec.mqtt.MqttProperties.UserProperty;

/**
 * Reads an MQTT 5.0 property block (section 2.2.2) into Netty's {@link MqttProperties}, checking what
 * Netty's decoder lets through: the identifier is one table 2-4 allows in this packet (else a Malformed
 * Packet, section 2.2.2.2), a property that may appear once appears once (else a Protocol Error), the
 * value is one the specification allows, and strings are well-formed UTF-8 (user properties included,
 * [MQTT-1.5.7-1]).
 */
final class PropertiesParser {

    private static final String USER_PROPERTY_NAME = "the name of a User Property";
    private static final String USER_PROPERTY_VALUE = "the value of a User Property";

    private PropertiesParser() {
    }

    /** Reads a Property Length and the properties it covers. */
    static MqttProperties read(PacketReader reader, PropertyContext context, Peer sender) {
        int length = reader.readVariableByteInteger(context.propertyLength());
        // Like Netty: a packet that has a property block gets its own (possibly empty) MqttProperties.
        MqttProperties properties = new MqttProperties();
        if (length == 0) {
            return properties;
        }
        PacketReader block = reader.section(length, context.propertyBlock());
        long seen = 0;
        while (block.hasRemaining()) {
            int identifier = block.readVariableByteInteger(context.propertyIdentifier());
            PropertyRule rule = PropertyRule.forIdentifier(identifier);
            if (rule == null) {
                throw malformed("unknown Property Identifier " + identifier + " in " + context
                        + " (section 2.2.2.2: an Identifier not valid for its packet type is a Malformed Packet)");
            }
            if (!rule.isAllowedIn(context)) {
                throw malformed(rule + " is not a property of " + context
                        + " (section 2.2.2.2: an Identifier not valid for its packet type is a Malformed Packet)");
            }
            checkSender(rule, context, sender);
            long bit = 1L << identifier;
            if ((seen & bit) != 0 && !rule.mayRepeatIn(context)) {
                throw protocolError("it is a Protocol Error to include " + rule + " more than once (in "
                        + context + ")");
            }
            seen |= bit;
            properties.add(readValue(block, rule, context));
        }
        return properties;
    }

    private static MqttProperties.MqttProperty<?> readValue(PacketReader block, PropertyRule rule,
            PropertyContext context) {
        return switch (rule.dataType()) {
            case BYTE -> integer(rule, context, block.readByte(rule));
            case TWO_BYTE_INTEGER -> integer(rule, context, block.readTwoByteInteger(rule));
            case FOUR_BYTE_INTEGER -> integer(rule, context, block.readFourByteInteger(rule));
            case VARIABLE_BYTE_INTEGER -> integer(rule, context, block.readVariableByteInteger(rule));
            case UTF8_STRING -> string(rule, context, block.readUtf8String(rule));
            case UTF8_STRING_PAIR -> new UserProperty(block.readUtf8String(USER_PROPERTY_NAME),
                    block.readUtf8String(USER_PROPERTY_VALUE));
            case BINARY_DATA -> new BinaryProperty(rule.identifier(), block.readBinaryData(rule));
        };
    }

    private static IntegerProperty integer(PropertyRule rule, PropertyContext context, int value) {
        if (!rule.allows(value)) {
            throw new MqttDecodingException(rule.outOfRangeReasonCode(), rule + " of " + Integer.toUnsignedString(value)
                    + " in " + context + ": the specification allows " + rule.allowedValues());
        }
        return new IntegerProperty(rule.identifier(), value);
    }

    private static StringProperty string(PropertyRule rule, PropertyContext context, String value) {
        if (rule == PropertyRule.RESPONSE_TOPIC && containsWildcard(value)) {
            throw protocolError(rule + " '" + value + "' in " + context + " contains a wildcard [MQTT-3.3.2-14]");
        }
        return new StringProperty(rule.identifier(), value);
    }

    /** Rules that depend on who sent the packet, not only on its type. */
    private static void checkSender(PropertyRule rule, PropertyContext context, Peer sender) {
        if (rule == PropertyRule.SUBSCRIPTION_IDENTIFIER && context == PropertyContext.PUBLISH
                && sender == Peer.CLIENT) {
            throw protocolError("a PUBLISH sent by a client contains a " + rule + " [MQTT-3.3.4-6]");
        }
        if (rule == PropertyRule.SESSION_EXPIRY_INTERVAL && context == PropertyContext.DISCONNECT
                && sender == Peer.SERVER) {
            throw protocolError("a DISCONNECT sent by a server contains a " + rule + " [MQTT-3.14.2-2]");
        }
    }

    static boolean containsWildcard(String topic) {
        return topic.indexOf(Topics.MULTI_LEVEL_WILDCARD) >= 0 || topic.indexOf(Topics.SINGLE_LEVEL_WILDCARD) >= 0;
    }
}
