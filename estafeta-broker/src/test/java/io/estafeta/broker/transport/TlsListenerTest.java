package io.estafeta.broker.transport;

import io.estafeta.broker.Broker;
import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.config.ListenerConfig;
import io.estafeta.broker.config.Secret;
import io.estafeta.broker.config.TlsConfig;
import io.estafeta.testkit.TestCertificates;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** TLS listeners end to end: real clients (Paho, JDK sockets, mosquitto_pub/sub) against certificates from openssl. */
class TlsListenerTest {

    private static final String LOCAL_NAMES = "DNS:localhost,IP:127.0.0.1";
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Path MOSQUITTO_PUB = Path.of("/usr/bin/mosquitto_pub");
    private static final Path MOSQUITTO_SUB = Path.of("/usr/bin/mosquitto_sub");
    private static final int SUBSCRIPTION_REFUSED = 0x80;

    @TempDir
    static Path certificatesDirectory;
    private static TestCertificates certificates;
    private static Path[] server;
    private static Path[] alice;

    @TempDir
    Path directory;
    private Broker broker;
    private final List<MqttClient> clients = new ArrayList<>();

    @BeforeAll
    static void makeCertificates() throws Exception {
        certificates = TestCertificates.authority(certificatesDirectory);
        server = certificates.issue("server", LOCAL_NAMES);
        alice = certificates.issue("alice", null);
    }

    @AfterEach
    void stop() throws MqttException {
        // The broker goes first, so that the clients are already disconnected and close at once.
        if (broker != null) {
            broker.close();
        }
        for (MqttClient client : clients) {
            if (client.isConnected()) {
                // Paho may not have seen the broker's close yet; it refuses to close a client it thinks is up.
                client.disconnectForcibly(0, 0);
            }
            client.close(true);
        }
    }

    private int start(TlsConfig tls) {
        return start(tls, ListenerConfig.UNLIMITED, null);
    }

    private int start(TlsConfig tls, int maxConnections, Path aclFile) {
        BrokerConfig.Builder builder = BrokerConfig.builder().persistence(false)
                .listeners(List.of(new ListenerConfig(0, "127.0.0.1", tls, maxConnections)))
                .allowAnonymous(true);
        if (aclFile != null) {
            builder.aclFile(aclFile);
        }
        broker = Broker.start(builder.build());
        return broker.boundAddresses().getFirst().getPort();
    }

    private MqttClient connect(int port, String clientId, SSLSocketFactory factory, String username)
            throws MqttException {
        MqttClient client = new MqttClient((factory == null ? "tcp" : "ssl") + "://127.0.0.1:" + port, clientId,
                new MemoryPersistence());
        clients.add(client);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setSocketFactory(factory);
        options.setAutomaticReconnect(false);
        if (username != null) {
            options.setUserName(username);
        }
        client.connect(options);
        return client;
    }

    @Test
    void pahoPublishesAndSubscribesOverTls() throws Exception {
        int port = start(TlsConfig.of(server[0], server[1]));
        SSLSocketFactory factory = TlsClients.trusting(certificates.caFile());
        List<String> received = new CopyOnWriteArrayList<>();
        MqttClient subscriber = connect(port, "tls-sub", factory, null);
        subscriber.subscribe("tls/#", 1, (topic, message) -> received.add(new String(message.getPayload(),
                StandardCharsets.UTF_8)));

        connect(port, "tls-pub", factory, null).publish("tls/a", "over tls".getBytes(StandardCharsets.UTF_8), 1,
                false);

        await().atMost(WAIT).until(() -> received.contains("over tls"));
    }

