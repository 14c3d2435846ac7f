package io.estafeta.broker.conformance;

import io.estafeta.broker.testsupport.MosquittoClientProcess;
import io.estafeta.broker.testsupport.TestBroker;
import io.estafeta.broker.testsupport.TestNames;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's {@code mosquitto_pub} and {@code mosquitto_sub} against the broker, as a user would run them.
 * A live subscriber runs with {@code -d} so the test can wait for its SUBACK before publishing.
 */
class MosquittoClientsTest {

    private static final String SUBACK_RECEIVED = "received SUBACK";
    /** mosquitto_sub's own give-up time, in seconds, so that it ends even if the test is killed. */
    private static final String SUB_TIMEOUT_SECONDS = "10";

    private static TestBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void subscriberPrintsTheMessageAPublisherSends() {
        try (MosquittoClientProcess sub = MosquittoClientProcess.sub(broker,
                "-t", "a/#", "-v", "-C", "1", "-d", "-W", SUB_TIMEOUT_SECONDS)) {
            sub.awaitLine(line -> line.contains(SUBACK_RECEIVED));

            try (MosquittoClientProcess pub = MosquittoClientProcess.pub(broker, "-t", "a/b", "-m", "hola")) {
                assertThat(pub.awaitExit()).as(pub.errors()).isZero();
            }

            assertThat(sub.awaitExit()).as(sub.errors()).isZero();
            assertThat(sub.lines()).contains("a/b hola");
        }
    }

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {1, 2})
    void subscriberReceivesAtTheQosBothSidesAskFor(int qos) {
        String topic = TestNames.topic("mosq");
        String level = Integer.toString(qos);
        try (MosquittoClientProcess sub = MosquittoClientProcess.sub(broker,
                "-t", topic, "-q", level, "-v", "-C", "1", "-d", "-W", SUB_TIMEOUT_SECONDS)) {
            sub.awaitLine(line -> line.contains(SUBACK_RECEIVED));

            try (MosquittoClientProcess pub = MosquittoClientProcess.pub(broker,
                    "-t", topic, "-q", level, "-m", "hola")) {
                assertThat(pub.awaitExit()).as(pub.errors()).isZero();
            }

            assertThat(sub.awaitExit()).as(sub.errors()).isZero();
            assertThat(sub.lines()).contains(topic + " hola");
            // mosquitto_sub -d logs e.g. "Client x received PUBLISH (d0, q1, r0, m1, 'topic', ... (4 bytes))"
            assertThat(sub.lines()).anyMatch(line -> line.contains("received PUBLISH") && line.contains("q" + qos));
        }
    }

    @Test
    void retainedMessageFromMosquittoPubReachesALaterMosquittoSub() {
        String topic = TestNames.topic("mosqret");
        try (MosquittoClientProcess pub = MosquittoClientProcess.pub(broker,
                "-t", topic, "-q", "1", "-r", "-m", "hola")) {
            assertThat(pub.awaitExit()).as(pub.errors()).isZero();
        }

        // %r is the retain flag, %t the topic, %p the payload
        try (MosquittoClientProcess sub = MosquittoClientProcess.sub(broker,
                "-t", topic, "-C", "1", "-F", "%r %t %p", "-W", SUB_TIMEOUT_SECONDS)) {
            assertThat(sub.awaitExit()).as(sub.errors()).isZero();
            assertThat(sub.lines()).containsExactly("1 " + topic + " hola");
        }
    }

    @Test
    void mqtt31ClientsExchangeAMessage() {
        String topic = TestNames.topic("mosq31");
        try (MosquittoClientProcess sub = MosquittoClientProcess.sub(broker, "-V", "mqttv31",
                "-t", topic, "-q", "1", "-v", "-C", "1", "-d", "-W", SUB_TIMEOUT_SECONDS)) {
            sub.awaitLine(line -> line.contains(SUBACK_RECEIVED));

            try (MosquittoClientProcess pub = MosquittoClientProcess.pub(broker, "-V", "mqttv31",
                    "-t", topic, "-q", "1", "-m", "hola")) {
                assertThat(pub.awaitExit()).as(pub.errors()).isZero();
            }

            assertThat(sub.awaitExit()).as(sub.errors()).isZero();
            assertThat(sub.lines()).contains(topic + " hola");
        }
    }

    @Test
    void persistentMosquittoSubGetsWhatWasPublishedWhileItWasAway() {
        String topic = TestNames.topic("mosqoff");
        String clientId = TestNames.clientId("mosqoff");
        // First run: subscribe with a persistent session (-c) and leave once subscribed.
        try (MosquittoClientProcess sub = MosquittoClientProcess.sub(broker, "-c", "-i", clientId,
                "-t", topic, "-q", "1", "-d", "-W", "1")) {
            sub.awaitLine(line -> line.contains(SUBACK_RECEIVED));
        }
        try (MosquittoClientProcess pub = MosquittoClientProcess.pub(broker,
                "-t", topic, "-q", "1", "-m", "while away")) {
            assertThat(pub.awaitExit()).as(pub.errors()).isZero();
        }

        try (MosquittoClientProcess sub = MosquittoClientProcess.sub(broker, "-c", "-i", clientId,
                "-t", topic, "-q", "1", "-v", "-C", "1", "-W", SUB_TIMEOUT_SECONDS)) {
            assertThat(sub.awaitExit()).as(sub.errors()).isZero();
            assertThat(sub.lines()).containsExactly(topic + " while away");
        }
    }
}
