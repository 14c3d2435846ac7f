package io.estafeta.broker.sys;

import io.estafeta.broker.Broker;
import io.estafeta.broker.testsupport.PahoTestClient;
import io.estafeta.broker.testsupport.ReceivedMessage;
import io.estafeta.broker.testsupport.TestBroker;
import io.estafeta.broker.testsupport.TestNames;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The $SYS topics a subscriber sees, against a known workload; who may read them; who may not write them. */
class SysTopicsTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int SUBACK_FAILURE = 0x80;
    private static final String BROKER = "$SYS/broker/";

    @TempDir
    Path directory;
    private TestBroker broker;
    private final List<PahoTestClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(PahoTestClient::close);
        if (broker != null) {
            broker.close();
        }
    }

    private PahoTestClient connect(String hint, boolean cleanSession) {
        PahoTestClient client = PahoTestClient.connect(broker, TestNames.clientId(hint), cleanSession);
        clients.add(client);
        return client;
    }

    private PahoTestClient connectAs(String username) {
        MqttConnectOptions options = PahoTestClient.options();
        options.setUserName(username);
        PahoTestClient client = PahoTestClient.connect(broker, TestNames.clientId(username), options);
        clients.add(client);
        return client;
    }

    /** The latest value of each $SYS/broker/ topic the client received, by the topic below $SYS/broker/. */
    private static Map<String, String> latest(PahoTestClient client) {
        Map<String, String> values = new HashMap<>();
        for (ReceivedMessage message : client.received().snapshot()) {
            values.put(message.topic().substring(BROKER.length()), message.payload());
        }
        return values;
    }

    private Broker estafeta() {
        return broker.estafeta().orElseThrow();
    }

    @Test
    void subscriberSeesTheCountsOfAKnownWorkloadAfterTheNextInterval() {
        broker = TestBroker.start(config -> config.sysInterval(ONE_SECOND));
        // One persistent client that is gone again: a disconnected client (its session stays).
        connect("persistent", false).close();
        await().atMost(WAIT).until(() -> estafeta().metrics().connectedClients() == 0);
        int publishers = 3;
        int messagesEach = 2;
        String topic = TestNames.topic("sysload");
        for (int i = 0; i < publishers; i++) {
            PahoTestClient publisher = connect("syspub", true);
            for (int m = 0; m < messagesEach; m++) {
                publisher.publish(topic, "m" + m, 1, false);
            }
        }
        // clients: [persistent, publisher 1, publisher 2, publisher 3]
        clients.get(1).close();
        clients.get(2).publish(topic + "/retained", "kept", 1, true);

        PahoTestClient subscriber = connect("syssub", true);
        subscriber.subscribe("$SYS/#", 0);

        // Clients: 1 persistent (disconnected) + 3 publishers + 1 subscriber. The persistent client closed
        // normally (Paho sends DISCONNECT), the first publisher too before the subscriber came: so 3 connected,
        // and never more than 3 at once.
        // Packets received: 5 CONNECT, 2 DISCONNECT, 7 PUBLISH, 1 SUBSCRIBE.
        int published = publishers * messagesEach + 1;
        await().atMost(WAIT).untilAsserted(() -> assertThat(latest(subscriber))
                .containsEntry("clients/connected", "3")
                .containsEntry("clients/disconnected", "1")
                .containsEntry("clients/total", "4")
                .containsEntry("clients/maximum", "3")
                .containsEntry("publish/messages/received", Integer.toString(published))
                .containsEntry("messages/received", "15")
                .containsEntry("subscriptions/count", "1")
                .containsEntry("retained messages/count", "1"));
        Map<String, String> values = latest(subscriber);
        assertThat(Long.parseLong(values.get("bytes/received"))).isPositive();
        assertThat(Long.parseLong(values.get("bytes/sent"))).isPositive();
        // Besides the subscriber's $SYS messages nothing was delivered, and nothing was dropped.
        assertThat(Long.parseLong(values.get("publish/messages/sent"))).isPositive();
        assertThat(values).containsEntry("publish/messages/dropped", "0");
        assertThat(Double.parseDouble(values.get("load/publish/received/1min"))).isPositive();
        assertThat(Double.parseDouble(values.get("load/connections/15min"))).isPositive();
        assertThat(values).containsKeys("load/messages/received/5min", "load/messages/sent/1min",
                "load/bytes/received/15min", "load/bytes/sent/5min", "load/sockets/1min");
    }

    @Test
    void versionAndUptimeArePublishedFromTheStart() {
        broker = TestBroker.start(config -> config.sysInterval(ONE_SECOND));
        PahoTestClient subscriber = connect("sysver", true);

        subscriber.subscribe("$SYS/broker/+", 0);

        await().atMost(WAIT).untilAsserted(() -> assertThat(latest(subscriber))
                .hasEntrySatisfying("version", version -> assertThat(version).startsWith("estafeta version "))
                .hasEntrySatisfying("uptime", uptime -> assertThat(uptime).matches("[0-9]+ seconds")));
    }

    @Test
    void withAnAclFileOnlyClientsGrantedSysTopicsReadThem() throws IOException {
        Path acl = directory.resolve("acl");
        Files.writeString(acl, """
                topic readwrite app/#
                user admin
                topic read $SYS/#
                """);
        broker = TestBroker.start(config -> config.sysInterval(ONE_SECOND).aclFile(acl));
        PahoTestClient anonymous = connect("sysanon", true);
        PahoTestClient admin = connectAs("admin");

        assertThat(anonymous.subscribe("$SYS/#", 0)).isEqualTo(SUBACK_FAILURE);
        assertThat(admin.subscribe("$SYS/#", 0)).isZero();

        await().atMost(WAIT).until(() -> latest(admin).containsKey("version"));
        assertThat(anonymous.received().size()).isZero();
    }

    @Test
    void clientsCannotPublishToSysTopics() {
        broker = TestBroker.start(config -> config.sysInterval(Duration.ZERO));
        PahoTestClient client = connect("sysfake", true);

        // MQTT 3.1.1 cannot refuse a PUBLISH: it is acknowledged and dropped.
        client.publish("$SYS/broker/version", "fake", 1, true);

        assertThat(estafeta().retainedMessageCount()).isZero();
        assertThat(estafeta().metrics().messagesReceived()).isEqualTo(1);
    }
}
