package io.estafeta.client;

import io.estafeta.client.OutgoingPublish.Stage;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The client side of an MQTT session (4.1): the QoS 1/2 messages this client sent and the server has
 * not fully acknowledged, the QoS 2 messages it received and has not been released from, plus the
 * messages waiting to be sent and the SUBSCRIBE/UNSUBSCRIBE waiting for an answer. It outlives a
 * connection when the session does. Confined to the client's event loop.
 */
final class ClientSession {

    private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);
    private static final int NO_PACKET_ID = 0;
    /** Reason codes of 0x80 and above report failure (5.0, 2.4). */
    private static final int FAILURE_THRESHOLD = 0x80;

    private final Supplier<MessageListener> listener;
    private final String logName;

    /** Accepted by {@code publish} and not yet sent on the current connection, in order. */
    private final ArrayDeque<OutgoingPublish> unsent = new ArrayDeque<>();
    /** QoS 1/2 messages sent and not yet completely acknowledged, in the order sent. */
    private final LinkedHashMap<Integer, OutgoingPublish> inflight = new LinkedHashMap<>();
    /** SUBSCRIBE and UNSUBSCRIBE waiting for SUBACK / UNSUBACK. */
    private final Map<Integer, CompletableFuture<?>> requests = new HashMap<>();
    /** Packet ids of QoS 2 messages received (PUBREC sent) and not yet released by PUBREL (4.3.3, method B). */
    private final Set<Integer> receivedQos2 = new HashSet<>();
    private final PacketIds packetIds = new PacketIds();

    private Channel channel;
    private MqttVersion version = MqttVersion.MQTT_3_1_1;
    private int window = 1;
    private int maximumQos = MqttQoS.EXACTLY_ONCE.value();
    private boolean retainAvailable = true;

    ClientSession(Supplier<MessageListener> listener, String logName) {
        this.listener = listener;
        this.logName = logName;
    }

    /**
     * Takes an accepted connection: re-sends what the session has in flight, or starts over if the
     * server kept nothing, then sends what waits.
     *
     * @param window at most this many QoS 1/2 PUBLISH in flight
     */
    void attach(Channel channel, ConnAck connAck, boolean cleanStart, int window) {
        this.channel = channel;
        this.version = connAck.version();
        this.window = window;
        this.maximumQos = connAck.maximumQos().orElse(MqttQoS.EXACTLY_ONCE.value());
        this.retainAvailable = connAck.retainAvailable();
        // MQTT 3.1 has no Session Present flag: with clean session 0 the server resumes the session.
        boolean resumed = !cleanStart && (connAck.sessionPresent() || version == MqttVersion.MQTT_3_1);
        if (resumed) {
            resend();
        } else {
            startOver();
        }
        drain();
    }

    /**
     * The connection is gone. Requests waiting for an answer fail (a new connection does not answer
     * them). Messages fail too unless {@code keepMessages}: the session outlives the connection, or a
     * reconnect follows.
     */
    void detach(Throwable cause, boolean keepMessages) {
        channel = null;
        failRequests(cause);
        if (!keepMessages) {
            failMessages(cause);
        }
    }

    /** Fails everything: the client is closing. */
    void discard(Throwable cause) {
        failRequests(cause);
        failMessages(cause);
        receivedQos2.clear();
    }

    /** Fails the messages not yet sent (a DISCONNECT is on its way). */
    void failUnsent(Throwable cause) {
        while (!unsent.isEmpty()) {
            unsent.poll().fail(cause);
        }
    }

    boolean isAttached() {
        return channel != null;
    }

    void publish(OutgoingPublish message) {
        unsent.add(message);
        drain();
    }

    /**
     * Sends waiting messages while the socket takes them (TCP backpressure: {@link Channel#isWritable()})
     * and, for QoS 1/2, while the in-flight window has room.
     */
    void drain() {
        if (channel == null) {
            return;
        }
        boolean wrote = false;
        while (!unsent.isEmpty() && channel.isWritable()) {
            OutgoingPublish message = unsent.peek();
            boolean acknowledged = message.qos() != MqttQoS.AT_MOST_ONCE;
            if (acknowledged && inflight.size() >= window) {
                break;
            }
            unsent.poll();
            if (!allowedByServer(message)) {
                continue;
            }
            if (acknowledged) {
                int id = packetIds.take();
                if (id == NO_PACKET_ID) {
                    unsent.addFirst(message);
                    break;
                }
                message.sentAs(id);
                inflight.put(id, message);
                channel.write(message.toPacket(false), channel.voidPromise());
            } else {
                channel.write(message.toPacket(false)).addListener(write -> {
                    if (write.isSuccess()) {
                        message.complete();
                    } else {
                        message.fail(new MqttClientException("PUBLISH not written", write.cause()));
                    }
                });
            }
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    CompletableFuture<SubAck> subscribe(List<Subscription> subscriptions, MqttProperties properties) {
        CompletableFuture<SubAck> answer = new CompletableFuture<>();
        int id = takeRequestId(answer);
        if (id != NO_PACKET_ID) {
            List<Subscription> sent = version == MqttVersion.MQTT_5 ? subscriptions : withQosOnly(subscriptions);
            channel.writeAndFlush(ClientPackets.subscribe(id, sent, properties), channel.voidPromise());
        }
        return answer;
    }

    CompletableFuture<UnsubAck> unsubscribe(List<String> filters, MqttProperties properties) {
        CompletableFuture<UnsubAck> answer = new CompletableFuture<>();
        int id = takeRequestId(answer);
        if (id != NO_PACKET_ID) {
            channel.writeAndFlush(ClientPackets.unsubscribe(id, filters, properties), channel.voidPromise());
        }
        return answer;
    }

    // ---- packets from the server ----

    /** An application message: deliver it once and acknowledge it as its QoS requires (4.3). */
    void onPublish(MqttPublishMessage publish) {
        MqttQoS qos = publish.fixedHeader().qosLevel();
        int packetId = Math.max(publish.variableHeader().packetId(), NO_PACKET_ID);
        ReceivedMessage message = new ReceivedMessage(publish.variableHeader().topicName(),
                ByteBufUtil.getBytes(publish.payload()), qos, publish.fixedHeader().isRetain(),
                publish.fixedHeader().isDup(), packetId, publish.variableHeader().properties());
        switch (qos) {
            case AT_MOST_ONCE -> deliver(message);
            case AT_LEAST_ONCE -> {
                // [MQTT-4.3.2-2] PUBACK once the message is taken: after the listener ran.
                deliver(message);
                reply(MqttMessageType.PUBACK, packetId, MqttReasonCodes.PubAck.SUCCESS.byteValue());
            }
            case EXACTLY_ONCE -> {
                // [MQTT-4.3.3-2] method B: deliver on the first PUBLISH with this id, then only answer
                // PUBREC until PUBREL releases the id.
                if (receivedQos2.add(packetId)) {
                    deliver(message);
                }
                reply(MqttMessageType.PUBREC, packetId, MqttReasonCodes.PubRec.SUCCESS.byteValue());
            }
            default -> throw new IllegalStateException("decoder produced QoS " + qos);
        }
    }

    void onPubAck(MqttMessageIdVariableHeader header) {
        int id = header.messageId();
        OutgoingPublish message = inflight.get(id);
        if (message == null || message.stage() != Stage.AWAITING_PUBACK) {
            LOG.debug("{}: PUBACK for packet id {} that is not waiting for one", logName, id);
            return;
        }
        finish(id, message, reasonCode(header), "PUBACK");
        drain();
    }

    void onPubRec(MqttMessageIdVariableHeader header) {
        int id = header.messageId();
        OutgoingPublish message = inflight.get(id);
        if (message == null || message.stage() == Stage.AWAITING_PUBACK) {
            reply(MqttMessageType.PUBREL, id, MqttReasonCodes.PubRel.PACKET_IDENTIFIER_NOT_FOUND.byteValue());
        } else if (message.stage() == Stage.AWAITING_PUBREC && reasonCode(header) >= FAILURE_THRESHOLD) {
            // 5.0: a PUBREC with a failure code ends the flow; no PUBREL follows (4.3.3).
            finish(id, message, reasonCode(header), "PUBREC");
            drain();
            return;
        } else {
            // [MQTT-4.3.3-5] answer PUBREC with PUBREL; a repeated PUBREC gets the PUBREL again.
            message.released();
            reply(MqttMessageType.PUBREL, id, MqttReasonCodes.PubRel.SUCCESS.byteValue());
        }
        channel.flush();
    }

    void onPubComp(MqttMessageIdVariableHeader header) {
        int id = header.messageId();
        OutgoingPublish message = inflight.get(id);
        if (message == null || message.stage() != Stage.AWAITING_PUBCOMP) {
            LOG.debug("{}: PUBCOMP for packet id {} that is not waiting for one", logName, id);
            return;
        }
        // Any PUBCOMP ends the flow: the server took the message at PUBREC (even "packet identifier not
        // found" only says it already forgot the id).
        inflight.remove(id);
        packetIds.release(id);
        message.complete();
        drain();
    }

    void onPubRel(MqttMessageIdVariableHeader header) {
        int id = header.messageId();
        // [MQTT-4.3.3-11..12] the id is released: a later PUBLISH with it is a new message.
        boolean known = receivedQos2.remove(id);
        reply(MqttMessageType.PUBCOMP, id, known
                ? MqttReasonCodes.PubComp.SUCCESS.byteValue()
                : MqttReasonCodes.PubComp.PACKET_IDENTIFIER_NOT_FOUND.byteValue());
    }

    void onSubAck(int id, List<Integer> reasonCodes, MqttProperties properties) {
        CompletableFuture<?> request = finishRequest(id);
        if (request != null) {
            @SuppressWarnings("unchecked")
            CompletableFuture<SubAck> answer = (CompletableFuture<SubAck>) request;
            answer.complete(new SubAck(reasonCodes, properties));
        }
    }

    void onUnsubAck(int id, List<Integer> reasonCodes, MqttProperties properties) {
        CompletableFuture<?> request = finishRequest(id);
        if (request != null) {
            @SuppressWarnings("unchecked")
            CompletableFuture<UnsubAck> answer = (CompletableFuture<UnsubAck>) request;
            answer.complete(new UnsubAck(reasonCodes, properties));
        }
    }

    // ---- inside ----

    /** [MQTT-4.4.0-1] re-send unacknowledged PUBLISH (DUP set) and PUBREL with their original ids, in order. */
    private void resend() {
        for (OutgoingPublish message : inflight.values()) {
            if (message.stage() == Stage.AWAITING_PUBCOMP) {
                channel.write(ClientPackets.publishReply(MqttMessageType.PUBREL, message.packetId(),
                        MqttReasonCodes.PubRel.SUCCESS.byteValue()), channel.voidPromise());
            } else {
                channel.write(message.toPacket(true), channel.voidPromise());
            }
        }
        channel.flush();
    }

    /**
     * The server holds no session for this client (clean start, or Session Present 0), so the client
     * discards its own session state ([MQTT-3.2.2-5] in 5.0, 3.2.2.2 in 3.1.1). Messages the server
     * already took (PUBREC received) are complete; messages it never acknowledged are sent again, as new
     * messages, ahead of those still waiting.
     */
    private void startOver() {
        receivedQos2.clear();
        List<OutgoingPublish> again = new ArrayList<>();
        for (OutgoingPublish message : inflight.values()) {
            packetIds.release(message.packetId());
            if (message.stage() == Stage.AWAITING_PUBCOMP) {
                message.complete();
            } else {
                message.unsent();
                again.add(message);
            }
        }
        inflight.clear();
        for (int i = again.size() - 1; i >= 0; i--) {
            unsent.addFirst(again.get(i));
        }
    }

    private boolean allowedByServer(OutgoingPublish message) {
        if (message.qos().value() > maximumQos) {
            // [MQTT-3.2.2-11] (5.0) a client must not send a QoS above the server's Maximum QoS.
            message.fail(new PublishFailedException(MqttReasonCodes.Disconnect.QOS_NOT_SUPPORTED.byteValue() & 0xFF,
                    "the server accepts QoS " + maximumQos + " at most"));
            return false;
        }
        if (message.retain() && !retainAvailable) {
            // [MQTT-3.2.2-14] (5.0) no retained PUBLISH to a server without Retain Available.
            message.fail(new PublishFailedException(MqttReasonCodes.Disconnect.RETAIN_NOT_SUPPORTED.byteValue() & 0xFF,
                    "the server does not support retained messages"));
            return false;
        }
        return true;
    }

    private void finish(int id, OutgoingPublish message, int reasonCode, String packet) {
        inflight.remove(id);
        packetIds.release(id);
        if (reasonCode >= FAILURE_THRESHOLD) {
            message.fail(new PublishFailedException(reasonCode,
                    packet + " with reason code 0x" + Integer.toHexString(reasonCode)));
        } else {
            message.complete();
        }
    }

    private void deliver(ReceivedMessage message) {
        try {
            listener.get().onMessage(message);
        } catch (RuntimeException e) {
            LOG.warn("{}: message listener failed on a message to {}", logName, message.topic(), e);
        }
    }

    private void reply(MqttMessageType type, int packetId, byte reasonCode) {
        int sentCode = version == MqttVersion.MQTT_5 ? reasonCode & 0xFF : 0;
        channel.write(ClientPackets.publishReply(type, packetId, sentCode), channel.voidPromise());
    }

    private int takeRequestId(CompletableFuture<?> answer) {
        if (channel == null) {
            answer.completeExceptionally(new MqttClientException("not connected"));
            return NO_PACKET_ID;
        }
        int id = packetIds.take();
        if (id == NO_PACKET_ID) {
            answer.completeExceptionally(new MqttClientException("all 65535 packet identifiers are in use"));
            return NO_PACKET_ID;
        }
        requests.put(id, answer);
        return id;
    }

    private CompletableFuture<?> finishRequest(int id) {
        CompletableFuture<?> request = requests.remove(id);
        if (request == null) {
            LOG.debug("{}: answer for packet id {} that no request waits for", logName, id);
        } else {
            packetIds.release(id);
        }
        return request;
    }

    private void failRequests(Throwable cause) {
        for (Map.Entry<Integer, CompletableFuture<?>> request : requests.entrySet()) {
            packetIds.release(request.getKey());
            request.getValue().completeExceptionally(cause);
        }
        requests.clear();
    }

    private void failMessages(Throwable cause) {
        for (OutgoingPublish message : inflight.values()) {
            packetIds.release(message.packetId());
            message.fail(cause);
        }
        inflight.clear();
        failUnsent(cause);
    }

    private static int reasonCode(MqttMessageIdVariableHeader header) {
        return header instanceof MqttPubReplyMessageVariableHeader reply ? reply.reasonCode() & 0xFF : 0;
    }

    private static List<Subscription> withQosOnly(List<Subscription> subscriptions) {
        // MQTT 3.1/3.1.1 SUBSCRIBE carries only the requested QoS; the other option bits are reserved
        // ([MQTT-3-8.3-4]) and the encoder writes just the QoS.
        return subscriptions.stream().map(subscription -> new Subscription(subscription.filter(), subscription.qos()))
                .toList();
    }
}
