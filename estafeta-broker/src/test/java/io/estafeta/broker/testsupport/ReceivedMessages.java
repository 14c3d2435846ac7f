package io.estafeta.broker.testsupport;

import java.util.ArrayList;
import java.util.List;

import static io.estafeta.broker.testsupport.Waiting.await;

/** The messages a client received, in arrival order; safe to fill from a client library's thread. */
public final class ReceivedMessages {


    private final List<ReceivedMessage> messages = new ArrayList<>();

    public synchronized void add(ReceivedMessage message) {
        messages.add(message);
    }

    public synchronized List<ReceivedMessage> snapshot() {
        return List.copyOf(messages);
    }

    public synchronized int size() {
        return messages.size();
    }

    /** Waits until at least {@code count} messages have arrived and returns all received so far. */
    public List<ReceivedMessage> awaitCount(int count) {
        await().until(() -> size() >= count);
        return snapshot();
    }

    /** The payloads of everything received so far, in order. */
    public List<String> payloads() {
        return snapshot().stream().map(ReceivedMessage::payload).toList();
    }
}
