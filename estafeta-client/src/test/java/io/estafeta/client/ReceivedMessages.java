package io.estafeta.client;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A message listener that keeps what it got, for tests to wait on. */
final class ReceivedMessages implements MessageListener {

    private final List<ReceivedMessage> messages = new CopyOnWriteArrayList<>();

    @Override
    public void onMessage(ReceivedMessage message) {
        messages.add(message);
    }

    List<ReceivedMessage> all() {
        return List.copyOf(messages);
    }

    int size() {
        return messages.size();
    }

    /** How many messages carried this payload (as UTF-8 text). */
    long withPayload(String payload) {
        return messages.stream()
                .filter(message -> new String(message.payload(), StandardCharsets.UTF_8).equals(payload))
                .count();
    }
}
