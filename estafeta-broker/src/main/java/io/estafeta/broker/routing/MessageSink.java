package io.estafeta.broker.routing;

import io.estafeta.broker.message.ApplicationMessage;

/** Where the router hands a matched message: a client's session. All methods are thread-safe. */
public interface MessageSink {

    /** Delivers (or queues) the message at the given QoS. */
    void offer(ApplicationMessage message, int qos);

    /** Whether publishers feeding this sink should pause. */
    boolean isCongested();

    /** Remembers a paused publisher, to resume it when this sink drains. */
    void addPausedPublisher(PausablePublisher publisher);
}
