package io.estafeta.broker.routing;

import io.estafeta.broker.auth.AllowAllAuthorizer;
import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.retain.RetainedMessages;
import io.estafeta.broker.store.InMemoryPersistence;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The router keeps the retained messages in memory and in the store alike. */
class RouterRetainTest {

    private static final String TOPIC = "status/pump";

    private final InMemoryPersistence store = new InMemoryPersistence();
    private final RetainedMessages retained = new RetainedMessages();
    private final Router router = new Router(new SubscriptionTree(), retained, store.retained(), clientId -> null,
            new AllowAllAuthorizer());

    @Test
    void retainingAnEmptyPayloadWithoutPublishingRemovesTheMessageFromMemoryAndStore() {
        // [MQTT-3.3.1-10] what the admin API's delete does: the message must not come back after a restart.
        router.publish(message(TOPIC, "on"), null, null);

        router.retain(message(TOPIC, "")).join();

        assertThat(retained.get(TOPIC)).isNull();
        assertThat(storedRetained()).isEmpty();
    }

    @Test
    void theBrokersOwnSysTopicsAreRetainedInMemoryOnly() {
        assertThat(router.retain(message("$SYS/broker/uptime", "5 seconds"))).isNull();

        assertThat(retained.get("$SYS/broker/uptime")).isNotNull();
        assertThat(storedRetained()).isEmpty();
    }

    @Test
    void twoPublishersRetainingOnOneTopicAtOnceLeaveTheSameMessageInMemoryAndInTheStore() throws Exception {
        // [MQTT-3.3.1-5] one retained message per topic: whichever wins, a restart must bring back that one.
        int rounds = 10_000;
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService publishers = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < rounds; round++) {
                String first = "a" + round;
                String second = "b" + round;
                Future<?> a = publishers.submit(() -> publishTogether(start, first));
                Future<?> b = publishers.submit(() -> publishTogether(start, second));
                a.get();
                b.get();

                String inMemory = retained.get(TOPIC).payloadAsString();
                assertThat(storedRetained()).as("round %d", round).singleElement()
                        .extracting(ApplicationMessage::payloadAsString).isEqualTo(inMemory);
            }
        } finally {
            publishers.shutdownNow();
        }
    }

    private Void publishTogether(CyclicBarrier start, String payload) throws Exception {
        start.await();
        router.publish(message(TOPIC, payload), null, null);
        return null;
    }

    private List<ApplicationMessage> storedRetained() {
        return store.restart(InstantSource.system(), Duration.ZERO).takeStoredState().retained();
    }

    private static ApplicationMessage message(String topic, String payload) {
        return new ApplicationMessage(topic, payload.getBytes(StandardCharsets.UTF_8), 0, true, null);
    }
}
