package io.estafeta.broker.durability;

import io.estafeta.broker.Broker;
import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.testsupport.MqttPacket;
import io.estafeta.broker.testsupport.PacketType;
import io.estafeta.broker.testsupport.Packets;
import io.estafeta.broker.testsupport.PropertyId;
import io.estafeta.broker.testsupport.RawMqttConnection;
import io.estafeta.broker.testsupport.Waiting;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each kind of stored state comes back when the broker is stopped and started again on the same data
 * directory: sessions and subscriptions, queued messages, in-flight messages (re-sent with DUP), incoming
 * QoS 2 packet ids, retained messages and delayed wills; expired sessions do not.
 */
class RestartTest {

    private static final String HOST = "127.0.0.1";

    @TempDir
    Path dataDirectory;

    private Broker broker;
    /** The ACL file to start with, if any. */
    private Path aclFile;
    private final List<RawMqttConnection> connections = new ArrayList<>();

    @AfterEach
    void stop() {
        connections.forEach(RawMqttConnection::close);
        if (broker != null) {
            broker.close();
        }
    }

    private void start() {
        // No $SYS topics: the retained messages counted here are the test's own.
        BrokerConfig.Builder config = BrokerConfig.builder().localOnlyPort(0).dataDirectory(dataDirectory)
                .sysInterval(Duration.ZERO);
        if (aclFile != null) {
            config.aclFile(aclFile);
        }
        broker = Broker.start(config.build());
    }

    private void restart() {
        connections.forEach(RawMqttConnection::close);
        connections.clear();
        broker.close();
        start();
    }

    private RawMqttConnection open() {
        RawMqttConnection connection = RawMqttConnection.open(HOST, broker.port());
        connections.add(connection);
        return connection;
    }

    private RawMqttConnection persistentSubscriber(String clientId, String filter, int qos) {
        RawMqttConnection subscriber = open();
        subscriber.connectAccepted(clientId, false);
        subscriber.subscribe(1, filter, qos);
        return subscriber;
    }

    private void publishQos1(String topic, String payload) {
        RawMqttConnection publisher = open();
        publisher.connectAccepted("publisher", true);
        publisher.publishQos1(topic, payload, 1);
        publisher.disconnect();
    }

    @Test
    void aPersistentSessionKeepsItsSubscriptionsAcrossARestart() {
        // [MQTT-3.1.2-4] the session (with its subscriptions) is resumed: Session Present 1 [MQTT-3.2.2-2].
        start();
        persistentSubscriber("keeper", "news/#", 1).disconnect();

        restart();
        RawMqttConnection resumed = open();
        assertThat(resumed.connectAccepted("keeper", false).sessionPresent()).isTrue();
        publishQos1("news/today", "still subscribed");
        MqttPacket delivered = resumed.receivePublishAndAcknowledge();
        assertThat(delivered.topic()).isEqualTo("news/today");
        assertThat(delivered.payloadAsString()).isEqualTo("still subscribed");
    }

    @Test
    void aCleanSessionIsNotStored() {
        start();
        RawMqttConnection clean = open();
        clean.connectAccepted("passing-by", true);
        clean.subscribe(1, "news/#", 1);
        clean.disconnect();

        restart();
        assertThat(broker.sessionCount()).isZero();
        RawMqttConnection again = open();
        assertThat(again.connectAccepted("passing-by", false).sessionPresent()).isFalse();
    }

