package io.estafeta.broker.config;

/** When a write to the store counts as done (docs/PERSISTENCE.md). */
public enum PersistenceMode {
    /**
     * Every acknowledged write is on disk (fsync) first: nothing acknowledged is lost, even on power
     * loss. Writes waiting at the same time share one sync (group commit).
     */
    SYNC,
    /**
     * Writes are handed to the operating system and synced every {@code persistence_sync_interval}: a
     * crash of the broker process loses nothing, a crash of the machine (power loss, kernel panic) loses
     * up to that interval of acknowledged writes.
     */
    PERIODIC
}
