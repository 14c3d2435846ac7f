package io.estafeta.broker.session;

import io.estafeta.broker.routing.Subscription;

import java.util.List;

/**
 * One session as an operator sees it at one moment (admin API, metrics).
 *
 * @param clientId          the client identifier
 * @param connected         whether a connection is attached
 * @param persistent        whether the session outlives its connection
 * @param expiryIntervalSeconds its Session Expiry Interval ({@link Session#NEVER_EXPIRES} for never)
 * @param username          the username of its (last) connection, or null
 * @param remoteAddress     the client's address while connected, else null
 * @param protocolVersion   "3.1", "3.1.1" or "5.0" while connected, else null
 * @param sinceMillis       connected: since when; offline: since when it has been offline (epoch millis)
 * @param subscriptions     its subscriptions
 * @param queuedMessages    messages waiting in its queue (not yet in flight)
 * @param queuedBytes       their payload bytes
 * @param inflightMessages  QoS 1/2 messages sent and not yet acknowledged
 */
public record SessionSnapshot(String clientId, boolean connected, boolean persistent, long expiryIntervalSeconds,
                              String username, String remoteAddress, String protocolVersion, long sinceMillis,
                              List<Subscription> subscriptions, int queuedMessages, long queuedBytes,
                              int inflightMessages) {
}
