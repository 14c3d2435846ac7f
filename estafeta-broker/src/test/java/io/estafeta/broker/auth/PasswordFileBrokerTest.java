package io.estafeta.broker.auth;

import io.estafeta.broker.Broker;
import io.estafeta.broker.BrokerStartException;
import io.estafeta.broker.config.BrokerConfig;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A broker started with a password file answers CONNECT from it; a real client (Paho, MQTT 3.1.1) sees that. */
class PasswordFileBrokerTest {

    @TempDir
    Path dir;

    private Path passwordFile() throws IOException {
        Path file = dir.resolve("passwd");
        PasswordFile.empty().withUser("alice", PasswordHash.create("wonderland".getBytes(StandardCharsets.UTF_8), 10))
                .write(file);
        return file;
    }

    private static MqttConnectOptions login(String username, String password) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        if (username != null) {
            options.setUserName(username);
            options.setPassword(password.toCharArray());
        }
        return options;
    }

    @Test
    void theRightPasswordConnectsAWrongOneIsRefusedWith4AndAnonymousWith5() throws Exception {
        BrokerConfig config = BrokerConfig.builder().persistence(false).localOnlyPort(0).passwordFile(passwordFile()).build();
        try (Broker broker = Broker.start(config)) {
            String uri = "tcp://127.0.0.1:" + broker.boundAddresses().getFirst().getPort();
            MqttClient client = new MqttClient(uri, "password-test", new MemoryPersistence());
            try {
                client.connect(login("alice", "wonderland"));
                assertThat(client.isConnected()).isTrue();
                client.disconnect();

                // CONNACK return code 0x04: bad user name or password.
                MqttException wrong = catchThrowableOfType(MqttException.class,
                        () -> client.connect(login("alice", "looking-glass")));
                assertThat(wrong.getReasonCode()).isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION);

                MqttException unknown = catchThrowableOfType(MqttException.class,
                        () -> client.connect(login("mallory", "wonderland")));
                assertThat(unknown.getReasonCode()).isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION);

                // CONNACK return code 0x05: not authorized (a password file turns anonymous access off).
                MqttException anonymous = catchThrowableOfType(MqttException.class,
                        () -> client.connect(login(null, null)));
                assertThat(anonymous.getReasonCode()).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED);
            } finally {
                client.close();
            }
        }
    }

    @Test
    void aBrokerWithAMissingPasswordFileDoesNotStart() {
        Path missing = dir.resolve("missing");
        BrokerConfig config = BrokerConfig.builder().persistence(false).localOnlyPort(0).passwordFile(missing).build();

        assertThatThrownBy(() -> Broker.start(config))
                .isInstanceOf(BrokerStartException.class)
                .hasMessage("cannot read password file " + missing + ": no such file");
    }

    @Test
    void anAclFileDecidesWhatAClientMayPublishSubscribeAndReceive() throws Exception {
        Path acl = Files.writeString(dir.resolve("acl"), String.join("\n",
                "user alice",
                "topic readwrite house/#",
                "topic read news/#",
                "") );
        BrokerConfig config = BrokerConfig.builder().persistence(false).localOnlyPort(0).passwordFile(passwordFile()).aclFile(acl).build();
        try (Broker broker = Broker.start(config)) {
            String uri = "tcp://127.0.0.1:" + broker.boundAddresses().getFirst().getPort();
            List<String> received = new CopyOnWriteArrayList<>();
            MqttClient alice = new MqttClient(uri, "acl-alice", new MemoryPersistence());
            try {
                alice.connect(login("alice", "wonderland"));
                // SUBACK 0x80 for a filter nothing could ever be delivered on; granted QoS for the others.
                int[] granted = alice.subscribeWithResponse(new String[] {"house/#", "garden/#", "news/#"},
                        new int[] {1, 1, 1}).getGrantedQos();
                assertThat(granted).containsExactly(1, 0x80, 1);
                alice.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
                    @Override
                    public void connectionLost(Throwable cause) {
                    }

                    @Override
                    public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
                        received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
                    }

                    @Override
                    public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
                    }
                });
                // 3.1.1 cannot refuse a PUBLISH: a forbidden one (news/ is read-only) is acknowledged and
                // dropped; an allowed one arrives.
                alice.publish("news/today", "forged".getBytes(StandardCharsets.UTF_8), 1, false);
                alice.publish("house/kitchen", "warm".getBytes(StandardCharsets.UTF_8), 1, false);

                Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> received.contains("house/kitchen warm"));
                assertThat(received).containsExactly("house/kitchen warm");
                alice.disconnect();
            } finally {
                alice.close();
            }
        }
    }
}
