package io.estafeta.broker.message;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An Application Message as the specification calls it: what a PUBLISH carries, independent of the
 * connection it came from or goes to. Immutable and shared between every session it is delivered to,
 * so the payload is never copied per subscriber.
 *
 * @param topic       the topic name (never a filter)
 * @param payload     the payload bytes; callers must not modify the array after construction
 * @param qos         the QoS it was published with (0, 1 or 2)
 * @param retain      the RETAIN flag as published
 * @param publisherId client id of the publisher, or {@code null} for messages the broker makes itself
 * @param properties  MQTT 5 properties forwarded to subscribers ({@link MessageProperties#NONE} if none)
 * @param expiresAtMillis when the message expires (epoch millis, from its Message Expiry Interval), or
 *                    {@link #NEVER_EXPIRES}
 */
public record ApplicationMessage(String topic, byte[] payload, int qos, boolean retain, String publisherId,
                                 MessageProperties properties, long expiresAtMillis) {

    public static final long NEVER_EXPIRES = 0;

    public ApplicationMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(properties, "properties");
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0, 1 or 2: " + qos);
        }
    }

    /** A message without MQTT 5 properties that never expires (every MQTT 3.1.1 message). */
    public ApplicationMessage(String topic, byte[] payload, int qos, boolean retain, String publisherId) {
        this(topic, payload, qos, retain, publisherId, MessageProperties.NONE, NEVER_EXPIRES);
    }

    /** The same message with another RETAIN flag (live deliveries clear it, retained ones set it). */
    public ApplicationMessage withRetain(boolean newRetain) {
        return newRetain == retain ? this
                : new ApplicationMessage(topic, payload, qos, newRetain, publisherId, properties, expiresAtMillis);
    }

    /** [MQTT-3.3.2-5] an expired message is not delivered to any further subscriber. */
    public boolean isExpired(long nowMillis) {
        return expiresAtMillis != NEVER_EXPIRES && nowMillis >= expiresAtMillis;
    }

    /**
     * What is left of the Message Expiry Interval, in whole seconds rounded up ([MQTT-3.3.2-6]), or
     * -1 if the message never expires.
     */
    public long remainingExpirySeconds(long nowMillis) {
        if (expiresAtMillis == NEVER_EXPIRES) {
            return -1;
        }
        long remaining = Math.max(0, expiresAtMillis - nowMillis);
        return (remaining + 999) / 1000;
    }

    public int payloadSize() {
        return payload.length;
    }

    @Override
    public String toString() {
        return "ApplicationMessage[topic=" + topic + ", qos=" + qos + ", retain=" + retain
                + ", bytes=" + payload.length + ", publisher=" + publisherId + "]";
    }

    /** For logs and tests: the payload as UTF-8 text. */
    public String payloadAsString() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
