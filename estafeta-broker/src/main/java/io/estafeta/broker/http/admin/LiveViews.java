package io.estafeta.broker.http.admin;

import io.estafeta.broker.http.BadRequestException;
import io.estafeta.broker.http.HttpExchange;
import io.estafeta.broker.http.HttpServices;
import io.estafeta.broker.http.ServerSentEvents;
import io.estafeta.broker.http.SessionTotals;
import io.estafeta.broker.metrics.BrokerMetrics;
import io.estafeta.broker.routing.SharedSubscriptions;
import io.estafeta.protocol.Topics;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What the dashboard follows live: {@code /api/stats} (once or as a stream of Server-Sent Events, with the top
 * topics) and {@code /api/watch} (the messages matching a filter, through an internal subscriber).
 */
final class LiveViews {

    private static final Logger LOG = LoggerFactory.getLogger(LiveViews.class);

    private static final int TOP_TOPICS = 10;
    private static final long STATS_INTERVAL_MILLIS = 1000;
    private static final long KEEP_ALIVE_INTERVAL_MILLIS = 15_000;
    private static final String WATCH = "admin-watch";

    private final HttpServices services;
    private final TopTopics topTopics;

    LiveViews(HttpServices services) {
        this.services = services;
        this.topTopics = new TopTopics(services.internalSubscribers());
    }

    /** Counters, gauges and the top topics right now; the dashboard turns counters into rates. */
    CompletableFuture<Map<String, Object>> stats() {
        return AdminAnswers.snapshots(services).thenApply(all -> {
            SessionTotals totals = SessionTotals.of(all);
            BrokerMetrics.Snapshot counters = services.metrics().snapshot();
            Map<String, Object> stats = new LinkedHashMap<>();
            long now = System.currentTimeMillis();
            stats.put("time", now);
            stats.put("uptimeSeconds", (now - services.startedAtMillis()) / 1000);
            stats.put("clientsConnected", counters.connectedClients());
            stats.put("connectionsTotal", counters.totalConnections());
            stats.put("connectionsRefused", counters.connectionsRefused());
            stats.put("messagesReceived", counters.messagesReceived());
            stats.put("messagesSent", counters.messagesSent());
            stats.put("bytesReceived", counters.bytesReceived());
            stats.put("bytesSent", counters.bytesSent());
            stats.put("messagesDropped", counters.qos0DroppedSlowClient() + counters.droppedQueueFull()
                    + counters.droppedOversize() + counters.droppedNotAuthorized());
            stats.put("sessions", totals.sessions());
            stats.put("subscriptions", services.subscriptions().size()
                    - services.internalSubscribers().size());
            stats.put("retainedMessages", services.retained().size());
            stats.put("queuedMessages", totals.queuedMessages());
            stats.put("maxQueuedMessages", totals.maxQueuedMessages());
            stats.put("inflightMessages", totals.inflightMessages());
            stats.put("topTopics", topTopics.top(TOP_TOPICS, now));
            return stats;
        });
    }

    /** Every second, the stats as an SSE event named "stats", while the connection stays open. */
    void statsStream(HttpExchange exchange) {
        ServerSentEvents events = ServerSentEvents.open(exchange.ctx());
        topTopics.watcherAdded();
        ScheduledFuture<?> ticks = exchange.ctx().executor().scheduleAtFixedRate(() -> {
            if (events.isWritable()) {
                stats().thenAccept(stats -> events.send("stats", stats));
            }
        }, 0, STATS_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        exchange.ctx().channel().closeFuture().addListener(closed -> {
            ticks.cancel(false);
            topTopics.watcherRemoved();
        });
    }

    /** The messages matching {@code ?filter=}, as SSE events named "message", until the connection closes. */
    void watch(HttpExchange exchange) throws BadRequestException {
        String filter = exchange.parameter("filter", null);
        if (filter == null || !Topics.isValidTopicFilter(filter) || filter.startsWith(SharedSubscriptions.PREFIX)) {
            throw new BadRequestException("filter must be a topic filter (not a shared subscription), e.g. ?filter=a%2F%23");
        }
        ServerSentEvents events = ServerSentEvents.open(exchange.ctx());
        String id = services.internalSubscribers().add(WATCH, filter, new LiveFeed(events));
        LOG.info("admin API: watching {} for {}", filter, exchange.ctx().channel().remoteAddress());
        events.send("watching", Map.of("filter", filter));
        ScheduledFuture<?> keepAlive = exchange.ctx().executor().scheduleAtFixedRate(events::keepAlive,
                KEEP_ALIVE_INTERVAL_MILLIS, KEEP_ALIVE_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        exchange.ctx().channel().closeFuture().addListener(closed -> {
            keepAlive.cancel(false);
            services.internalSubscribers().remove(id, filter);
            LOG.debug("admin API: stopped watching {}", filter);
        });
    }
}
