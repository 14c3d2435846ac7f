package io.estafeta.broker.abuse;

import io.estafeta.broker.Broker;
import io.estafeta.broker.testsupport.Packets;
import io.estafeta.broker.testsupport.RawMqttConnection;
import io.estafeta.broker.testsupport.TestBroker;
import io.estafeta.broker.testsupport.TestNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * outbound_memory_budget: subscribers to a busy topic that never read their sockets are disconnected once
 * the bytes waiting for them use up the budget, while an honest subscriber keeps getting every message.
 */
class OutboundMemoryBudgetTest {

    private static final long BUDGET = 1024 * 1024;
    private static final int DEAF_SUBSCRIBERS = 2;
    /** Small, so that the deaf sockets' TCP windows close soon and the bytes pile up in the broker. */
    private static final int DEAF_RECEIVE_BUFFER = 4096;
    private static final int PAYLOAD_BYTES = 16 * 1024;
    /** 64 MiB per deaf subscriber at most: far more than socket buffers and the budget can hold. */
    private static final int MAX_MESSAGES = 4096;

    private TestBroker broker;
    private final List<RawMqttConnection> deaf = new ArrayList<>();

    @BeforeEach
    void startBroker() {
        broker = TestBroker.start(config -> config.trafficLimits(limits -> limits.withOutboundMemoryBudget(BUDGET)));
    }

    @AfterEach
    void stopBroker() {
        deaf.forEach(RawMqttConnection::close);
        broker.close();
    }

    @Test
    void subscribersThatNeverReadAreDisconnectedOnceTheBudgetIsUsedUpWhileAnHonestOneGetsEveryMessage() {
        String busy = TestNames.topic("busy");
        Broker estafeta = broker.estafeta().orElseThrow();
        for (int i = 0; i < DEAF_SUBSCRIBERS; i++) {
            RawMqttConnection subscriber = RawMqttConnection.open(broker, DEAF_RECEIVE_BUFFER);
            deaf.add(subscriber);
            subscriber.connectAccepted(TestNames.clientId("deaf"), true);
            subscriber.subscribe(1, busy, 0);
            // ...and never reads again until the end.
        }
        int sent = 0;
        try (RawMqttConnection honest = RawMqttConnection.open(broker);
             RawMqttConnection publisher = RawMqttConnection.open(broker)) {
            honest.connectAccepted(TestNames.clientId("honest"), true);
            honest.subscribe(1, busy, 0);
            publisher.connectAccepted(TestNames.clientId("flood"), true);
            byte[] payload = new byte[PAYLOAD_BYTES];
            while (sent < MAX_MESSAGES && estafeta.metrics().slowConsumersClosed() < DEAF_SUBSCRIBERS) {
                payload[0] = (byte) sent;
                publisher.send(Packets.publish(busy).payload(payload).build());
                sent++;
                // The honest subscriber reads as fast as messages come: its share of the budget is never used up.
                assertThat(honest.receivePublishAndAcknowledge().payload()[0]).isEqualTo((byte) (sent - 1));
            }
            assertThat(estafeta.metrics().slowConsumersClosed()).isEqualTo(DEAF_SUBSCRIBERS);

            // The honest pair still works after the deaf ones are gone.
            publisher.send(Packets.publish(busy).payload("after").build());
            assertThat(honest.receivePublishAndAcknowledge().payloadAsString()).isEqualTo("after");
        }
        // Each deaf subscriber finds its connection closed once it reads what was already on its way.
        for (RawMqttConnection subscriber : deaf) {
            subscriber.awaitClosed();
        }
    }
}
