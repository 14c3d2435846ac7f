package io.estafeta.broker.auth;

import io.estafeta.testkit.MosquittoBroker;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static io.estafeta.broker.auth.MosquittoTools.MOSQUITTO;
import static io.estafeta.broker.auth.MosquittoTools.assumeInstalled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The same ACL file given to the real mosquitto broker and to {@link AclAuthorizer}: what mosquitto
 * delivers to each client, and which publishes it lets through, must be what the authorizer decides.
 * Skipped where Mosquitto is not installed.
 */
class MosquittoAclInteropTest {

    private static final String PASSWORD = "pw";
    private static final String ACL = String.join("\n",
            "topic read public/#",
            "topic deny public/secret/#",
            "user alice",
            "topic readwrite alice/#",
            "topic deny alice/locked",
            "topic read shared/#",
            "topic write shared/alice-only",
            "user bob",
            "topic deny users/bob/private",
            "user admin",
            "topic readwrite #",
            "user eve",
            "topic read devices/+/commands/#",
            "pattern readwrite users/%u/#",
            "pattern write devices/%c/status",
            "pattern read devices/%c/commands/#",
            "pattern deny devices/%c/commands/forbidden",
            // For the test's own bookkeeping: each client's end marker.
            "pattern readwrite done/%c",
            "");
    private static final List<String> TOPICS = List.of(
            "public/news", "public/secret/plan", "alice/notes", "alice/locked", "shared/x", "shared/alice-only",
            "users/alice/inbox", "users/bob/inbox", "users/bob/private", "users/carol/inbox", "devices/a1/status",
            "devices/a1/commands/reboot", "devices/a1/commands/forbidden", "devices/e1/commands/forbidden",
            "devices/anon/commands/x", "anything/else");
    /** Username (null: anonymous) and client id of each client. */
    private static final List<String[]> CLIENTS = List.of(
            new String[] {null, "anon"}, new String[] {"alice", "a1"}, new String[] {"bob", "b1"},
            new String[] {"carol", "c1"}, new String[] {"eve", "e1"});
    private static final String ADMIN = "admin";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void mosquittoDeliversAndAcceptsExactlyWhatTheAuthorizerAllows() throws Exception {
        assumeInstalled(MOSQUITTO);
        Path passwords = dir.resolve("passwd");
        PasswordFile file = PasswordFile.empty();
        for (String username : List.of("alice", "bob", "carol", "eve", ADMIN)) {
            file = file.withUser(username, PasswordHash.create(PASSWORD.getBytes(StandardCharsets.UTF_8), 10));
        }
        file.write(passwords);
        Path aclFile = dir.resolve("acl");
        Files.writeString(aclFile, ACL);
        AclAuthorizer authorizer = new AclAuthorizer(AclFile.load(aclFile));

        try (MosquittoBroker mosquitto = MosquittoBroker.start(dir, List.of(MosquittoTools.STAY_ROOT,
                "allow_anonymous true", "password_file " + passwords, "acl_file " + aclFile))) {
            String uri = "tcp://127.0.0.1:" + mosquitto.port();
            Map<String, Set<String>> received = new ConcurrentHashMap<>();
            List<MqttClient> clients = new ArrayList<>();
            try {
                MqttClient admin = connect(uri, ADMIN, "admin-client");
                clients.add(admin);
                Set<String> seenByAdmin = ConcurrentHashMap.newKeySet();
                admin.subscribe("#", 1, (topic, message) ->
                        seenByAdmin.add(new String(message.getPayload(), StandardCharsets.UTF_8) + " " + topic));
                for (String[] client : CLIENTS) {
                    MqttClient mqtt = connect(uri, client[0], client[1]);
                    clients.add(mqtt);
                    Set<String> topics = ConcurrentHashMap.newKeySet();
                    received.put(client[1], topics);
                    // Mosquitto grants every subscription and checks each delivery.
                    mqtt.subscribe("#", 1, (topic, message) -> topics.add(topic));
                }

                // Reading: the admin publishes everything, then each client's end marker (same order for all).
                for (String topic : TOPICS) {
                    admin.publish(topic, ADMIN.getBytes(StandardCharsets.UTF_8), 1, false);
                }
                for (String[] client : CLIENTS) {
                    admin.publish("done/" + client[1], new byte[0], 1, false);
                }
                for (String[] client : CLIENTS) {
                    String marker = "done/" + client[1];
                    await().atMost(WAIT).until(() -> received.get(client[1]).contains(marker));
                    Set<String> expected = TOPICS.stream()
                            .filter(topic -> authorizer.canReceive(client[1], client[0], topic))
                            .collect(Collectors.toCollection(TreeSet::new));
                    expected.add(marker);
                    assertThat(new TreeSet<>(received.get(client[1]))).as("delivered to %s", client[1])
                            .isEqualTo(expected);
                }

                // Writing: each client publishes everywhere, then to its marker; the admin sees what got through.
                for (int i = 0; i < CLIENTS.size(); i++) {
                    MqttClient mqtt = clients.get(i + 1);
                    String clientId = CLIENTS.get(i)[1];
                    for (String topic : TOPICS) {
                        mqtt.publish(topic, clientId.getBytes(StandardCharsets.UTF_8), 1, false);
                    }
                    mqtt.publish("done/" + clientId, clientId.getBytes(StandardCharsets.UTF_8), 1, false);
                }
                Set<String> expectedWrites = new TreeSet<>();
                for (String[] client : CLIENTS) {
                    String marker = client[1] + " done/" + client[1];
                    await().atMost(WAIT).until(() -> seenByAdmin.contains(marker));
                    expectedWrites.add(marker);
                    TOPICS.stream().filter(topic -> authorizer.canPublish(client[1], client[0], topic))
                            .forEach(topic -> expectedWrites.add(client[1] + " " + topic));
                }
                Set<String> actualWrites = seenByAdmin.stream().filter(entry -> !entry.startsWith(ADMIN + " ")
                        && !entry.startsWith(" ")).collect(Collectors.toCollection(TreeSet::new));
                assertThat(actualWrites).isEqualTo(expectedWrites);
            } finally {
                for (MqttClient client : clients) {
                    client.disconnectForcibly(0, 0, false);
                    client.close();
                }
            }
        }
    }

    private static MqttClient connect(String uri, String username, String clientId) throws MqttException {
        MqttClient client = new MqttClient(uri, clientId, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        if (username != null) {
            options.setUserName(username);
            options.setPassword(PASSWORD.toCharArray());
        }
        client.connect(options);
        return client;
    }
}
