package io.estafeta.broker.store;

import java.util.Objects;

/**
 * What is stored about a session besides its subscriptions and messages.
 *
 * @param clientId              the client identifier
 * @param expiryIntervalSeconds the Session Expiry Interval in force (MQTT 5; 0xFFFFFFFF: never; a 3.1.1
 *                              persistent session is stored as never)
 * @param offlineSinceMillis    when its last connection went away (epoch millis), or {@link #ONLINE} if it
 *                              was connected when written; after a restart an {@code ONLINE} session
 *                              counts as offline since the broker started again
 * @param username              the username of its last connection, or null
 */
public record StoredSession(String clientId, long expiryIntervalSeconds, long offlineSinceMillis, String username) {

    /** {@code offlineSinceMillis} of a session whose connection was up when the record was written. */
    public static final long ONLINE = -1;
    /** Session Expiry Interval meaning "never expires" (MQTT 5.0, 3.1.2.11.2: 0xFFFFFFFF), as in {@code Session}. */
    public static final long NEVER_EXPIRES = 0xFFFF_FFFFL;

    public StoredSession {
        Objects.requireNonNull(clientId, "clientId");
        if (expiryIntervalSeconds < 0 || expiryIntervalSeconds > NEVER_EXPIRES) {
            throw new IllegalArgumentException("expiry interval out of range: " + expiryIntervalSeconds);
        }
        if (offlineSinceMillis < ONLINE) {
            throw new IllegalArgumentException("offline since must be epoch millis or ONLINE: " + offlineSinceMillis);
        }
    }

    public boolean wasOnline() {
        return offlineSinceMillis == ONLINE;
    }
}
