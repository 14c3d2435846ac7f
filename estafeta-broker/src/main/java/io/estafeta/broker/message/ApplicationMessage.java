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
 */
public record ApplicationMessage(String topic, byte[] payload, int qos, boolean retain, String publisherId) {

    public ApplicationMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("qos must be 0, 1 or 2: " + qos);
        }
    }

    /** The same message with another RETAIN flag (live deliveries clear it, retained ones set it). */
    public ApplicationMessage withRetain(boolean newRetain) {
        return newRetain == retain ? this : new ApplicationMessage(topic, payload, qos, newRetain, publisherId);
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
