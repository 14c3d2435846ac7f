package io.estafeta.broker.store;

/**
 * Hands the state loaded at open to the broker exactly once: after that it would only be a stale copy
 * holding memory (a store can load a million retained messages).
 */
public final class StoredStateHandover {

    private StoredState state;

    public StoredStateHandover(StoredState state) {
        this.state = state;
    }

    /** @throws IllegalStateException on a second call */
    public synchronized StoredState take() {
        if (state == null) {
            throw new IllegalStateException("the stored state was already taken");
        }
        StoredState taken = state;
        state = null;
        return taken;
    }
}
