package io.estafeta.broker.transport;

import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.message.MessageProperties;
import io.estafeta.broker.message.UserProperty;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttProperty;

import java.util.ArrayList;
import java.util.List;

/**
 * Between Netty's {@link MqttProperties} and Estafeta's message model: what a PUBLISH (or a will)
 * carries in, and what a delivery carries out. One place, so that every property a publisher sets
 * reaches subscribers the same way.
 */
public final class Mqtt5Properties {

    /** Four-byte intervals are unsigned; this is the "never" of Session Expiry. */
    static final long UNSIGNED_INT_MAX = 0xFFFF_FFFFL;

    private Mqtt5Properties() {
    }

    public static MessageProperties messageProperties(MqttProperties properties) {
        if (properties == null || properties.isEmpty()) {
            return MessageProperties.NONE;
        }
        List<UserProperty> users = userProperties(properties);
        MessageProperties result = new MessageProperties(
                intValue(properties, MqttProperties.PAYLOAD_FORMAT_INDICATOR, MessageProperties.UNSPECIFIED),
                stringValue(properties, MqttProperties.CONTENT_TYPE),
                stringValue(properties, MqttProperties.RESPONSE_TOPIC),
                binaryValue(properties, MqttProperties.CORRELATION_DATA),
                users);
        return result.isEmpty() ? MessageProperties.NONE : result;
    }

    /** The deadline of a Message Expiry Interval, or {@link ApplicationMessage#NEVER_EXPIRES}. */
    public static long expiryDeadline(MqttProperties properties, long nowMillis) {
        if (properties == null) {
            return ApplicationMessage.NEVER_EXPIRES;
        }
        MqttProperty<?> interval = properties.getProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL);
        if (interval == null) {
            return ApplicationMessage.NEVER_EXPIRES;
        }
        return nowMillis + unsignedInt(interval) * 1000L;
    }

    /**
     * The properties of a PUBLISH to a 5.0 subscriber: the publisher's, unaltered ([MQTT-3.3.2-4]),
     * the remaining expiry ([MQTT-3.3.2-6]), the matching subscriptions' identifiers ([MQTT-3.3.4-3])
     * and a topic alias (0: none).
     */
    public static MqttProperties forDelivery(ApplicationMessage message, long nowMillis, int[] subscriptionIds,
                                      int topicAlias) {
        MqttProperties out = new MqttProperties();
        MessageProperties in = message.properties();
        if (in.payloadFormatIndicator() != MessageProperties.UNSPECIFIED) {
            out.add(new MqttProperties.IntegerProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR,
                    in.payloadFormatIndicator()));
        }
        long remaining = message.remainingExpirySeconds(nowMillis);
        if (remaining >= 0) {
            out.add(new MqttProperties.IntegerProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL, (int) remaining));
        }
        if (in.contentType() != null) {
            out.add(new MqttProperties.StringProperty(MqttProperties.CONTENT_TYPE, in.contentType()));
        }
        if (in.responseTopic() != null) {
            out.add(new MqttProperties.StringProperty(MqttProperties.RESPONSE_TOPIC, in.responseTopic()));
        }
        if (in.correlationData() != null) {
            out.add(new MqttProperties.BinaryProperty(MqttProperties.CORRELATION_DATA, in.correlationData()));
        }
        for (UserProperty user : in.userProperties()) {
            out.add(new MqttProperties.UserProperty(user.name(), user.value()));
        }
        for (int id : subscriptionIds) {
            out.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER, id));
        }
        if (topicAlias > 0) {
            out.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS, topicAlias));
        }
        return out;
    }

    static int intValue(MqttProperties properties, int id, int absent) {
        MqttProperty<?> property = properties == null ? null : properties.getProperty(id);
        return property == null ? absent : (Integer) property.value();
    }

    /** A four-byte interval property as the unsigned number it is, or {@code absent}. */
    static long unsignedIntValue(MqttProperties properties, int id, long absent) {
        MqttProperty<?> property = properties == null ? null : properties.getProperty(id);
        return property == null ? absent : unsignedInt(property);
    }

    static String stringValue(MqttProperties properties, int id) {
        MqttProperty<?> property = properties.getProperty(id);
        return property == null ? null : (String) property.value();
    }

    static byte[] binaryValue(MqttProperties properties, int id) {
        MqttProperty<?> property = properties == null ? null : properties.getProperty(id);
        return property == null ? null : (byte[]) property.value();
    }

    static boolean has(MqttProperties properties, int id) {
        return properties != null && properties.getProperty(id) != null;
    }

    private static long unsignedInt(MqttProperty<?> property) {
        return Integer.toUnsignedLong((Integer) property.value());
    }

    @SuppressWarnings("unchecked")
    private static List<UserProperty> userProperties(MqttProperties properties) {
        List<? extends MqttProperty> all = properties.getProperties(MqttProperties.USER_PROPERTY);
        if (all.isEmpty()) {
            return List.of();
        }
        List<UserProperty> users = new ArrayList<>();
        for (MqttProperty<?> property : all) {
            Object value = property.value();
            if (value instanceof MqttProperties.StringPair pair) {
                users.add(new UserProperty(pair.key, pair.value));
            } else if (value instanceof List<?> pairs) {
                for (MqttProperties.StringPair pair : (List<MqttProperties.StringPair>) pairs) {
                    users.add(new UserProperty(pair.key, pair.value));
                }
            }
        }
        return users;
    }
}
