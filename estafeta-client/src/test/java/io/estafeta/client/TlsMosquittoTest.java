package io.estafeta.client;

import io.estafeta.testkit.MosquittoBroker;
import io.estafeta.testkit.TestCertificates;

import io.netty.handler.codec.mqtt.MqttQoS;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** TLS from PEM files, against Mosquitto listeners that present certificates of a test authority. */
class TlsMosquittoTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long WAIT_SECONDS = WAIT.toSeconds();
    private static final String LOOPBACK = "127.0.0.1";

    @TempDir
    static Path directory;
    private static TestCertificates certificates;
    private static Path[] clientCertificate;
    /** Names 127.0.0.1 in its certificate and requires a client certificate. */
    private static MosquittoBroker mutualTls;
    /** Presents a certificate for another host name. */
    private static MosquittoBroker otherName;
    private final List<MqttClient> clients = new ArrayList<>();

    @BeforeAll
    static void startBrokers() throws Exception {
        certificates = TestCertificates.authority(directory);
        Path[] server = certificates.issue("server", "DNS:localhost,IP:" + LOOPBACK);
        Path[] other = certificates.issue("other", "DNS:other.invalid");
        clientCertificate = certificates.issue("client", null);
        mutualTls = MosquittoBroker.start(directory, List.of("allow_anonymous true",
                "cafile " + certificates.caFile(), "certfile " + server[0], "keyfile " + server[1],
                "require_certificate true"));
        otherName = MosquittoBroker.start(directory, List.of("allow_anonymous true",
                "certfile " + other[0], "keyfile " + other[1]));
    }

    @AfterAll
    static void stopBrokers() {
        if (mutualTls != null) {
            mutualTls.close();
        }
        if (otherName != null) {
            otherName.close();
        }
    }

    @AfterEach
    void closeClients() {
        clients.forEach(MqttClient::close);
    }

    @Test
    void messagesTravelOverTlsWithAClientCertificate() throws Exception {
        TlsOptions tls = new TlsOptions(certificates.caFile(), clientCertificate[0], clientCertificate[1], false);
        ReceivedMessages received = new ReceivedMessages();
        MqttClient subscriber = client(mutualTls, tls);
        subscriber.setMessageListener(received);
        subscriber.connect().get(WAIT_SECONDS, TimeUnit.SECONDS);
        subscriber.subscribe("tls/#", MqttQoS.AT_LEAST_ONCE).get(WAIT_SECONDS, TimeUnit.SECONDS);
        MqttClient publisher = client(mutualTls, tls);
        publisher.connect().get(WAIT_SECONDS, TimeUnit.SECONDS);

        publisher.publish("tls/a", "secret".getBytes(StandardCharsets.UTF_8), MqttQoS.AT_LEAST_ONCE, false)
                .get(WAIT_SECONDS, TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> received.withPayload("secret") == 1);
    }

    @Test
    void serverThatRequiresAClientCertificateRefusesAClientWithout() throws Exception {
        MqttClient client = client(mutualTls, new TlsOptions(certificates.caFile(), null, null, false));

        assertThatThrownBy(() -> client.connect().get(WAIT_SECONDS, TimeUnit.SECONDS))
                .cause().isInstanceOf(MqttClientException.class);
    }

    @Test
    void certificateFromAnUntrustedAuthorityIsRejected() throws Exception {
        // The JDK's default authorities do not include the test authority.
        MqttClient client = client(mutualTls, TlsOptions.defaults());

        assertThatThrownBy(() -> client.connect().get(WAIT_SECONDS, TimeUnit.SECONDS))
                .cause().hasMessageContaining("TLS handshake failed");
    }

    @Test
    void certificateForAnotherHostIsRejected() throws Exception {
        MqttClient client = client(otherName, new TlsOptions(certificates.caFile(), null, null, false));

        assertThatThrownBy(() -> client.connect().get(WAIT_SECONDS, TimeUnit.SECONDS))
                .cause().hasMessageContaining("TLS handshake failed").hasMessageContaining("No subject alternative names matching");
    }

    @Test
    void insecureSkipsOnlyTheHostNameCheck() throws Exception {
        MqttClient client = client(otherName, new TlsOptions(certificates.caFile(), null, null, true));

        assertThat(client.connect().get(WAIT_SECONDS, TimeUnit.SECONDS).isAccepted()).isTrue();
    }

    private MqttClient client(MosquittoBroker broker, TlsOptions tls) throws Exception {
        MqttClient client = new MqttClient(MqttClientOptions.builder().host(LOOPBACK).port(broker.port())
                .clientId("tls-" + clients.size()).connectTimeout(WAIT).sslContext(tls.toSslContext()).build());
        clients.add(client);
        return client;
    }
}
