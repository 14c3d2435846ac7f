package io.estafeta.broker.routing;

/**
 * What every internal subscriber's sink ({@link InternalSubscribers}) answers alike: always online,
 * anonymous (it acts for an administrator), never congested, so it never holds a publisher back.
 */
public abstract class InternalSink implements MessageSink {

    @Override
    public final boolean isOnline() {
        return true;
    }

    @Override
    public final String username() {
        return null;
    }

    @Override
    public final boolean isCongested() {
        return false;
    }

    @Override
    public final void addPausedPublisher(PausablePublisher publisher) {
        // Never congested, so never asked to hold a publisher; resume at once should it happen.
        publisher.resumeReading();
    }
}
