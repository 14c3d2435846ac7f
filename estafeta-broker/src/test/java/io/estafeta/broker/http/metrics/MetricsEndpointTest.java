package io.estafeta.broker.http.metrics;

import io.estafeta.broker.auth.PasswordFile;
import io.estafeta.broker.auth.PasswordHash;
import io.estafeta.broker.http.AdminHttpFixture;
import io.estafeta.broker.testsupport.AdminHttpClient;
import io.estafeta.broker.testsupport.AdminHttpClient.Answer;
import io.estafeta.broker.testsupport.PahoTestClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static io.estafeta.broker.testsupport.Waiting.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code /metrics} scraped over real HTTP after a known MQTT workload, parsed as Prometheus text. */
class MetricsEndpointTest {

    private static final String USER = "device";
    private static final String PASSWORD = "device-pw";

    @TempDir
    Path dir;

    private static MqttConnectOptions login() {
        MqttConnectOptions options = PahoTestClient.options();
        options.setUserName(USER);
        options.setPassword(PASSWORD.toCharArray());
        return options;
    }

    @Test
    void aScrapeAfterAKnownWorkloadCountsConnectionsMessagesBytesQueuesAndRefusals() throws Exception {
        Path clients = dir.resolve("clients.passwd");
        PasswordFile.empty().withUser(USER, PasswordHash.create(PASSWORD.getBytes(StandardCharsets.UTF_8), 10))
                .write(clients);
        try (AdminHttpFixture fixture = AdminHttpFixture.start(
                builder -> builder.passwordFile(clients).allowAnonymous(false))) {
            // An offline persistent session that will hold two queued QoS 1 messages.
            MqttConnectOptions persistent = login();
            persistent.setCleanSession(false);
            try (PahoTestClient away = PahoTestClient.connect(fixture.broker(), "away", persistent)) {
                away.subscribe("m/#", 1);
            }
            // An anonymous client is refused: not authorized.
            assertThatThrownBy(() -> PahoTestClient.connect(fixture.broker(), "anonymous", true))
                    .isInstanceOf(IllegalStateException.class);
            try (PahoTestClient subscriber = PahoTestClient.connect(fixture.broker(), "subscriber", login());
                 PahoTestClient publisher = PahoTestClient.connect(fixture.broker(), "publisher", login())) {
                subscriber.subscribe("m/#", 1);
                publisher.publish("m/a", "hello", 1, false);    // 5 bytes, QoS 1
                publisher.publish("m/b", "world", 1, true);     // 5 bytes, QoS 1, retained
                publisher.publish("m/c", "abc", 0, false);      // 3 bytes, QoS 0
                subscriber.received().awaitCount(3);

                AdminHttpClient anyone = AdminHttpClient.of(fixture.httpAddress(), null, null);
                await().untilAsserted(() -> {
                    PrometheusText metrics = PrometheusText.parse(anyone.get("/metrics").body());
                    assertThat(metrics.value("estafeta_session_queued_messages")).isEqualTo(2);
                });
                Answer answer = anyone.get("/metrics");

                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.contentType()).startsWith("text/plain");
                PrometheusText metrics = PrometheusText.parse(answer.body());
                assertThat(metrics.value("estafeta_clients_connected")).isEqualTo(2);
                assertThat(metrics.value("estafeta_connections_total")).isEqualTo(3);
                assertThat(metrics.value("estafeta_connections_refused_total", "cause", "not_authorized")).isEqualTo(1);
                assertThat(metrics.value("estafeta_connections_refused_total", "cause", "max_connections")).isZero();
                assertThat(metrics.value("estafeta_messages_received_total", "qos", "0")).isEqualTo(1);
                assertThat(metrics.value("estafeta_messages_received_total", "qos", "1")).isEqualTo(2);
                assertThat(metrics.value("estafeta_messages_received_total", "qos", "2")).isZero();
                assertThat(metrics.value("estafeta_payload_bytes_received_total", "qos", "1")).isEqualTo(10);
                assertThat(metrics.value("estafeta_payload_bytes_received_total", "qos", "0")).isEqualTo(3);
                assertThat(metrics.value("estafeta_messages_sent_total", "qos", "1")).isEqualTo(2);
                assertThat(metrics.value("estafeta_messages_sent_total", "qos", "0")).isEqualTo(1);
                assertThat(metrics.value("estafeta_payload_bytes_sent_total", "qos", "1")).isEqualTo(10);
                assertThat(metrics.value("estafeta_network_bytes_received_total")).isGreaterThan(13);
                assertThat(metrics.value("estafeta_network_bytes_sent_total")).isGreaterThan(13);
                assertThat(metrics.value("estafeta_messages_dropped_total", "cause", "queue_full")).isZero();
                assertThat(metrics.value("estafeta_sessions")).isEqualTo(3);
                assertThat(metrics.value("estafeta_subscriptions")).isEqualTo(2);
                assertThat(metrics.value("estafeta_retained_messages")).isEqualTo(1);
                assertThat(metrics.value("estafeta_session_queued_messages")).isEqualTo(2);
                assertThat(metrics.value("estafeta_session_queued_messages_max")).isEqualTo(2);
                assertThat(metrics.value("estafeta_session_queued_bytes")).isEqualTo(10);
                assertThat(metrics.value("estafeta_inflight_messages")).isZero();
                assertThat(metrics.type("estafeta_messages_received_total")).contains("counter");
                assertThat(metrics.type("estafeta_clients_connected")).contains("gauge");
                assertThat(metrics.find("jvm_memory_used_bytes")).isNotEmpty();
                assertThat(metrics.find("jvm_threads_live_threads")).isNotEmpty();
                assertThat(metrics.find("process_uptime_seconds")).isNotEmpty();
            }
        }
    }

    @Test
    void storeCountersAndBatchCommitTimeAreScrapedAfterAStoredMessage() {
        try (AdminHttpFixture fixture = AdminHttpFixture.start();
             PahoTestClient publisher = PahoTestClient.connect(fixture.broker(), "store-publisher", true)) {
            // A retained QoS 1 message is stored before its PUBACK, so a batch is written by now.
            publisher.publish("plant/pump", "on", 1, true);

            PrometheusText metrics = PrometheusText.parse(AdminHttpClient.of(fixture.httpAddress(), null, null)
                    .get("/metrics").body());

            double batches = metrics.value("estafeta_store_batches_total");
            assertThat(batches).isGreaterThanOrEqualTo(1);
            assertThat(metrics.value("estafeta_store_writes_total")).isGreaterThanOrEqualTo(batches);
            assertThat(metrics.value("estafeta_store_syncs_total")).isGreaterThanOrEqualTo(0);
            assertThat(metrics.value("estafeta_store_batches_failed_total")).isZero();
            assertThat(metrics.value("estafeta_store_writes_refused_total", "cause", "disk_space")).isZero();
            // The commit timer counts the same batches and has measured them.
            assertThat(metrics.value("estafeta_store_batch_commit_seconds_count")).isEqualTo(batches);
            assertThat(metrics.value("estafeta_store_batch_commit_seconds_sum")).isPositive();
            assertThat(metrics.type("estafeta_store_writes_total")).contains("counter");
        }
    }

    @Test
    void withPersistenceOffTheStoreMetricsAreThereAndZero() {
        try (AdminHttpFixture fixture = AdminHttpFixture.start(builder -> builder.persistence(false));
             PahoTestClient publisher = PahoTestClient.connect(fixture.broker(), "memory-publisher", true)) {
            publisher.publish("plant/pump", "on", 1, true);

            PrometheusText metrics = PrometheusText.parse(AdminHttpClient.of(fixture.httpAddress(), null, null)
                    .get("/metrics").body());

            assertThat(metrics.value("estafeta_store_writes_total")).isZero();
            assertThat(metrics.value("estafeta_store_batches_total")).isZero();
            assertThat(metrics.value("estafeta_store_batch_commit_seconds_count")).isZero();
        }
    }

    @Test
    void metricsNeedNoCredentialsWhileTheAdminApiDoes() {
        try (AdminHttpFixture fixture = AdminHttpFixture.start()) {
            AdminHttpClient anyone = AdminHttpClient.of(fixture.httpAddress(), null, null);

            assertThat(anyone.get("/metrics").status()).isEqualTo(200);
            assertThat(anyone.get("/api/clients").status()).isEqualTo(401);
        }
    }
}
