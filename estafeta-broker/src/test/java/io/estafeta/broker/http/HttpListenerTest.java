package io.estafeta.broker.http;

import io.estafeta.broker.Broker;
import io.estafeta.broker.BrokerStartException;
import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.config.HttpListenerConfig;
import io.estafeta.broker.testsupport.AdminHttpClient;
import io.estafeta.broker.testsupport.AdminHttpClient.Answer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

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
    void aMissingAdminPasswordFileStopsTheBrokerFromStarting() {
        HttpListenerConfig http = HttpListenerConfig.on(0).withAdminPasswordFile(dir.resolve("missing"));

        assertThatThrownBy(() -> Broker.start(mqttOnLoopback(dir).http(http).build()))
                .isInstanceOf(BrokerStartException.class).hasMessageContaining("missing");
    }
}
