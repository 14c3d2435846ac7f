package io.estafeta.broker.abuse;

import io.estafeta.broker.testsupport.Packets;
import io.estafeta.broker.testsupport.RawMqttConnection;
import io.estafeta.broker.testsupport.TestBroker;
import io.estafeta.broker.testsupport.TestNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Slow DoS attacks published against MQTT brokers, at a modest scale: hundreds of sockets that
 * connect and send nothing, that send their CONNECT one byte at a time, or that subscribe to a busy topic
 * and never read. Honest clients must keep working meanwhile, and the first two kinds of abuser must be
 * disconnected once the configured connect timeout has passed.
 */
class SlowClientAbuseTest {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final int IDLE_SOCKETS = 200;
    private static final int TRICKLING_SOCKETS = 50;
    private static final int NON_READING_SUBSCRIBERS = 20;

    private TestBroker broker;
    private final List<Socket> abusers = new ArrayList<>();
    private final ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void startBroker() {
        broker = TestBroker.start(config -> config.connectTimeout(CONNECT_TIMEOUT));
    }

    @AfterEach
    void cleanUp() throws IOException {
        trickler.shutdownNow();
        for (Socket socket : abusers) {
            socket.close();
        }
        broker.close();
    }

    @Test
    void idleAndTricklingSocketsAreDisconnectedAfterTheConnectTimeoutWhileHonestClientsAreServed() throws Exception {
        for (int i = 0; i < IDLE_SOCKETS; i++) {
            abusers.add(openSocket());
        }
        byte[] connect = Packets.connect(TestNames.clientId("slowloris")).build();
        for (int i = 0; i < TRICKLING_SOCKETS; i++) {
            Socket socket = openSocket();
            abusers.add(socket);
            trickleOneByteASecond(socket, connect);
        }

        assertHonestPairExchangesAMessage("during");

        // Every abuser sees its connection closed by the broker (EOF) once the connect timeout passed.
        // The bound only stops a broken broker from hanging the test; it stays below the time a trickled CONNECT
        // takes to arrive whole (one byte a second), so a loaded machine cannot let one complete in time.
        await().atMost(CONNECT_TIMEOUT.multipliedBy(6)).until(() -> abusers.stream().allMatch(SlowClientAbuseTest::closedByPeer));
        assertHonestPairExchangesAMessage("after");
    }

    @Test
    void subscribersThatNeverReadDoNotStopAHonestSubscriberFromGettingEveryMessage() throws Exception {
        String busy = TestNames.topic("busy");
        for (int i = 0; i < NON_READING_SUBSCRIBERS; i++) {
            Socket socket = openSocket();
            abusers.add(socket);
            OutputStream out = socket.getOutputStream();
            out.write(Packets.connect(TestNames.clientId("deaf")).build());
            out.write(Packets.subscribe(1, busy, 0));
            out.flush();
            // ...and never read a byte again.
        }
        try (RawMqttConnection honest = RawMqttConnection.open(broker);
             RawMqttConnection publisher = RawMqttConnection.open(broker)) {
            honest.connectAccepted(TestNames.clientId("honest"), true);
            honest.subscribe(1, busy, 0);
            publisher.connectAccepted(TestNames.clientId("flood"), true);
            byte[] payload = new byte[16 * 1024];
            int messages = 500; // 8 MiB per deaf subscriber: far beyond what their sockets can buffer
            for (int i = 0; i < messages; i++) {
                publisher.send(Packets.publish(busy).payload(payload).build());
                if (i % 50 == 49) {
                    // Pace the honest subscriber's reading with the flood, in batches.
                    for (int j = 0; j < 50; j++) {
                        assertThat(honest.receivePublishAndAcknowledge().topic()).isEqualTo(busy);
                    }
                }
            }
        }
        // The deaf subscribers' copies were dropped (and counted), not buffered without end.
        broker.estafeta().ifPresent(estafeta -> assertThat(estafeta.metrics().qos0DroppedSlowClient()).isPositive());
    }

    private Socket openSocket() throws IOException {
        Socket socket = new Socket("127.0.0.1", broker.port());
        socket.setSoTimeout(1);
        return socket;
    }

    /** One byte a second, as in the published attack: the CONNECT takes far longer than the connect timeout. */
    private void trickleOneByteASecond(Socket socket, byte[] bytes) {
        int[] next = {0};
        trickler.scheduleAtFixedRate(() -> {
            if (next[0] < bytes.length && !socket.isClosed()) {
                try {
                    socket.getOutputStream().write(bytes[next[0]++]);
                } catch (IOException closed) {
                    next[0] = bytes.length;
                }
            }
        }, 0, 1, TimeUnit.SECONDS);
    }

    private static boolean closedByPeer(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            return in.read() < 0;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private void assertHonestPairExchangesAMessage(String when) {
        String topic = TestNames.topic("honest-" + when);
        try (RawMqttConnection subscriber = RawMqttConnection.open(broker);
             RawMqttConnection publisher = RawMqttConnection.open(broker)) {
            subscriber.connectAccepted(TestNames.clientId("honest-sub"), true);
            subscriber.subscribe(1, topic, 1);
            publisher.connectAccepted(TestNames.clientId("honest-pub"), true);
            publisher.publishQos1(topic, when, 1);
            assertThat(subscriber.receivePublishAndAcknowledge().payloadAsString()).isEqualTo(when);
        }
    }
}
