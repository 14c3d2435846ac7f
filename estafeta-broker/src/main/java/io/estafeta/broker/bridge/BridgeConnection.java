package io.estafeta.broker.bridge;

import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.routing.MessageSink;
import io.estafeta.broker.session.Session;
import io.estafeta.broker.session.SessionConnection;
import io.estafeta.broker.transport.Mqtt5Properties;
import io.estafeta.client.MqttClient;
import io.estafeta.client.PublishFailedException;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bridge's local session sees the remote broker through this connection: a delivery becomes a
 * PUBLISH by the bridge's {@link MqttClient}, and the session's in-flight message is acknowledged only
 * when the remote broker has taken it (QoS 1: PUBACK, QoS 2: PUBCOMP). Until then it stays in flight in
 * the session; nothing is lost when the remote connection drops in between.
 *
 * <p>Both the session and the client live on one event loop ({@link #eventLoop()}); every method runs
 * there.
 */
final class BridgeConnection implements SessionConnection {

    private static final Logger LOG = LoggerFactory.getLogger(BridgeConnection.class);
    private static final int QOS_1 = 1;

    private final String name;
    private final EventLoop loop;
    private final MqttClient client;
    private final BridgeTopics topics;
    private final boolean mqtt5;
    private final int receiveMaximum;
    private final AtomicLong messagesOut;
    private final IdleTimer idle;
    /**
     * The client's publish of each local in-flight packet id, while the client still holds it. When the
     * session re-sends such a message after a reconnect (DUP), the client is already re-sending it on its
     * own, with its own packet id: it is not published twice.
     */
    private final Map<Integer, CompletableFuture<Void>> pending = new HashMap<>();
    private Session session;

    BridgeConnection(String name, EventLoop loop, MqttClient client, BridgeTopics topics, boolean mqtt5,
                     int receiveMaximum, AtomicLong messagesOut, IdleTimer idle) {
        this.name = name;
        this.loop = loop;
        this.client = client;
        this.topics = topics;
        this.mqtt5 = mqtt5;
        this.receiveMaximum = receiveMaximum;
        this.messagesOut = messagesOut;
        this.idle = idle;
    }

    /** The session whose deliveries this connection carries (set when it is attached). */
    void attachedTo(Session attached) {
        this.session = attached;
    }

    @Override
    public EventLoop eventLoop() {
        return loop;
    }

    /** The client queues what the socket cannot take yet, bounded by the session's in-flight window. */
    @Override
    public boolean isWritable() {
        return true;
    }

    @Override
    public boolean sendPublish(ApplicationMessage message, int qos, int packetId, boolean dup, boolean retain,
                               int[] subscriptionIds) {
        if (dup && pending.containsKey(packetId)) {
            return true;
        }
        Optional<String> remoteTopic = topics.toRemote(message.topic());
        if (remoteTopic.isEmpty()) {
            // Only out/both filters are subscribed, so this does not happen; skip it as delivered.
            LOG.debug("bridge {}: no outgoing topic line takes {}", name, message.topic());
            return false;
        }
        idle.traffic();
        MqttProperties properties = mqtt5
                ? Mqtt5Properties.forDelivery(message, System.currentTimeMillis(), MessageSink.NO_SUBSCRIPTION_IDS, 0)
                : MqttProperties.NO_PROPERTIES;
        CompletableFuture<Void> sent = client.publish(remoteTopic.get(), message.payload(), MqttQoS.valueOf(qos),
                retain, properties);
        if (qos == 0) {
            sent.thenRun(messagesOut::incrementAndGet);
            return true;
        }
        pending.put(packetId, sent);
        sent.whenComplete((ignored, failure) -> loop.execute(() -> completed(packetId, qos, sent, failure)));
        return true;
    }

    /** The client's flow for one local in-flight message ended. On the loop. */
    private void completed(int packetId, int qos, CompletableFuture<Void> sent, Throwable failure) {
        pending.remove(packetId, sent);
        Throwable cause = failure instanceof java.util.concurrent.CompletionException wrapped
                && wrapped.getCause() != null ? wrapped.getCause() : failure;
        if (cause != null && !(cause instanceof PublishFailedException)) {
            // The connection or the client went away before the remote took it: it stays in flight in the
            // session and is sent again when the remote is back.
            LOG.debug("bridge {}: packet id {} not acknowledged yet ({})", name, packetId, cause.getMessage());
            return;
        }
        if (cause != null) {
            // A 5.0 remote refused it (e.g. not authorized): retrying would not help.
            LOG.info("bridge {}: the remote broker refused a message: {}", name, cause.getMessage());
        } else {
            messagesOut.incrementAndGet();
        }
        Session acknowledged = session;
        if (acknowledged == null) {
            return;
        }
        acknowledged.execute(() -> {
            if (qos == QOS_1) {
                acknowledged.onPuback(packetId);
            } else {
                // The client ran PUBREC/PUBREL/PUBCOMP with the remote; the session's own flow ends here.
                acknowledged.onPubrec(packetId);
                acknowledged.onPubcomp(packetId);
            }
        });
    }

    @Override
    public int receiveMaximum() {
        return receiveMaximum;
    }

    /** The client sends PUBREL to the remote broker itself. */
    @Override
    public void sendPubrel(int packetId) {
    }

    @Override
    public void closeForTakeover() {
        LOG.warn("bridge {}: a client connected with the bridge's local client id and took its session over", name);
    }

    @Override
    public String username() {
        return null;
    }

    @Override
    public String describe() {
        return "bridge " + name + " to " + client.currentAddress();
    }
}
