package io.estafeta.broker.auth;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * An authorizer that lets some client ids receive whatever they subscribed to, and asks its delegate
 * about everything else. Only {@code canReceive} is exempted: publishing and subscribing are checked as
 * before, whatever the client id.
 */
public final class ReceiveExemption implements Authorizer {

    private final Authorizer delegate;
    private final Predicate<String> exempt;

    /** @param exempt the client ids that receive without asking {@code delegate} */
    public ReceiveExemption(Authorizer delegate, Predicate<String> exempt) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.exempt = Objects.requireNonNull(exempt, "exempt");
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
        return exempt.test(clientId) || delegate.canReceive(clientId, username, topic);
    }
}
