package io.estafeta.broker.auth.scram;

import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import org.awaitility.Awaitility;
import io.estafeta.broker.Broker;
import io.estafeta.broker.auth.PasswordFile;
import io.estafeta.broker.auth.PasswordHash;
import io.estafeta.broker.config.BrokerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * MQTT 5 enhanced authentication (4.12) with SCRAM-SHA-256, through a real MQTT 5 client (HiveMQ) whose
 * SCRAM side is written from the RFC: CONNECT -> AUTH 0x18 -> AUTH 0x18 -> CONNACK with server-final.
 */
class EnhancedAuthenticationTest {

    @TempDir
    Path dir;
    private Broker broker;
    private int port;

    @BeforeEach
    void startBrokerWithAScramUser() throws Exception {
        Path passwords = dir.resolve("passwd");
        PasswordFile.empty()
                .withUser("alice", PasswordHash.createScram("wonderland".getBytes(StandardCharsets.UTF_8), 4096))
                .withUser("bob", PasswordHash.create("builder".getBytes(StandardCharsets.UTF_8), 10))
                .write(passwords);
        broker = Broker.start(BrokerConfig.builder().persistence(false).localOnlyPort(0).passwordFile(passwords).build());
        port = broker.boundAddresses().getFirst().getPort();
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    private Mqtt5BlockingClient client(ScramClientMechanism mechanism) {
        return Mqtt5Client.builder().identifier("scram-" + System.nanoTime()).serverHost("127.0.0.1").serverPort(port)
                .enhancedAuth(mechanism).buildBlocking();
    }

    @Test
    void theRightPasswordAuthenticatesAndTheServerProvesItKnowsItToo() {
        ScramClientMechanism mechanism = new ScramClientMechanism("alice", "wonderland");
        Mqtt5BlockingClient client = client(mechanism);

        assertThat(client.connect().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        assertThat(mechanism.serverVerified).isTrue();
        client.disconnect();
    }

    @Test
    void aLiveConnectionReauthenticatesWithAuth0x19AndGetsAuthSuccess() {
        // [MQTT-4.12.1-1] re-authentication with the same method after CONNACK; the session goes on.
        ScramClientMechanism mechanism = new ScramClientMechanism("alice", "wonderland");
        Mqtt5BlockingClient client = client(mechanism);
        client.connect();

        client.toAsync().reauth().join();

        assertThat(mechanism.reauthenticated).isTrue();
        assertThat(client.getState().isConnected()).isTrue();
        client.disconnect();
    }

    @Test
    void aFailedReauthenticationEndsTheConnectionWithNotAuthorized() {
        // [MQTT-4.12.1-2] the server sends DISCONNECT and closes the connection.
        ScramClientMechanism mechanism = new ScramClientMechanism("alice", "wonderland");
        Mqtt5BlockingClient client = client(mechanism);
        client.connect();
        mechanism.usePassword("looking-glass");

        client.toAsync().reauth().exceptionally(failure -> null).join();

        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !client.getState().isConnected());
        assertThat(mechanism.reauthRejection).isNotNull();
        assertThat(mechanism.reauthRejection.getReasonCode()).isEqualTo(Mqtt5DisconnectReasonCode.NOT_AUTHORIZED);
    }

    @Test
    void aWrongPasswordIsRefusedWithBadUsernameOrPassword() {
        Mqtt5BlockingClient client = client(new ScramClientMechanism("alice", "looking-glass"));

        Mqtt5ConnAckException refused = catchThrowableOfType(Mqtt5ConnAckException.class, client::connect);
        assertThat(refused.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void aUserWithoutAScramCredentialIsRefusedLikeAWrongPassword() {
        Mqtt5BlockingClient client = client(new ScramClientMechanism("bob", "builder"));

        Mqtt5ConnAckException refused = catchThrowableOfType(Mqtt5ConnAckException.class, client::connect);
        assertThat(refused.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void aScramCredentialAlsoChecksAPlainPasswordInConnect() {
        Mqtt5BlockingClient client = Mqtt5Client.builder().identifier("plain-alice").serverHost("127.0.0.1")
                .serverPort(port).simpleAuth().username("alice").password("wonderland".getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().buildBlocking();

        assertThat(client.connect().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        client.disconnect();
    }

    @Test
    void anUnsupportedMethodIsRefusedWithBadAuthenticationMethod() {
        // [MQTT-4.12.0-1]
        Broker plain = Broker.start(BrokerConfig.builder().persistence(false).localOnlyPort(0).build());
        try {
            Mqtt5BlockingClient client = Mqtt5Client.builder().identifier("no-scram").serverHost("127.0.0.1")
                    .serverPort(plain.boundAddresses().getFirst().getPort())
                    .enhancedAuth(new ScramClientMechanism("alice", "wonderland")).buildBlocking();

            Mqtt5ConnAckException refused = catchThrowableOfType(Mqtt5ConnAckException.class, client::connect);
            assertThat(refused.getMqttMessage().getReasonCode())
                    .isEqualTo(Mqtt5ConnAckReasonCode.BAD_AUTHENTICATION_METHOD);
        } finally {
            plain.close();
        }
    }
}
