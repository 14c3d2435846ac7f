package io.estafeta.broker.auth.spi;

import io.estafeta.broker.auth.Authorizer;
import io.estafeta.broker.config.BrokerConfig;

import java.util.Optional;

/** The authorizer half of {@link MarkerAuthenticatorProvider}: one topic, for everything. */
public final class MarkerAuthorizerProvider implements AuthorizerProvider {

    public static final String NAME = "marker";
    public static final String TOPIC = "marker/topic";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Authorizer> create(BrokerConfig config) {
        if (!MarkerAuthenticatorProvider.applies(config)) {
            return Optional.empty();
        }
        return Optional.of(new Authorizer() {
            @Override
            public boolean canPublish(String clientId, String username, String topic) {
                return TOPIC.equals(topic);
            }

            @Override
            public boolean canSubscribe(String clientId, String username, String topicFilter) {
                return TOPIC.equals(topicFilter);
            }

            @Override
            public boolean canReceive(String clientId, String username, String topic) {
                return TOPIC.equals(topic);
            }
        });
    }
}
