package io.estafeta.cli.client;

import io.estafeta.client.PacketTrace;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;

import java.io.PrintStream;
import java.util.stream.Collectors;

/**
 * {@code -d}: one line per packet on stdout, in the words of libmosquitto's debug log
 * ({@code Client ID sending PUBLISH (d0, q1, r0, m1, 'a/b', ... (4 bytes))}).
 */
final class DebugTrace implements PacketTrace {

    /** How Mosquitto shows a client without an id. */
    private static final String NO_ID = "(null)";

    private final PrintStream out;
    private final boolean reportSubscriptions;
    private volatile String clientId;

    /**
     * @param reportSubscriptions also print sub's "Subscribed (mid: N): QOS, ..." line on SUBACK
     */
    DebugTrace(PrintStream out, String clientId, boolean reportSubscriptions) {
        this.out = out;
        this.clientId = clientId.isEmpty() ? NO_ID : clientId;
        this.reportSubscriptions = reportSubscriptions;
    }

    @Override
    public void sending(MqttMessage message) {
        switch (message.fixedHeader().messageType()) {
            case PUBLISH -> line("sending PUBLISH " + describe((MqttPublishMessage) message));
            case PUBACK, PUBREC -> line("sending " + message.fixedHeader().messageType() + " (m" + id(message)
                    + ", rc" + reasonCode(message) + ")");
            case PUBREL, PUBCOMP -> line("sending " + message.fixedHeader().messageType() + " (m" + id(message) + ")");
            case SUBSCRIBE -> {
                MqttSubscribeMessage subscribe = (MqttSubscribeMessage) message;
                for (MqttTopicSubscription topic : subscribe.payload().topicSubscriptions()) {
                    line("sending SUBSCRIBE (Mid: " + subscribe.variableHeader().messageId() + ", Topic: "
                            + topic.topicFilter() + ", QoS: " + topic.qualityOfService().value() + ", Options: 0x"
                            + String.format("%02x", optionBits(topic)) + ")");
                }
            }
            case UNSUBSCRIBE -> {
                MqttUnsubscribeMessage unsubscribe = (MqttUnsubscribeMessage) message;
                for (String filter : unsubscribe.payload().topics()) {
                    line("sending UNSUBSCRIBE (Mid: " + unsubscribe.variableHeader().messageId() + ", Topic: "
                            + filter + ")");
                }
            }
            default -> line("sending " + message.fixedHeader().messageType());
        }
    }

    @Override
    public void received(MqttMessage message) {
        switch (message.fixedHeader().messageType()) {
            case CONNACK -> {
                MqttConnAckMessage connAck = (MqttConnAckMessage) message;
                MqttProperties.MqttProperty<?> assigned = connAck.variableHeader().properties()
                        .getProperty(MqttProperties.ASSIGNED_CLIENT_IDENTIFIER);
                if (assigned != null) {
                    clientId = (String) assigned.value();
                }
                line("received CONNACK (" + (connAck.variableHeader().connectReturnCode().byteValue() & 0xFF) + ")");
            }
            case PUBLISH -> line("received PUBLISH " + describe((MqttPublishMessage) message));
            case PUBACK, PUBCOMP -> line("received " + message.fixedHeader().messageType() + " (Mid: " + id(message)
                    + ", RC:" + reasonCode(message) + ")");
            case PUBREC, PUBREL -> line("received " + message.fixedHeader().messageType() + " (Mid: " + id(message)
                    + ")");
            case SUBACK -> {
                line("received SUBACK");
                if (reportSubscriptions) {
                    MqttSubAckMessage subAck = (MqttSubAckMessage) message;
                    out.println("Subscribed (mid: " + subAck.variableHeader().messageId() + "): "
                            + subAck.payload().reasonCodes().stream().map(String::valueOf)
                            .collect(Collectors.joining(", ")));
                    out.flush();
                }
            }
            default -> line("received " + message.fixedHeader().messageType());
        }
    }

    private void line(String text) {
        out.println("Client " + clientId + " " + text);
        out.flush();
    }

    private static String describe(MqttPublishMessage publish) {
        return "(d" + (publish.fixedHeader().isDup() ? 1 : 0) + ", q" + publish.fixedHeader().qosLevel().value()
                + ", r" + (publish.fixedHeader().isRetain() ? 1 : 0) + ", m"
                + Math.max(publish.variableHeader().packetId(), 0) + ", '" + publish.variableHeader().topicName()
                + "', ... (" + publish.payload().readableBytes() + " bytes))";
    }

    private static int id(MqttMessage message) {
        return message.variableHeader() instanceof MqttMessageIdVariableHeader header ? header.messageId() : 0;
    }

    private static int reasonCode(MqttMessage message) {
        return message.variableHeader() instanceof MqttPubReplyMessageVariableHeader header
                ? header.reasonCode() & 0xFF : 0;
    }

    /** The subscription options byte without the QoS bits (MQTT 5, 3.8.3.1). */
    private static int optionBits(MqttTopicSubscription topic) {
        var option = topic.option();
        return (option.isNoLocal() ? 0x04 : 0) | (option.isRetainAsPublished() ? 0x08 : 0)
                | (option.retainHandling().value() << 4);
    }
}
