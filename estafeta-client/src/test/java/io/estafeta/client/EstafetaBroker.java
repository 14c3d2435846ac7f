package io.estafeta.client;

import io.estafeta.broker.Broker;
import io.estafeta.broker.config.BrokerConfig;

/** Estafeta's own broker on a free loopback port, for one test class. */
final class EstafetaBroker implements AutoCloseable {

    private final Broker broker;

    private EstafetaBroker(BrokerConfig config) {
        this.broker = Broker.start(config);
    }

    static EstafetaBroker start() {
        return start(BrokerConfig.builder().persistence(false).localOnlyPort(0));
    }

    static EstafetaBroker start(BrokerConfig.Builder config) {
        return new EstafetaBroker(config.build());
    }

    int port() {
        return broker.boundAddresses().get(0).getPort();
    }

    String host() {
        return broker.boundAddresses().get(0).getHostString();
    }

    @Override
    public void close() {
        broker.close();
    }
}
