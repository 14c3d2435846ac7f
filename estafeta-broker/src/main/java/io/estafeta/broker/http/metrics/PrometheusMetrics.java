package io.estafeta.broker.http.metrics;

import io.estafeta.broker.http.HttpServices;
import io.estafeta.broker.http.SessionTotals;
import io.estafeta.broker.metrics.BrokerMetrics;
import io.estafeta.broker.metrics.BrokerMetrics.RefusalCause;
import io.estafeta.broker.store.Persistence;
import io.estafeta.broker.store.StoreStatistics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The broker's metrics in Prometheus' text format, through Micrometer. Every broker meter is a function
 * counter or gauge that reads {@link BrokerMetrics} (or the session registry, retained store and
 * subscription tree) when scraped: the publish path bumps its own striped counters and never looks up a
 * Micrometer meter. The queue and in-flight gauges read the {@link SessionTotals} taken just before each
 * scrape. docs/OPERATIONS.md lists every metric.
 */
public final class PrometheusMetrics implements AutoCloseable {

    private static final String QOS = "qos";
    private static final String CAUSE = "cause";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicReference<SessionTotals> sessionTotals = new AtomicReference<>(SessionTotals.NONE);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();

    public PrometheusMetrics(HttpServices services) {
        BrokerMetrics metrics = services.metrics();
        gauge("estafeta.clients.connected", "Clients connected now", metrics::connectedClients);
        counter("estafeta.connections", "Connections accepted as clients (CONNACK success)", metrics,
                BrokerMetrics::totalConnections);
        for (RefusalCause cause : RefusalCause.values()) {
            FunctionCounter.builder("estafeta.connections.refused", metrics, m -> m.connectionsRefused(cause))
                    .description("Connections refused, by cause").tag(CAUSE, cause.label()).register(registry);
        }
        for (int level = 0; level < BrokerMetrics.QOS_LEVELS; level++) {
            int qos = level;
            String tag = Integer.toString(qos);
            FunctionCounter.builder("estafeta.messages.received", metrics, m -> m.messagesReceived(qos))
                    .description("PUBLISH packets received from clients, by QoS").tag(QOS, tag).register(registry);
            FunctionCounter.builder("estafeta.messages.sent", metrics, m -> m.messagesSent(qos))
                    .description("PUBLISH packets sent to clients (re-sends included), by QoS").tag(QOS, tag)
                    .register(registry);
            FunctionCounter.builder("estafeta.payload.bytes.received", metrics, m -> m.payloadBytesReceived(qos))
                    .description("Payload bytes of PUBLISH packets received, by QoS").tag(QOS, tag)
                    .register(registry);
            FunctionCounter.builder("estafeta.payload.bytes.sent", metrics, m -> m.payloadBytesSent(qos))
                    .description("Payload bytes of PUBLISH packets sent, by QoS").tag(QOS, tag).register(registry);
        }
        counter("estafeta.network.bytes.received", "Bytes of MQTT packets read (after TLS)", metrics,
                BrokerMetrics::networkBytesReceived);
        counter("estafeta.network.bytes.sent", "Bytes of MQTT packets written (before TLS)", metrics,
                BrokerMetrics::networkBytesSent);
        dropped("slow_client", metrics, BrokerMetrics::qos0DroppedSlowClient);
        dropped("queue_full", metrics, BrokerMetrics::droppedQueueFullCount);
        dropped("oversize", metrics, BrokerMetrics::droppedOversizeCount);
        dropped("not_authorized", metrics, BrokerMetrics::droppedNotAuthorizedCount);
        counter("estafeta.publisher.pauses", "Times a publisher stopped being read for a congested subscriber",
                metrics, BrokerMetrics::publisherPauses);
        counter("estafeta.protocol.violations", "Connections closed for breaking the protocol", metrics,
                BrokerMetrics::protocolViolations);
        gauge("estafeta.sessions", "Sessions held, connected or not", services.sessions()::size);
        gauge("estafeta.subscriptions", "Client subscriptions (operators' live views not counted)",
                () -> services.subscriptions().size() - services.internalSubscribers().size());
        gauge("estafeta.retained.messages", "Retained messages", services.retained()::size);
        gauge("estafeta.session.queued.messages", "Messages waiting in session queues, all sessions",
                () -> sessionTotals.get().queuedMessages());
        gauge("estafeta.session.queued.messages.max", "The longest session queue",
                () -> sessionTotals.get().maxQueuedMessages());
        gauge("estafeta.session.queued.bytes", "Payload bytes waiting in session queues",
                () -> sessionTotals.get().queuedBytes());
        gauge("estafeta.inflight.messages", "QoS 1/2 messages sent and not yet acknowledged, all sessions",
                () -> sessionTotals.get().inflightMessages());
        gauge("estafeta.uptime.seconds", "Seconds since the broker started",
                () -> (System.currentTimeMillis() - services.startedAtMillis()) / 1000.0);
        storeMeters(services.store());
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /**
     * The store's counters (all 0 with {@code persistence false}), read from {@link Persistence#statistics()}
     * when scraped, and its batch commit latency as a timer's count and sum: the writer adds one clock pair
     * per batch and nothing else.
     */
    private void storeMeters(Persistence store) {
        storeCounter(store, "estafeta.store.writes", "Store writes requested", StoreStatistics::writes);
        storeCounter(store, "estafeta.store.batches", "Store batches written (each holds the writes that were"
                + " waiting)", StoreStatistics::batches);
        storeCounter(store, "estafeta.store.syncs", "Store syncs to disk", StoreStatistics::syncs);
        storeCounter(store, "estafeta.store.batches.failed", "Store batches whose write failed (their writes"
                + " failed)", StoreStatistics::failedBatches);
        FunctionCounter.builder("estafeta.store.writes.refused", store, s -> s.statistics().refusedForSpace())
                .description("Store writes refused, by cause").tag(CAUSE, "disk_space").register(registry);
        FunctionTimer.builder("estafeta.store.batch.commit", store, s -> s.statistics().batches(),
                        s -> s.statistics().batchCommitNanos(), TimeUnit.NANOSECONDS)
                .description("Time to commit a store batch (write and, in sync mode, sync)").register(registry);
    }

    private void storeCounter(Persistence store, String name, String description,
                              ToLongFunction<StoreStatistics> value) {
        FunctionCounter.builder(name, store, s -> value.applyAsLong(s.statistics())).description(description)
                .register(registry);
    }

    private void gauge(String name, String description, java.util.function.Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    private void counter(String name, String description, BrokerMetrics metrics, ToDoubleFunction<BrokerMetrics> value) {
        FunctionCounter.builder(name, metrics, value).description(description).register(registry);
    }

    private void dropped(String cause, BrokerMetrics metrics, ToDoubleFunction<BrokerMetrics> value) {
        FunctionCounter.builder("estafeta.messages.dropped", metrics, value)
                .description("Messages not delivered, by cause").tag(CAUSE, cause).register(registry);
    }

    /** The text exposition (format 0.0.4), with the queue gauges from {@code totals}. */
    public String scrape(SessionTotals totals) {
        sessionTotals.set(totals);
        return registry.scrape();
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
