package io.estafeta.broker.abuse;

import io.estafeta.broker.config.ClientLimits;
import io.estafeta.broker.testsupport.MqttPacket;
import io.estafeta.broker.testsupport.Packets;
import io.estafeta.broker.testsupport.RawMqttConnection;
import io.estafeta.broker.testsupport.ReasonCodes;
import io.estafeta.broker.testsupport.TestBroker;
import io.estafeta.broker.testsupport.TestNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** max_topic_length, max_topic_levels and max_subscriptions_per_client, as a client sees them. */
class ClientLimitsTest {

    private static final int LEVELS = 4;
    private static final int SUBSCRIPTIONS = 2;
    private static TestBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.start(config -> config.maxTopicLevels(LEVELS).maxTopicLength(64)
                .maxSubscriptionsPerClient(SUBSCRIPTIONS));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void aTooDeepTopicIsRefusedWith0x90InMqtt5() {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            client.connect5Accepted(TestNames.clientId("deep5"));

            MqttPacket puback = client.publishQos1("a/b/c/d/e", "x", 1);

            assertThat(puback.reasonCode()).isEqualTo(ReasonCodes.TOPIC_NAME_INVALID);
        }
    }

    @Test
    void aTooDeepTopicIsAcknowledgedButNotDeliveredInMqtt311() {
        String base = TestNames.topic("lim");
        try (RawMqttConnection subscriber = RawMqttConnection.open(broker);
             RawMqttConnection publisher = RawMqttConnection.open(broker)) {
            subscriber.connectAccepted(TestNames.clientId("deepsub"), true);
            subscriber.subscribe(1, "#", 0);
            publisher.connectAccepted(TestNames.clientId("deep311"), true);

            publisher.publishQos1(base + "/b/c/d/e/f", "too deep", 1);
            publisher.publishQos1(base + "/ok", "fine", 2);

            assertThat(subscriber.receivePublishAndAcknowledge().payloadAsString()).isEqualTo("fine");
            subscriber.expectNothingFor(Duration.ofMillis(200));
        }
    }

    @Test
    void aTooLongOrTooDeepFilterGetsSubackFailure() {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            client.connectAccepted(TestNames.clientId("longfilter"), true);

            assertThat(client.subscribe(1, "x".repeat(65), 0).returnCodes()).containsExactly(0x80);
            assertThat(client.subscribe(2, "a/b/c/d/#", 0).returnCodes()).containsExactly(0x80);
        }
    }

    @Test
    void subscriptionsBeyondThePerClientMaximumAreRefusedWithQuotaExceeded() {
        try (RawMqttConnection client = RawMqttConnection.open(broker)) {
            client.connect5Accepted(TestNames.clientId("quota"));

            MqttPacket suback = client.subscribe(Packets.subscribe5(1).filter("q/1", 1).filter("q/2", 1).filter("q/3", 1));

            assertThat(suback.reasonCodes()).containsExactly(1, 1, ReasonCodes.QUOTA_EXCEEDED);
            // Replacing a subscription the client holds is not a new one.
            assertThat(client.subscribe(Packets.subscribe5(2).filter("q/1", 0)).reasonCodes()).containsExactly(0);
        }
    }

    @Test
    void topicLengthCountsUtf8BytesAndLevelsCountSlashes() {
        ClientLimits limits = new ClientLimits(6, 2, 0);

        assertThat(limits.allowsTopic("ab/cd")).isTrue();
        assertThat(limits.allowsTopic("a/b/c")).isFalse();          // 3 levels
        assertThat(limits.allowsTopic("ééé")).isTrue();             // 6 bytes
        assertThat(limits.allowsTopic("éééé")).isFalse();           // 8 bytes in 4 chars
        assertThat(limits.allowsTopic("\uD83D\uDE00/\uD83D\uDE00")).isFalse(); // 9 bytes
        assertThat(limits.allowsAnotherSubscription(1_000_000)).isTrue();
    }
}
