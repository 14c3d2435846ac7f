package io.estafeta.client;

import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers the type and flags of every packet a client sent and received. */
final class RecordingTrace implements PacketTrace {

    /** One packet as seen on the wire; {@code packetId} is -1 where the packet has none. */
    record Packet(MqttMessageType type, boolean dup, int packetId) {
    }

    private final List<Packet> sent = new CopyOnWriteArrayList<>();
    private final List<Packet> received = new CopyOnWriteArrayList<>();

    @Override
    public void sending(MqttMessage message) {
        sent.add(describe(message));
    }

    @Override
    public void received(MqttMessage message) {
        received.add(describe(message));
    }

    List<Packet> sent() {
        return List.copyOf(sent);
    }

    List<Packet> received() {
        return List.copyOf(received);
    }

    long sentCount(MqttMessageType type) {
        return sent.stream().filter(packet -> packet.type() == type).count();
    }

    long receivedCount(MqttMessageType type) {
        return received.stream().filter(packet -> packet.type() == type).count();
    }

    private static Packet describe(MqttMessage message) {
        int packetId = -1;
        if (message instanceof MqttPublishMessage publish) {
            packetId = publish.variableHeader().packetId();
        } else if (message.variableHeader() instanceof io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader id) {
            packetId = id.messageId();
        }
        return new Packet(message.fixedHeader().messageType(), message.fixedHeader().isDup(), packetId);
    }
}
