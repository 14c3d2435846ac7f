package io.estafeta.broker.http;

import io.estafeta.broker.bridge.BridgeStatus;
import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.metrics.BrokerMetrics;
import io.estafeta.broker.retain.RetainedMessages;
import io.estafeta.broker.routing.InternalSubscribers;
import io.estafeta.broker.routing.Router;
import io.estafeta.broker.routing.SubscriptionTree;
import io.estafeta.broker.session.SessionRegistry;
import io.estafeta.broker.store.Persistence;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the HTTP listener reads and acts on: the broker's own structures, handed over by the broker when it
 * starts. The listener keeps no copy of broker state.
 *
 * @param mqttAddresses the MQTT listeners' bound addresses, for broker info
 * @param startedAtMillis when the broker started (epoch millis), for its uptime
 * @param store           the broker's store: its statistics for /metrics, its checkpoint for backups
 * @param bridges         a snapshot of every bridge, in configuration order (bridges start after this listener)
 */
public record HttpServices(BrokerConfig config, String version, long startedAtMillis,
                           List<InetSocketAddress> mqttAddresses, BrokerMetrics metrics, SessionRegistry sessions,
                           SubscriptionTree subscriptions, RetainedMessages retained, Router router,
                           InternalSubscribers internalSubscribers, Persistence store,
                           Supplier<List<BridgeStatus>> bridges) {
}
