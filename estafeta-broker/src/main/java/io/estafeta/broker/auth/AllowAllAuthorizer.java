package io.estafeta.broker.auth;

/**
 * No access control list: every client may publish, subscribe and receive everywhere (apart from
 * {@link ServerTopicRules}), as in Mosquitto without {@code acl_file}.
 */
public final class AllowAllAuthorizer implements Authorizer {

    @Override
    public boolean canPublish(String clientId, String username, String topic) {
        return true;
    }

    @Override
    public boolean canSubscribe(String clientId, String username, String topicFilter) {
        return true;
    }

    @Override
    public boolean canReceive(String clientId, String username, String topic) {
        return true;
    }

    @Override
    public String toString() {
        return "AllowAllAuthorizer";
    }
}
