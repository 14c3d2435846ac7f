package io.estafeta.broker.durability;

import io.estafeta.broker.testsupport.BrokerProcess;
import io.estafeta.broker.testsupport.ChildJvm;
import io.estafeta.broker.testsupport.PahoTestClient;
import io.estafeta.broker.testsupport.Waiting;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing the broker acknowledged is lost when it is killed with SIGKILL: a persistent subscriber is
 * offline while a publisher sends thousands of messages; the broker process is killed in the middle,
 * started again on the same data directory, and the subscriber, reconnecting, receives every message whose
 * PUBLISH the broker had acknowledged (PUBACK for QoS 1; the completed PUBREC/PUBREL/PUBCOMP exchange for
 * QoS 2). QoS 1 allows duplicates; QoS 2 must deliver each message once ([MQTT-4.3.3-2], [MQTT-4.5.0-1]).
 */
class CrashRecoveryTest {

    private static final int MESSAGES = 10_000;
    private static final int ACKNOWLEDGED_BEFORE_KILL = 2_000;
    private static final int PUBLISHER_WINDOW = 500;
    private static final long WINDOW_POLL_MILLIS = 50;
    private static final String TOPIC = "crash/test";
    private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path dataDirectory;
    @TempDir
    Path work;

    @ParameterizedTest(name = "QoS {0}")
    @ValueSource(ints = {1, 2})
    void everyAcknowledgedMessageReachesThePersistentSubscriberAfterKillNine(int qos) throws Exception {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Path firstRun = Files.createDirectory(work.resolve("first"));
        // The subscriber's queue holds every message: this test is about crashes, not about queue limits.
        String maxQueued = Integer.toString(MESSAGES);
        try (ChildJvm broker = ChildJvm.start(firstRun, BrokerProcess.class, dataDirectory.toString(), maxQueued)) {
            String uri = "tcp://127.0.0.1:" + BrokerProcess.portOf(broker);
            // [MQTT-3.1.2-4] the session and its subscription outlive the subscriber's connection.
            try (PahoTestClient subscriber = PahoTestClient.connect(uri, "durable-subscriber", persistent())) {
                subscriber.subscribe(TOPIC, qos);
            }
            AtomicBoolean stop = new AtomicBoolean();
            Thread publishing = Thread.ofPlatform().start(() -> publishUntilStopped(uri, qos, acknowledged, stop));
            Waiting.atMost(Duration.ofSeconds(60)).until(() -> acknowledged.size() >= ACKNOWLEDGED_BEFORE_KILL);
            broker.killHard();
            stop.set(true);
            publishing.join();
        }

        Path secondRun = Files.createDirectory(work.resolve("second"));
        try (ChildJvm broker = ChildJvm.start(secondRun, BrokerProcess.class, dataDirectory.toString(), maxQueued)) {
            String uri = "tcp://127.0.0.1:" + BrokerProcess.portOf(broker);
            try (PahoTestClient subscriber = PahoTestClient.connect(uri, "durable-subscriber", persistent())) {
                Waiting.atMost(RECOVERY_TIMEOUT).until(() -> payloads(subscriber).containsAll(acknowledged));
                List<String> received = subscriber.received().payloads();
                assertThat(received).containsAll(acknowledged);
                if (qos == 2) {
                    assertThat(received).doesNotHaveDuplicates();
                }
            }
        }
        // The kill came while the publisher was still sending, not after it had finished.
        assertThat(acknowledged).hasSizeBetween(ACKNOWLEDGED_BEFORE_KILL, MESSAGES - 1);
    }

    private static Set<String> payloads(PahoTestClient subscriber) {
        return new HashSet<>(subscriber.received().payloads());
    }

    private static MqttConnectOptions persistent() {
        MqttConnectOptions options = PahoTestClient.options();
        options.setCleanSession(false);
        return options;
    }

    /**
     * Publishes "m0", "m1", … with at most {@link #PUBLISHER_WINDOW} unacknowledged, recording each payload
     * the broker acknowledged, until the broker dies or {@code stop} is set.
     */
    private static void publishUntilStopped(String uri, int qos, Set<String> acknowledged, AtomicBoolean stop) {
        Semaphore window = new Semaphore(PUBLISHER_WINDOW);
        MqttAsyncClient client = null;
        try {
            client = new MqttAsyncClient(uri, "crash-publisher", new MemoryPersistence());
            client.connect(PahoTestClient.options()).waitForCompletion(PahoTestClient.TIME_TO_WAIT_MILLIS);
            for (int i = 0; i < MESSAGES; i++) {
                while (!window.tryAcquire(WINDOW_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                    if (stop.get() || !client.isConnected()) {
                        return;
                    }
                }
                String payload = "m" + i;
                client.publish(TOPIC, payload.getBytes(StandardCharsets.UTF_8), qos, false, null,
                        new IMqttActionListener() {
                            @Override
                            public void onSuccess(IMqttToken token) {
                                acknowledged.add(payload);
                                window.release();
                            }

                            @Override
                            public void onFailure(IMqttToken token, Throwable cause) {
                                window.release(); // not acknowledged: the broker owes nothing for it
                            }
                        });
            }
        } catch (MqttException e) {
            // The broker was killed under the publisher: expected.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(client);
        }
    }

    private static void closeQuietly(MqttAsyncClient client) {
        if (client == null) {
            return;
        }
        try {
            client.disconnectForcibly(0, 0);
        } catch (MqttException ignored) {
            // already disconnected by the kill
        }
        try {
            client.close(true);
        } catch (MqttException ignored) {
            // nothing left to close
        }
    }
}
