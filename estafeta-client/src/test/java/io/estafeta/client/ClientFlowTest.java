package io.estafeta.client;

import io.estafeta.client.ScriptedServer.Packet;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * QoS flows and connection handling against a scripted server, for the cases a real broker does not
 * produce on demand: lost acknowledgements, duplicates, a missing CONNACK, a full socket.
 */
class ClientFlowTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long WAIT_SECONDS = WAIT.toSeconds();

    private ScriptedServer server;
    private final List<MqttClient> clients = new ArrayList<>();

    @BeforeEach
    void startServer() {
        server = new ScriptedServer();
    }

    @AfterEach
    void stop() {
        clients.forEach(MqttClient::close);
        server.close();
    }

    @Test
    void noMoreQos1MessagesThanTheInflightWindowAreUnacknowledged() throws Exception {
        MqttClient client = connected(options().maxInflight(2));
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add(client.publish("t", utf8("m" + i), MqttQoS.AT_LEAST_ONCE, false));
        }
        // SUBSCRIBE is not held back by the window: whatever PUBLISH precede it is all the window let out.
        client.subscribe("marker", MqttQoS.AT_MOST_ONCE);

        Packet first = server.expect(MqttMessageType.PUBLISH);
        Packet second = server.expect(MqttMessageType.PUBLISH);
        server.expect(MqttMessageType.SUBSCRIBE);
        server.reply(MqttMessageType.PUBACK, first.packetId());
        Packet third = server.expect(MqttMessageType.PUBLISH);

        assertThat(List.of(first, second, third)).extracting(packet -> new String(packet.payload(),
                StandardCharsets.UTF_8)).containsExactly("m0", "m1", "m2");
        sent.get(0).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(sent.get(1)).isNotDone();
    }

    @Test
    void publishingPausesWhileTheSocketIsFull() throws Exception {
        RecordingTrace trace = new RecordingTrace();
        MqttClient client = connected(options().packetTrace(trace));
        server.reading(false);
        byte[] payload = new byte[64 * 1024];
        int count = 400;
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sent.add(client.publish("bulk", payload, MqttQoS.AT_MOST_ONCE, false));
        }
        AtomicReference<Long> publishesBeforeSubscribe = new AtomicReference<>();
        client.subscribe("marker", MqttQoS.AT_MOST_ONCE);

        // 25 MiB do not fit the socket buffers plus the 1 MiB high-water mark: the client stopped
        // writing PUBLISH when the channel became unwritable, so the SUBSCRIBE went out before the last ones.
        await().atMost(WAIT).until(() -> trace.sentCount(MqttMessageType.SUBSCRIBE) == 1);
        List<RecordingTrace.Packet> order = trace.sent();
        publishesBeforeSubscribe.set(order.subList(0, order.indexOf(order.stream()
                .filter(packet -> packet.type() == MqttMessageType.SUBSCRIBE).findFirst().orElseThrow()))
                .stream().filter(packet -> packet.type() == MqttMessageType.PUBLISH).count());
        server.reading(true);

        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(publishesBeforeSubscribe.get()).isLessThan(count);
        assertThat(trace.sentCount(MqttMessageType.PUBLISH)).isEqualTo(count);
    }

    @Test
    void duplicateQos2PublishIsDeliveredOnceUntilReleased() throws Exception {
        ReceivedMessages received = new ReceivedMessages();
        MqttClient client = client(options());
        client.setMessageListener(received);
        connect(client);

        server.publish("q2", "first", MqttQoS.EXACTLY_ONCE, false, 7);
        server.expect(MqttMessageType.PUBREC);
        // [MQTT-4.3.3-2] a re-sent PUBLISH with the same id before PUBREL is not a new message.
        server.publish("q2", "first", MqttQoS.EXACTLY_ONCE, true, 7);
        server.expect(MqttMessageType.PUBREC);
        server.reply(MqttMessageType.PUBREL, 7);
        Packet pubComp = server.expect(MqttMessageType.PUBCOMP);
        // After PUBCOMP the id is free: the same id now carries a new message.
        server.publish("q2", "second", MqttQoS.EXACTLY_ONCE, false, 7);
        server.expect(MqttMessageType.PUBREC);

        await().atMost(WAIT).until(() -> received.size() == 2);
        assertThat(received.all()).extracting(message -> new String(message.payload(), StandardCharsets.UTF_8))
                .containsExactly("first", "second");
        assertThat(pubComp.packetId()).isEqualTo(7);
    }

    @Test
    void qos1PubAckIsSentAfterTheListenerRan() throws Exception {
        MqttClient client = client(options());
        // The listener publishes: that PUBLISH must reach the server before the PUBACK ([MQTT-4.3.2-2]:
        // the receiver acknowledges once it has taken ownership of the message).
        client.setMessageListener(message -> client.publish("seen", message.payload(), MqttQoS.AT_MOST_ONCE, false));
        connect(client);

        server.publish("q1", "hello", MqttQoS.AT_LEAST_ONCE, false, 3);

        Packet fromListener = server.expect(MqttMessageType.PUBLISH);
        Packet pubAck = server.expect(MqttMessageType.PUBACK);
        assertThat(fromListener.topic()).isEqualTo("seen");
        assertThat(pubAck.packetId()).isEqualTo(3);
    }

    @Test
    void pubrelIsResentWhenTheSessionResumes() throws Exception {
        MqttClient client = connected(options().cleanStart(false)
                .reconnect(ReconnectPolicy.exponentialBackoff(Duration.ofMillis(20), Duration.ofMillis(100))));
        CompletableFuture<Void> sent = client.publish("q2", utf8("x"), MqttQoS.EXACTLY_ONCE, false);
        Packet publish = server.expect(MqttMessageType.PUBLISH);
        server.reply(MqttMessageType.PUBREC, publish.packetId());
        server.expect(MqttMessageType.PUBREL);

        server.dropConnection();
        server.expect(MqttMessageType.CONNECT);
        server.connAck(true);

        // [MQTT-4.4.0-1] the PUBREL, not the PUBLISH, is re-sent, with the original id.
        Packet pubRel = server.expect(MqttMessageType.PUBREL);
        assertThat(pubRel.packetId()).isEqualTo(publish.packetId());
        assertThat(sent).isNotDone();
        server.reply(MqttMessageType.PUBCOMP, publish.packetId());
        sent.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void withoutSessionPresentUnacknowledgedMessagesAreSentAgainAsNew() throws Exception {
        MqttClient client = connected(options().cleanStart(false)
                .reconnect(ReconnectPolicy.exponentialBackoff(Duration.ofMillis(20), Duration.ofMillis(100))));
        CompletableFuture<Void> sent = client.publish("q1", utf8("x"), MqttQoS.AT_LEAST_ONCE, false);
        server.expect(MqttMessageType.PUBLISH);

        server.dropConnection();
        server.expect(MqttMessageType.CONNECT);
        server.connAck(false);

        // [MQTT-3.2.2-5] the server kept no session: the client drops its session state, and sends the
        // message again as a new one (DUP 0), not as a re-delivery.
        Packet again = server.expect(MqttMessageType.PUBLISH);
        assertThat(again.dup()).isFalse();
        server.reply(MqttMessageType.PUBACK, again.packetId());
        sent.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void mqtt5PubAckWithAFailureCodeFailsThePublish() throws Exception {
        MqttClient client = connected(options().version(MqttVersion.MQTT_5));
        CompletableFuture<Void> sent = client.publish("q1", utf8("x"), MqttQoS.AT_LEAST_ONCE, false);
        Packet publish = server.expect(MqttMessageType.PUBLISH);

        server.replyWithReason(MqttMessageType.PUBACK, publish.packetId(), 0x87);

        assertThatThrownBy(() -> sent.get(WAIT_SECONDS, TimeUnit.SECONDS))
                .cause().isInstanceOf(PublishFailedException.class)
                .extracting(cause -> ((PublishFailedException) cause).reasonCode()).isEqualTo(0x87);
    }

    @Test
    void serverDisconnectReasonIsReported() throws Exception {
        AtomicReference<Throwable> lost = new AtomicReference<>();
        MqttClient client = client(options().version(MqttVersion.MQTT_5));
        client.setConnectionListener(new ConnectionListener() {
            @Override
            public void connectionLost(Throwable cause, boolean willReconnect) {
                lost.set(cause);
            }
        });
        connect(client);

        server.disconnect(0x8E);

        await().atMost(WAIT).until(() -> lost.get() != null);
        assertThat(lost.get()).isInstanceOf(ServerDisconnectedException.class);
        assertThat(((ServerDisconnectedException) lost.get()).reasonCode()).isEqualTo(0x8E);
    }

    @Test
    void connectFailsWhenNoConnAckComesInTime() throws Exception {
        MqttClient client = client(options().connectTimeout(Duration.ofMillis(300)));

        CompletableFuture<ConnAck> connecting = client.connect();
        server.expect(MqttMessageType.CONNECT);

        assertThatThrownBy(() -> connecting.get(WAIT_SECONDS, TimeUnit.SECONDS))
                .cause().hasMessageContaining("timed out");
    }

    @Test
    void packetBeforeConnAckIsAProtocolError() throws Exception {
        MqttClient client = client(options());
        CompletableFuture<ConnAck> connecting = client.connect();
        server.expect(MqttMessageType.CONNECT);

        // [MQTT-3.2.0-1] the first packet from the server must be CONNACK.
        server.publish("early", "x", MqttQoS.AT_MOST_ONCE, false, 0);

        assertThatThrownBy(() -> connecting.get(WAIT_SECONDS, TimeUnit.SECONDS))
                .cause().hasMessageContaining("before CONNACK");
    }

    @Test
    void disconnectSendsDisconnectAndFailsWhatWasNotSent() throws Exception {
        MqttClient client = connected(options().maxInflight(1));
        CompletableFuture<Void> inFlight = client.publish("t", utf8("a"), MqttQoS.AT_LEAST_ONCE, false);
        CompletableFuture<Void> waiting = client.publish("t", utf8("b"), MqttQoS.AT_LEAST_ONCE, false);
        server.expect(MqttMessageType.PUBLISH);

        client.disconnect().get(WAIT_SECONDS, TimeUnit.SECONDS);

        server.expect(MqttMessageType.DISCONNECT);
        assertThat(waiting).failsWithin(WAIT).withThrowableThat().withMessageContaining("disconnected");
        // Clean session: the session ends with the connection, and the message in flight with it.
        assertThat(inFlight).failsWithin(WAIT).withThrowableThat().withMessageContaining("disconnected");
    }

    private MqttClientOptions.Builder options() {
        return MqttClientOptions.builder().host("127.0.0.1").port(server.port()).clientId("scripted")
                .keepAlive(Duration.ZERO).connectTimeout(WAIT);
    }

    private MqttClient client(MqttClientOptions.Builder options) {
        MqttClient client = new MqttClient(options.build());
        clients.add(client);
        return client;
    }

    private MqttClient connected(MqttClientOptions.Builder options) throws Exception {
        MqttClient client = client(options);
        connect(client);
        return client;
    }

    private void connect(MqttClient client) throws Exception {
        CompletableFuture<ConnAck> connecting = client.connect();
        server.expect(MqttMessageType.CONNECT);
        server.connAck(false);
        connecting.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
