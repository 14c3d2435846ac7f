package io.estafeta.broker.bridge;

import io.estafeta.broker.auth.Authorizer;
import io.estafeta.broker.config.BridgeConfig;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The ACL does not apply to a bridge's own session, as in Mosquitto (whose ACL check passes every
 * bridge context): what the bridge's local subscriptions match is sent to the remote broker whatever
 * the ACL says about anonymous clients. Only {@code canReceive} is exempted, for the bridges' local
 * client ids; a network client is still checked when it publishes and subscribes, whatever its id.
 */
public final class BridgeReceiveExemption implements Authorizer {

    private final Authorizer delegate;
    private final Set<String> bridgeClientIds;

    private BridgeReceiveExemption(Authorizer delegate, Set<String> bridgeClientIds) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.bridgeClientIds = bridgeClientIds;
    }

    /** {@code delegate} itself when there are no bridges. */
    public static Authorizer wrap(Authorizer delegate, List<BridgeConfig> bridges) {
        if (bridges.isEmpty()) {
            return delegate;
        }
        return new BridgeReceiveExemption(delegate,
                bridges.stream().map(BridgeConfig::localClientId).collect(Collectors.toUnmodifiableSet()));
    }

    @Override
    public boolean canPublish(String clientId, String username, String topic) {
        return delegate.canPublish(clientId, username, topic);
    }

    @Override
    public boolean canSubscribe(String clientId, String username, String topicFilter) {
        return delegate.canSubscribe(clientId, username, topicFilter);
    }

    @Override
    public boolean canReceive(String clientId, String username, String topic) {
        return bridgeClientIds.contains(clientId) || delegate.canReceive(clientId, username, topic);
    }
}
