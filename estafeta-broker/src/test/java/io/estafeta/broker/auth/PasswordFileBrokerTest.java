package io.estafeta.broker.auth;

import io.estafeta.broker.Broker;
import io.estafeta.broker.BrokerStartException;
import io.estafeta.broker.config.BrokerConfig;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

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
        BrokerConfig config = BrokerConfig.builder().localOnlyPort(0).passwordFile(passwordFile()).build();
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
        BrokerConfig config = BrokerConfig.builder().localOnlyPort(0).passwordFile(missing).build();

        assertThatThrownBy(() -> Broker.start(config))
                .isInstanceOf(BrokerStartException.class)
                .hasMessage("cannot read password file " + missing + ": no such file");
    }

    @Test
    void aBrokerWithAnAclFileDoesNotStartUntilTheAclIsEnforced() throws IOException {
        Path acl = Files.writeString(dir.resolve("acl"), "topic read #\n");
        BrokerConfig config = BrokerConfig.builder().localOnlyPort(0).aclFile(acl).build();

        assertThatThrownBy(() -> Broker.start(config))
                .isInstanceOf(BrokerStartException.class)
                .hasMessageContaining("acl_file " + acl + ": access control lists are not enforced");
    }
}
