package io.estafeta.broker.bridge;

import io.estafeta.broker.auth.Authorizer;
import io.estafeta.broker.auth.ReceiveExemption;
import io.estafeta.broker.config.BridgeConfig;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The ACL does not apply to a bridge's own session, as in Mosquitto (whose ACL check passes every
 * bridge context): what the bridge's local subscriptions match is sent to the remote broker whatever
 * the ACL says about anonymous clients. Only {@code canReceive} is exempted, for the bridges' local
 * client ids; a network client is still checked when it publishes and subscribes, whatever its id.
 */
public final class BridgeReceiveExemption {

    private BridgeReceiveExemption() {
    }

    /** {@code delegate} itself when there are no bridges. */
    public static Authorizer wrap(Authorizer delegate, List<BridgeConfig> bridges) {
        if (bridges.isEmpty()) {
            return delegate;
        }
        Set<String> bridgeClientIds = bridges.stream().map(BridgeConfig::localClientId)
                .collect(Collectors.toUnmodifiableSet());
        return new ReceiveExemption(delegate, bridgeClientIds::contains);
    }
}
