package io.estafeta.broker.session;

import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.routing.SharedGroup;

/** What a session reports to whoever keeps it (the registry). */
interface SessionOwner {

    /** The session ended: forget it (if it is still the one kept for its client id). */
    void sessionEnded(Session session);

    /**
     * The session's expiry interval has passed while it was offline. Removes it atomically unless a
     * connection claimed it meanwhile.
     *
     * @return whether it was removed (the session then ends itself)
     */
    boolean removeIfStillExpired(Session session, int generationWhenScheduled);

    /**
     * The session ended holding a message a shared subscription group had chosen it for, not yet
     * acknowledged: the group should give it to another member (4.8.2).
     */
    void sharedMessageOrphaned(ApplicationMessage message, SharedGroup group, String formerMember);
}
