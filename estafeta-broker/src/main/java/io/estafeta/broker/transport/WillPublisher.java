package io.estafeta.broker.transport;

import io.estafeta.broker.auth.Authorizer;
import io.estafeta.broker.config.ClientLimits;
import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.routing.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a client's will, checked as if the client had published it: its topic within the limits
 * and allowed by the ACL. Used when a connection ends and for wills that survived a restart.
 */
public final class WillPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(WillPublisher.class);

    private final ClientLimits limits;
    private final Authorizer authorizer;
    private final Router router;

    public WillPublisher(ClientLimits limits, Authorizer authorizer, Router router) {
        this.limits = limits;
        this.authorizer = authorizer;
        this.router = router;
    }

    /** @param username the username the client connected with, or null */
    public void publish(ApplicationMessage will, String clientId, String username) {
        if (!limits.allowsTopic(will.topic())) {
            LOG.info("will of {} not published: its topic exceeds max_topic_length/max_topic_levels", clientId);
            return;
        }
        if (!authorizer.canPublish(clientId, username, will.topic())) {
            LOG.info("will of {} on {} not published: not authorized", clientId, will.topic());
            return;
        }
        LOG.debug("publishing will of {} on {}", clientId, will.topic());
        router.publish(will, null, null);
    }
}
