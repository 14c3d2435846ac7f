package io.estafeta.broker.bridge;

/** Where a bridge's link to its remote broker stands. */
public enum BridgeState {
    /** The first connection attempt is under way, or the next one is scheduled after a failure. */
    CONNECTING,
    /** The remote broker accepted the connection: messages flow. */
    CONNECTED,
    /** An accepted connection was lost; the client reconnects with the bridge's restart_timeout. */
    RECONNECTING,
    /**
     * {@code start_type lazy}: not connected, by design; the bridge connects once more than {@code threshold}
     * messages wait for the remote broker.
     */
    WAITING,
    /** {@code start_type once}: the one connection (or the one attempt) has ended; it is not started again. */
    ENDED,
    /** The broker is shutting down, or has. */
    STOPPED
}
