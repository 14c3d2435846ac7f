package io.estafeta.broker.http;

import io.estafeta.broker.Broker;
import io.estafeta.broker.BrokerStartException;
import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.config.HttpListenerConfig;
import io.estafeta.broker.config.TlsConfig;
import io.estafeta.testkit.TestCertificates;
import io.estafeta.broker.testsupport.AdminHttpClient;
import io.estafeta.broker.testsupport.AdminHttpClient.Answer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HTTP listener's safe defaults: off unless configured, loopback, admin API only with credentials. */
class HttpListenerTest {

    @TempDir
    Path dir;

    private static BrokerConfig.Builder mqttOnLoopback(Path dir) {
        return BrokerConfig.builder().localOnlyPort(0).dataDirectory(dir);
    }

    @Test
    void thereIsNoHttpListenerUnlessConfigured() {
        try (Broker broker = Broker.start(mqttOnLoopback(dir).build())) {
            assertThat(broker.httpAddress()).isNull();
        }
    }

    @Test
    void withoutAdminCredentialsOnlyMetricsAreServedAndTheAdminApiSaysWhy() {
        try (Broker broker = Broker.start(mqttOnLoopback(dir).http(HttpListenerConfig.on(0)).build())) {
            assertThat(broker.httpAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            AdminHttpClient anyone = AdminHttpClient.of(broker.httpAddress(), null, null);

            assertThat(anyone.get("/metrics").status()).isEqualTo(200);
            Answer api = anyone.get("/api/clients");
            assertThat(api.status()).isEqualTo(403);
            assertThat((String) api.object().get("error")).contains("admin_password_file");
            assertThat(anyone.get("/").status()).isEqualTo(403);
        }
    }

    @Test
    void adminAllowAnonymousOpensTheAdminApiWithoutCredentials() {
        HttpListenerConfig open = HttpListenerConfig.on(0).withAdminWithoutPassword(true);
        try (Broker broker = Broker.start(mqttOnLoopback(dir).http(open).build())) {
            AdminHttpClient anyone = AdminHttpClient.of(broker.httpAddress(), null, null);

            assertThat(anyone.get("/api/clients").status()).isEqualTo(200);
        }
    }

    @Test
    void withCertificateAndKeyTheListenerSpeaksHttpsOnly() throws Exception {
        TestCertificates certificates = TestCertificates.authority(Files.createDirectories(dir.resolve("certs")));
        Path[] server = certificates.issue("server", "DNS:localhost,IP:127.0.0.1");
        HttpListenerConfig https = HttpListenerConfig.on(0).withTls(TlsConfig.of(server[0], server[1]));
        try (Broker broker = Broker.start(mqttOnLoopback(dir).http(https).build())) {
            HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(certificates.caFile())).build();
            URI metrics = URI.create("https://127.0.0.1:" + broker.httpAddress().getPort() + "/metrics");

            HttpResponse<String> answer = trusting.send(HttpRequest.newBuilder(metrics).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("estafeta_clients_connected");
            URI plain = URI.create("http://127.0.0.1:" + broker.httpAddress().getPort() + "/metrics");
            assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(plain).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        }
    }

    private static SSLContext trusting(Path caFile) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    @Test
    void aMissingAdminPasswordFileStopsTheBrokerFromStarting() {
        HttpListenerConfig http = HttpListenerConfig.on(0).withAdminPasswordFile(dir.resolve("missing"));

        assertThatThrownBy(() -> Broker.start(mqttOnLoopback(dir).http(http).build()))
                .isInstanceOf(BrokerStartException.class).hasMessageContaining("missing");
    }
}