    @Test
    void messagesQueuedForAnOfflineSessionArriveInOrderAfterARestart() {
        start();
        persistentSubscriber("offline", "queue/#", 2).disconnect();
        publishQos1("queue/a", "first");
        RawMqttConnection publisher = open();
        publisher.connectAccepted("qos2-publisher", true);
        publisher.publishQos2("queue/b", "second", 2);
        publisher.disconnect();
        publishQos1("queue/c", "third");

        restart();
        RawMqttConnection resumed = open();
        resumed.connectAccepted("offline", false);
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            payloads.add(resumed.receivePublishAndAcknowledge().payloadAsString());
        }
        assertThat(payloads).containsExactly("first", "second", "third");
    }

    @Test
    void anUnacknowledgedMessageIsResentWithDupAndTheSamePacketIdAfterARestart() {
        // [MQTT-4.4.0-1] on resuming, unacknowledged PUBLISH packets are re-sent with their packet ids,
        // [MQTT-3.3.1-1] with DUP set.
        start();
        RawMqttConnection subscriber = persistentSubscriber("forgetful", "inflight/#", 1);
        publishQos1("inflight/x", "unacknowledged");
        MqttPacket first = subscriber.receive(PacketType.PUBLISH); // and no PUBACK

        restart();
        RawMqttConnection resumed = open();
        resumed.connectAccepted("forgetful", false);
        MqttPacket again = resumed.receive(PacketType.PUBLISH);
        assertThat(again.dup()).isTrue();
        assertThat(again.packetId()).isEqualTo(first.packetId());
        assertThat(again.payloadAsString()).isEqualTo("unacknowledged");
    }

    @Test
    void anIncomingQos2MessageResentAfterARestartIsNotDeliveredTwice() {
        // [MQTT-4.3.3-2] method B: the packet id is kept until PUBREL, across the restart.
        start();
        persistentSubscriber("once-only", "exactly/#", 2).disconnect();
        RawMqttConnection publisher = open();
        publisher.connectAccepted("qos2-sender", false);
        publisher.send(Packets.publish("exactly/once").qos(2).packetId(7).payload("one copy").build());
        publisher.expectAck(PacketType.PUBREC, 7); // no PUBREL before the restart

        restart();
        RawMqttConnection resent = open();
        resent.connectAccepted("qos2-sender", false);
        resent.send(Packets.publish("exactly/once").qos(2).dup(true).packetId(7).payload("one copy").build());
        resent.expectAck(PacketType.PUBREC, 7);
        resent.send(Packets.pubrel(7));
        resent.expectAck(PacketType.PUBCOMP, 7);

        RawMqttConnection subscriber = open();
        subscriber.connectAccepted("once-only", false);
        assertThat(subscriber.receivePublishAndAcknowledge().payloadAsString()).isEqualTo("one copy");
        assertThat(subscriber.publishesUntilPingResponse()).isEmpty();
    }

    @Test
    void retainedMessagesSurviveARestartAndAClearedOneStaysCleared() {
        // [MQTT-3.3.1-5] the retained message is kept; [MQTT-3.3.1-10] an empty one removes it.
        start();
        RawMqttConnection publisher = open();
        publisher.connectAccepted("retainer", true);
        publisher.send(Packets.publish("status/kept").qos(1).packetId(1).retain(true).payload("on").build());
        publisher.expectAck(PacketType.PUBACK, 1);
        publisher.send(Packets.publish("status/cleared").qos(1).packetId(2).retain(true).payload("x").build());
        publisher.expectAck(PacketType.PUBACK, 2);
        publisher.send(Packets.publish("status/cleared").qos(1).packetId(3).retain(true).payload("").build());
        publisher.expectAck(PacketType.PUBACK, 3);
        publisher.disconnect();

        restart();
        assertThat(broker.retainedMessageCount()).isEqualTo(1);
        RawMqttConnection subscriber = open();
        subscriber.connectAccepted("late-comer", true);
        subscriber.subscribe(1, "status/#", 1);
        MqttPacket retained = subscriber.receivePublishAndAcknowledge();
        assertThat(retained.retain()).isTrue();
        assertThat(retained.topic()).isEqualTo("status/kept");
        assertThat(subscriber.publishesUntilPingResponse()).isEmpty();
    }

    @Test
    void aDelayedWillPendingAtShutdownIsPublishedAfterTheRestart() {
        // [MQTT-3.1.3-9] (5.0) the will waits for its Will Delay Interval, which a restart does not cancel.
        start();
        RawMqttConnection dying = open();
        dying.connectAccepted(Packets.connect5("dying")
                .cleanStart(true)
                .properties(Packets.properties().add(PropertyId.SESSION_EXPIRY_INTERVAL, 600))
                .will("wills/dying", "gone", 1, false)
                .willProperties(Packets.properties().add(PropertyId.WILL_DELAY_INTERVAL, 2)));
        dying.close(); // no DISCONNECT: the will is due, after its delay
        Waiting.await().until(() -> broker.metrics().connectedClients() == 0); // the broker saw the close

        restart();
        RawMqttConnection watcher = open();
        watcher.connectAccepted("watcher", true);
        watcher.subscribe(1, "wills/#", 1);
        MqttPacket will = watcher.receivePublishAndAcknowledge();
        assertThat(will.topic()).isEqualTo("wills/dying");
        assertThat(will.payloadAsString()).isEqualTo("gone");
    }

    @Test
    void theWillOfASessionThatExpiredWhileTheBrokerWasDownIsAuthorizedAsItsClientWas() throws IOException {
        // [MQTT-3.1.3-9] (5.0) the will is due when the session ends, here while the broker was down; the ACL
        // lets only alice write alarms/alice, so it is published only if checked with her username.
        aclFile = Files.writeString(dataDirectory.resolveSibling(dataDirectory.getFileName() + ".acl"),
                "topic read alarms/#\n\nuser alice\ntopic write alarms/alice\n");
        start();
        persistentSubscriber("watcher", "alarms/#", 1).disconnect();
        RawMqttConnection alice = open();
        alice.connectAccepted(Packets.connect5("alice-sensor")
                .username("alice")
                .cleanStart(true)
                .properties(Packets.properties().add(PropertyId.SESSION_EXPIRY_INTERVAL, 1))
                .will("alarms/alice", "offline", 1, false)
                .willProperties(Packets.properties().add(PropertyId.WILL_DELAY_INTERVAL, 3600)));
        alice.close(); // no DISCONNECT: the will waits for the session's end
        Waiting.await().until(() -> broker.metrics().connectedClients() == 0);
        broker.close();
        Waiting.letTimePass(Duration.ofMillis(1500));

        start();
        RawMqttConnection watcher = open();
        watcher.connectAccepted("watcher", false);
        MqttPacket will = watcher.receivePublishAndAcknowledge();
        assertThat(will.topic()).isEqualTo("alarms/alice");
        assertThat(will.payloadAsString()).isEqualTo("offline");
    }

    @Test
    void aSessionWhoseExpiryPassedWhileTheBrokerWasDownIsGone() {
        // (5.0, 3.1.2.11.2) the session expires Session Expiry Interval seconds after its connection closed.
        start();
        RawMqttConnection shortLived = open();
        shortLived.connectAccepted(Packets.connect5("short-lived")
                .cleanStart(true)
                .properties(Packets.properties().add(PropertyId.SESSION_EXPIRY_INTERVAL, 1)));
        shortLived.subscribe(1, "anything/#", 1);
        shortLived.disconnect();
        broker.close();
        Waiting.letTimePass(Duration.ofMillis(1500));

        start();
        assertThat(broker.sessionCount()).isZero();
        RawMqttConnection back = open();
        assertThat(back.connectAccepted(Packets.connect5("short-lived").cleanStart(false)).sessionPresent()).isFalse();
    }
}
