package io.estafeta.client;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption.RetainedHandlingPolicy;

import java.util.Objects;

/**
 * One topic filter of a SUBSCRIBE with its options. Only {@code qos} exists in 3.1 and 3.1.1; the
 * others are MQTT 5 subscription options (3.8.3.1) and are not sent to older servers.
 *
 * @param noLocal           do not send this client its own messages ([MQTT-3.8.3-3])
 * @param retainAsPublished keep the RETAIN flag of forwarded messages as published
 * @param retainHandling    when the server sends retained messages for this filter
 */
public record Subscription(String filter, MqttQoS qos, boolean noLocal, boolean retainAsPublished,
                           RetainedHandlingPolicy retainHandling) {

    public Subscription {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(qos, "qos");
        Objects.requireNonNull(retainHandling, "retainHandling");
        if (qos == MqttQoS.FAILURE) {
            throw new IllegalArgumentException("qos must be 0, 1 or 2");
        }
    }

    /** A filter at {@code qos} with the default options. */
    public Subscription(String filter, MqttQoS qos) {
        this(filter, qos, false, false, RetainedHandlingPolicy.SEND_AT_SUBSCRIBE);
    }

    MqttSubscriptionOption option() {
        return new MqttSubscriptionOption(qos, noLocal, retainAsPublished, retainHandling);
    }
}
