package io.estafeta.broker.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

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

    /** Waits for a message matching the predicate and returns every message received up to and with it. */
    public List<ReceivedMessage> awaitMessage(Predicate<ReceivedMessage> predicate) {
        await().until(() -> snapshot().stream().anyMatch(predicate));
        List<ReceivedMessage> all = snapshot();
        int index = 0;
        while (!predicate.test(all.get(index))) {
            index++;
        }
        return all.subList(0, index + 1);
    }

    /** The payloads of everything received so far, in order. */
    public List<String> payloads() {
        return snapshot().stream().map(ReceivedMessage::payload).toList();
    }
}
