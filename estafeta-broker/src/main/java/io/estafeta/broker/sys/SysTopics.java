package io.estafeta.broker.sys;

import io.estafeta.broker.BrokerVersion;
import io.estafeta.broker.auth.ServerTopicRules;
import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.metrics.BrokerMetrics;
import io.estafeta.broker.retain.RetainedMessages;
import io.estafeta.broker.routing.Router;
import io.estafeta.broker.routing.SubscriptionTree;
import io.estafeta.broker.session.Session;
import io.estafeta.broker.session.SessionRegistry;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * The broker's statistics under {@code $SYS/broker/}, in Mosquitto's layout (mosquitto(8), "BROKER
 * STATUS"), published as retained QoS 0 messages every {@code sys_interval} by the broker itself. They go
 * through the {@link Router} like any message, so whoever reads them is asked for by the authorizer: with
 * an ACL file only clients granted {@code $SYS} topics get them. Clients cannot publish there
 * ({@link ServerTopicRules}).
 *
 * <p>Only values the broker knows exactly are published. Not published: {@code messages/inflight},
 * {@code store/messages/...} and {@code heap/...}. The counts of messages and bytes cover MQTT packets
 * (not TLS records or WebSocket frame headers); {@code retained messages/count} leaves out the broker's own
 * {@code $SYS} messages. Called from one thread at a time (a scheduled task on one event loop).
 */
public final class SysTopics {

    static final String PREFIX = ServerTopicRules.SYS_PREFIX + "/broker/";
    private static final String PUBLISHER_ID = "$SYS";
    private static final int QOS = 0;
    private static final double MILLIS_PER_SECOND = 1000.0;

    private final BrokerMetrics metrics;
    private final SessionRegistry sessions;
    private final SubscriptionTree subscriptions;
    private final RetainedMessages retained;
    private final Router router;
    private final long startMillis;
    private final String version;
    /** Load averages by topic below {@code load/}, with the counter each follows. */
    private final Map<String, Load> loads = new LinkedHashMap<>();
    /** The $SYS topics already retained, so that they can be left out of the retained count. */
    private final Set<String> retainedByUs = new HashSet<>();
    private long lastUpdateMillis;

    private record Load(ToLongFunction<BrokerMetrics.Snapshot> counter, LoadAverage average) {
    }

    public SysTopics(BrokerMetrics metrics, SessionRegistry sessions, SubscriptionTree subscriptions,
                     RetainedMessages retained, Router router, long startMillis) {
        this.metrics = metrics;
        this.sessions = sessions;
        this.subscriptions = subscriptions;
        this.retained = retained;
        this.router = router;
        this.startMillis = startMillis;
        this.lastUpdateMillis = startMillis;
        this.version = "estafeta version " + BrokerVersion.current();
        BrokerMetrics.Snapshot initial = metrics.snapshot();
        follow("messages/received", BrokerMetrics.Snapshot::packetsReceived, initial);
        follow("messages/sent", BrokerMetrics.Snapshot::packetsSent, initial);
        follow("publish/received", BrokerMetrics.Snapshot::messagesReceived, initial);
        follow("publish/sent", BrokerMetrics.Snapshot::messagesSent, initial);
        follow("publish/dropped", BrokerMetrics.Snapshot::publishDropped, initial);
        follow("bytes/received", BrokerMetrics.Snapshot::bytesReceived, initial);
        follow("bytes/sent", BrokerMetrics.Snapshot::bytesSent, initial);
        follow("connections", BrokerMetrics.Snapshot::connectPacketsReceived, initial);
        follow("sockets", BrokerMetrics.Snapshot::socketsOpened, initial);
    }

    private void follow(String topic, ToLongFunction<BrokerMetrics.Snapshot> counter, BrokerMetrics.Snapshot initial) {
        loads.put(topic, new Load(counter, new LoadAverage(counter.applyAsLong(initial))));
    }

    /** Computes every value at {@code nowMillis} (wall clock) and publishes it. */
    public void publish(long nowMillis) {
        Map<String, String> values = values(nowMillis);
        for (Map.Entry<String, String> value : values.entrySet()) {
            String topic = PREFIX + value.getKey();
            router.publish(new ApplicationMessage(topic, value.getValue().getBytes(StandardCharsets.UTF_8), QOS,
                    true, PUBLISHER_ID), null, null);
            retainedByUs.add(topic);
        }
    }

    /** The values at {@code nowMillis}, by topic below {@code $SYS/broker/}, in publishing order. */
    Map<String, String> values(long nowMillis) {
        BrokerMetrics.Snapshot counters = metrics.snapshot();
        int disconnected = 0;
        for (Session session : sessions.sessions()) {
            if (!session.isOnline() && session.isPersistent() && !session.isEnded()) {
                disconnected++;
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put("version", version);
        values.put("uptime", (nowMillis - startMillis) / (long) MILLIS_PER_SECOND + " seconds");
        values.put("clients/connected", Integer.toString(counters.connectedClients()));
        values.put("clients/disconnected", Integer.toString(disconnected));
        values.put("clients/total", Integer.toString(counters.connectedClients() + disconnected));
        values.put("clients/maximum", Integer.toString(counters.maximumConnectedClients()));
        values.put("messages/received", Long.toString(counters.packetsReceived()));
        values.put("messages/sent", Long.toString(counters.packetsSent()));
        values.put("publish/messages/received", Long.toString(counters.messagesReceived()));
        values.put("publish/messages/sent", Long.toString(counters.messagesSent()));
        values.put("publish/messages/dropped", Long.toString(counters.publishDropped()));
        values.put("bytes/received", Long.toString(counters.bytesReceived()));
        values.put("bytes/sent", Long.toString(counters.bytesSent()));
        values.put("subscriptions/count", Integer.toString(subscriptions.size()));
        values.put("retained messages/count", Integer.toString(Math.max(0, retained.size() - retainedByUs.size())));
        double elapsedSeconds = (nowMillis - lastUpdateMillis) / MILLIS_PER_SECOND;
        if (elapsedSeconds > 0) {
            lastUpdateMillis = nowMillis;
            for (Load load : loads.values()) {
                load.average().update(load.counter().applyAsLong(counters), elapsedSeconds);
            }
        }
        for (Map.Entry<String, Load> load : loads.entrySet()) {
            double[] averages = load.getValue().average().averages();
            for (int i = 0; i < averages.length; i++) {
                values.put("load/" + load.getKey() + "/" + LoadAverage.WINDOW_NAMES[i],
                        String.format(Locale.ROOT, "%.2f", averages[i]));
            }
        }
        return values;
    }
}
