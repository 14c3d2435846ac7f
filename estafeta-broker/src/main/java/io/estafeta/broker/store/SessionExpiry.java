package io.estafeta.broker.store;

import java.time.Duration;

/**
 * Whether a stored session is over when the broker starts again, by the same rules the running broker
 * applies: its Session Expiry Interval, and {@code persistent_client_expiration} for every persistent
 * session.
 */
public final class SessionExpiry {

    private static final long MILLIS_PER_SECOND = 1000;

    private SessionExpiry() {
    }

    /**
     * @param nowMillis                  the time of the restart; a session that was online when the broker
     *                                   stopped counts as offline since then
     * @param persistentClientExpiration how long any persistent session may stay offline, or null for ever
     */
    public static boolean isExpired(StoredSession session, long nowMillis, Duration persistentClientExpiration) {
        long expiry = session.expiryIntervalSeconds();
        if (expiry == 0) {
            // [MQTT-3.1.2-6] / Session Expiry 0: the session ended with its connection, which is gone.
            return true;
        }
        long offlineSince = session.wasOnline() ? nowMillis : session.offlineSinceMillis();
        long offlineFor = nowMillis - offlineSince;
        if (expiry != StoredSession.NEVER_EXPIRES && offlineFor >= expiry * MILLIS_PER_SECOND) {
            return true;
        }
        return persistentClientExpiration != null && offlineFor >= persistentClientExpiration.toMillis();
    }
}