    /** A payload this large goes out as a header buffer and a payload buffer shared between deliveries. */
    @Test
    void aLargeMessageArrivesWholeOverTls() throws Exception {
        int port = start(TlsConfig.of(server[0], server[1]));
        SSLSocketFactory factory = TlsClients.trusting(certificates.caFile());
        byte[] payload = new byte[64 * 1024 + 3];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) i;
        }
        List<byte[]> received = new CopyOnWriteArrayList<>();
        MqttClient subscriber = connect(port, "tls-large-sub", factory, null);
        subscriber.subscribe("tls/large", 0, (topic, message) -> received.add(message.getPayload()));

        connect(port, "tls-large-pub", factory, null).publish("tls/large", payload, 0, false);

        await().atMost(WAIT).until(() -> !received.isEmpty());
        assertThat(received.getFirst()).isEqualTo(payload);
    }

    @Test
    void mosquittoClientsWithCafilePublishAndSubscribe() throws Exception {
        assumeTrue(Files.isExecutable(MOSQUITTO_PUB) && Files.isExecutable(MOSQUITTO_SUB),
                "mosquitto clients are not installed");
        int port = start(TlsConfig.of(server[0], server[1]));
        String ca = certificates.caFile().toString();
        run(MOSQUITTO_PUB.toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "--cafile", ca,
                "-t", "tls/retained", "-m", "kept", "-r", "-q", "1");

        String output = run(MOSQUITTO_SUB.toString(), "-h", "127.0.0.1", "-p", String.valueOf(port),
                "--cafile", ca, "-t", "tls/retained", "-C", "1", "-W", "10");

        assertThat(output.strip()).isEqualTo("kept");
    }

    @Test
    void theListenerOffersOnlyTls12AndTls13() throws Exception {
        ServerTlsContext context = ServerTlsContext.load(TlsConfig.of(server[0], server[1]), "test");

        assertThat(context.current().newEngine(io.netty.buffer.ByteBufAllocator.DEFAULT).getEnabledProtocols())
                .containsExactlyInAnyOrder("TLSv1.2", "TLSv1.3");
    }

    @Test
    void aClientOfferingOnlyTls11IsRefused() throws Exception {
        int port = start(TlsConfig.of(server[0], server[1]));
        SSLSocketFactory factory = TlsClients.trusting(certificates.caFile());

        assertThatThrownBy(() -> TlsClients.handshake(factory, port, "TLSv1.1").close())
                .isInstanceOf(SSLException.class);
    }

    @Test
    void tlsVersion13RefusesAClientOfferingOnlyTls12() throws Exception {
        int port = start(TlsConfig.of(server[0], server[1]).withProtocols(List.of(TlsConfig.TLS_1_3)));
        SSLSocketFactory factory = TlsClients.trusting(certificates.caFile());

        assertThatThrownBy(() -> TlsClients.handshake(factory, port, "TLSv1.2").close())
                .isInstanceOf(SSLException.class);
        try (SSLSocket socket = TlsClients.handshake(factory, port, "TLSv1.3")) {
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void requireCertificateRefusesAClientWithoutOne() throws Exception {
        int port = start(TlsConfig.of(server[0], server[1]).requiringCertificates(certificates.caFile()));

        assertThatThrownBy(() -> connect(port, "no-cert", TlsClients.trusting(certificates.caFile()), null))
                .isInstanceOf(MqttException.class);
    }

    @Test
    void requireCertificateAcceptsAClientWithOneFromTheCa() throws Exception {
        int port = start(TlsConfig.of(server[0], server[1]).requiringCertificates(certificates.caFile()));

        MqttClient client = connect(port, "with-cert",
                TlsClients.presenting(certificates.caFile(), alice[0], alice[1]), null);

        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void useIdentityAsUsernameAppliesTheAclOfTheCertificatesCommonName() throws Exception {
        Path acl = Files.writeString(directory.resolve("acl"), "user alice\ntopic readwrite alice/#\n");
        int port = start(TlsConfig.of(server[0], server[1]).requiringCertificates(certificates.caFile())
                .usingIdentityAsUsername(), ListenerConfig.UNLIMITED, acl);

        // The CONNECT username is ignored: the certificate says "alice".
        MqttClient client = connect(port, "identity", TlsClients.presenting(certificates.caFile(), alice[0],
                alice[1]), "mallory");
        IMqttToken own = client.subscribeWithResponse("alice/#", 1);
        IMqttToken other = client.subscribeWithResponse("mallory/#", 1);

        assertThat(own.getGrantedQos()).containsExactly(1);
        assertThat(other.getGrantedQos()).containsExactly(SUBSCRIPTION_REFUSED);
    }

    @Test
    void aServerKeyAndCertificateInAPkcs12KeystoreServeTls() throws Exception {
        Path keyStore = certificates.pkcs12("server", "store secret");
        int port = start(TlsConfig.ofKeyStore(keyStore, Secret.of("store secret")));

        try (SSLSocket socket = TlsClients.handshake(TlsClients.trusting(certificates.caFile()), port)) {
            assertThat(TlsClients.serverCommonName(socket)).isEqualTo("server");
        }
        connect(port, "from-keystore", TlsClients.trusting(certificates.caFile()), null)
                .publish("p12/works", new byte[] {1}, 1, false);
    }

    @Test
    void aWrongKeystorePasswordStopsTheBrokerNamingTheFile() throws Exception {
        Path keyStore = certificates.pkcs12("server", "store secret");

        assertThatThrownBy(() -> start(TlsConfig.ofKeyStore(keyStore, Secret.of("guess"))))
                .hasMessageContaining(keyStore.toString()).hasMessageContaining("keystore_password")
                .hasMessageNotContaining("guess");
    }

    @Test
    void anEncryptedKeyFileIsReadWithKeyfilePassword() throws Exception {
        Path encrypted = certificates.encryptedKey("server", "key secret");
        int port = start(TlsConfig.of(server[0], encrypted).withKeyPassword(Secret.of("key secret")));

        try (SSLSocket socket = TlsClients.handshake(TlsClients.trusting(certificates.caFile()), port)) {
            assertThat(TlsClients.serverCommonName(socket)).isEqualTo("server");
        }
    }

    @Test
    void anEncryptedKeyFileWithAWrongOrMissingPasswordStopsTheBroker() throws Exception {
        Path encrypted = certificates.encryptedKey("server", "key secret");

        assertThatThrownBy(() -> start(TlsConfig.of(server[0], encrypted).withKeyPassword(Secret.of("guess"))))
                .hasMessageContaining("keyfile_password does not decrypt the key").hasMessageNotContaining("guess");
        assertThatThrownBy(() -> start(TlsConfig.of(server[0], encrypted)))
                .hasMessageContaining("holds an encrypted key: give its password with keyfile_password");
    }

    @Test
    void aChangedCertificateServesNewConnectionsWhileOldOnesStay() throws Exception {
        Path liveCert = directory.resolve("live.crt");
        Path liveKey = directory.resolve("live.key");
        Files.copy(server[0], liveCert);
        Files.copy(server[1], liveKey);
        int port = start(TlsConfig.of(liveCert, liveKey));
        SSLSocketFactory factory = TlsClients.trusting(certificates.caFile());
        MqttClient old = connect(port, "before-reload", factory, null);
        try (SSLSocket socket = TlsClients.handshake(factory, port)) {
            assertThat(TlsClients.serverCommonName(socket)).isEqualTo("server");
        }

        Path[] renewed = certificates.issue("renewed", LOCAL_NAMES);
        Files.copy(renewed[1], liveKey, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(renewed[0], liveCert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        await().atMost(WAIT).until(() -> {
            try (SSLSocket socket = TlsClients.handshake(factory, port)) {
                return TlsClients.serverCommonName(socket).equals("renewed");
            }
        });
        assertThat(old.isConnected()).isTrue();
        old.publish("still/here", new byte[] {1}, 1, false);
    }

    @Test
    void aConnectionOverMaxConnectionsIsClosedRightAfterAccept() throws Exception {
        int port = start(null, 2, null);
        connect(port, "first", null, null);
        connect(port, "second", null, null);

        try (java.net.Socket third = new java.net.Socket("127.0.0.1", port)) {
            third.setSoTimeout((int) WAIT.toMillis());
            // Closed by the broker before any MQTT packet was sent: end of stream.
            assertThat(third.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(broker.metrics().connectionsRefusedAtLimit()).isEqualTo(1);
    }

    @Test
    void aPlaceFreedUnderMaxConnectionsCanBeTakenAgain() throws Exception {
        int port = start(null, 1, null);
        MqttClient first = connect(port, "first", null, null);
        first.disconnect();

        await().atMost(WAIT).ignoreExceptions().until(() -> connect(port, "again", null, null).isConnected());
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("%s: %s", String.join(" ", command), output).isZero();
        return output;
    }
}
