package io.estafeta.client;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;

import java.util.concurrent.CompletableFuture;

/**
 * One application message this client publishes, from the call to {@link MqttClient#publish} until its
 * flow is complete: waiting to be sent, then (QoS 1/2) in flight under a packet identifier. Mutable;
 * confined to the client's event loop.
 */
final class OutgoingPublish {

    /** Where a QoS 1/2 message is in its flow (4.3.2, 4.3.3). */
    enum Stage {
        /** Not sent on the current connection (queued, or waiting to be sent again as a new message). */
        UNSENT,
        /** QoS 1: PUBLISH sent, waiting for PUBACK. */
        AWAITING_PUBACK,
        /** QoS 2: PUBLISH sent, waiting for PUBREC. */
        AWAITING_PUBREC,
        /** QoS 2: PUBREL sent, waiting for PUBCOMP. The server owns the message now. */
        AWAITING_PUBCOMP
    }

    private final String topic;
    private final byte[] payload;
    private final MqttQoS qos;
    private final boolean retain;
    private final MqttProperties properties;
    private final CompletableFuture<Void> completion;
    private int packetId;
    private Stage stage = Stage.UNSENT;

    OutgoingPublish(String topic, byte[] payload, MqttQoS qos, boolean retain, MqttProperties properties,
                    CompletableFuture<Void> completion) {
        this.topic = topic;
        this.payload = payload;
        this.qos = qos;
        this.retain = retain;
        this.properties = properties;
        this.completion = completion;
    }

    MqttQoS qos() {
        return qos;
    }

    boolean retain() {
        return retain;
    }

    int packetId() {
        return packetId;
    }

    Stage stage() {
        return stage;
    }

    CompletableFuture<Void> completion() {
        return completion;
    }

    /** Puts the message in flight under {@code id}. */
    void sentAs(int id) {
        this.packetId = id;
        this.stage = qos == MqttQoS.AT_LEAST_ONCE ? Stage.AWAITING_PUBACK : Stage.AWAITING_PUBREC;
    }

    void released() {
        this.stage = Stage.AWAITING_PUBCOMP;
    }

    /** Back to unsent: the server kept no session, so it will be sent again as a new message. */
    void unsent() {
        this.packetId = 0;
        this.stage = Stage.UNSENT;
    }

    /**
     * The PUBLISH packet. A fresh buffer wraps the payload each time, so a message can be sent again
     * after a reconnect.
     *
     * @param dup whether this is a re-delivery of a PUBLISH already sent ([MQTT-3.3.1-1])
     */
    MqttPublishMessage toPacket(boolean dup) {
        MqttFixedHeader header = new MqttFixedHeader(MqttMessageType.PUBLISH, dup, qos, retain, 0);
        return new MqttPublishMessage(header, new MqttPublishVariableHeader(topic, packetId, properties),
                Unpooled.wrappedBuffer(payload));
    }

    void fail(Throwable cause) {
        completion.completeExceptionally(cause);
    }

    void complete() {
        completion.complete(null);
    }
}
