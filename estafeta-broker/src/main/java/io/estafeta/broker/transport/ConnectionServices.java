package io.estafeta.broker.transport;

import io.estafeta.broker.auth.Authenticator;
import io.estafeta.broker.auth.Authorizer;
import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.metrics.BrokerMetrics;
import io.estafeta.broker.routing.Router;
import io.estafeta.broker.session.SessionRegistry;
import io.netty.channel.group.ChannelGroup;

/** What every connection handler shares: the broker's services, built once by the broker. */
record ConnectionServices(
        BrokerConfig config,
        SessionRegistry sessions,
        Router router,
        WillPublisher wills,
        Authenticator authenticator,
        Authorizer authorizer,
        AuthenticationExecutor authentication,
        BrokerMetrics metrics,
        ChannelGroup connections,
        KeepAliveSweeps keepAlive) {
}
