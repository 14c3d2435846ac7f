package io.estafeta.broker.bridge;

import io.estafeta.broker.config.BridgeConfig;
import io.estafeta.client.ServerAddress;

import java.time.Instant;

/**
 * A snapshot of one bridge, for logs, {@code $SYS} and the admin API.
 *
 * @param name             the connection name
 * @param state            the link's state
 * @param address          the remote address connected to, or to be tried next
 * @param remoteClientId   the bridge's client id on the remote broker
 * @param localClientId    the id of the bridge's session on this broker
 * @param since            when {@code state} was entered
 * @param lastError        why the last connection attempt failed or the last connection ended; null if none
 * @param messagesOut      messages the remote broker took (QoS 0: written; QoS 1/2: acknowledged)
 * @param messagesIn       messages received from the remote broker and routed here
 * @param startType        the bridge's {@code start_type}
 * @param waitingMessages  in state {@link BridgeState#WAITING}: the messages waiting here for the remote broker
 *                         (queued and unacknowledged), which start the connection once above the threshold; 0 in
 *                         other states
 */
public record BridgeStatus(String name, BridgeState state, ServerAddress address, String remoteClientId,
                           String localClientId, Instant since, String lastError, long messagesOut,
                           long messagesIn, BridgeConfig.StartType startType, int waitingMessages) {
}
