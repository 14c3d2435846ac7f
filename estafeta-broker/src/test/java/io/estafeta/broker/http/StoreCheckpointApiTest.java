package io.estafeta.broker.http;

import io.estafeta.broker.Broker;
import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.testsupport.AdminHttpClient.Answer;
import io.estafeta.broker.testsupport.PahoTestClient;
import io.estafeta.broker.testsupport.TestNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/store/checkpoint} over real HTTP: a backup of the running broker's store that a second
 * broker opens as its data directory's store (docs/PERSISTENCE.md, Backup), and the refusals.
 */
class StoreCheckpointApiTest {

    private static final String TOPIC = "plant/pump";
    private static final String PAYLOAD = "on since 08:00";

    @TempDir
    Path directory;

    private static String body(Path target) {
        return "{\"path\":\"" + target.toString().replace("\\", "\\\\") + "\"}";
    }

    private static void assertJsonError(Answer answer, int status) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.object()).containsEntry("status", (long) status).containsKey("error");
    }

    @Test
    void aCheckpointTakenWhileTheBrokerRunsServesAsTheStoreOfASecondBroker() {
        Path backupData = directory.resolve("backup-data");
        Path checkpoint = backupData.resolve("store");
        try (AdminHttpFixture fixture = AdminHttpFixture.start();
             PahoTestClient publisher = PahoTestClient.connect(fixture.broker(), "pump-7", true)) {
            // QoS 1: the PUBACK comes once the retained message is stored.
            publisher.publish(TOPIC, PAYLOAD, 1, true);

            Answer answer = fixture.admin().post("/api/store/checkpoint", body(checkpoint));

            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(answer.object()).containsEntry("path", checkpoint.toString());
            assertThat((Long) answer.object().get("bytes")).isPositive();
            assertThat(fixture.admin().get("/api/broker").status()).as("the broker still answers").isEqualTo(200);
        }

        try (Broker second = Broker.start(BrokerConfig.builder()
                .listener(0, BrokerConfig.LOOPBACK)
                .allowAnonymous(true)
                .dataDirectory(backupData)
                .sysInterval(Duration.ZERO)
                .build());
             PahoTestClient subscriber = PahoTestClient.connect(second.uri(), TestNames.clientId("restored"),
                     PahoTestClient.options())) {
            subscriber.subscribe("plant/#", 1);

            assertThat(subscriber.received().awaitCount(1)).singleElement().satisfies(message -> {
                assertThat(message.topic()).isEqualTo(TOPIC);
                assertThat(message.payload()).isEqualTo(PAYLOAD);
            });
        }
    }

    @Test
    void anExistingTargetIsRefusedWith409AndLeftAlone() throws Exception {
        Path existing = Files.createDirectory(directory.resolve("taken"));
        Files.writeString(existing.resolve("keep.txt"), "mine");
        try (AdminHttpFixture fixture = AdminHttpFixture.start()) {
            assertJsonError(fixture.admin().post("/api/store/checkpoint", body(existing)), 409);
        }
        assertThat(existing.resolve("keep.txt")).hasContent("mine");
    }

    @Test
    void aRelativePathIsRefusedWith400() {
        try (AdminHttpFixture fixture = AdminHttpFixture.start()) {
            assertJsonError(fixture.admin().post("/api/store/checkpoint", "{\"path\":\"backups/today\"}"), 400);
        }
        assertThat(Path.of("backups")).doesNotExist();
    }

    @Test
    void aBodyWithoutPathIsRefusedWith400() {
        try (AdminHttpFixture fixture = AdminHttpFixture.start()) {
            assertJsonError(fixture.admin().post("/api/store/checkpoint", "{}"), 400);
        }
    }

    @Test
    void aTargetInsideTheStoreDirectoryIsRefusedWith400() {
        try (AdminHttpFixture fixture = AdminHttpFixture.start()) {
            Path inside = fixture.broker().estafeta().orElseThrow().config().dataDirectory().toAbsolutePath()
                    .resolve("store").resolve("backup");

            assertJsonError(fixture.admin().post("/api/store/checkpoint", body(inside)), 400);
            assertThat(inside).doesNotExist();
        }
    }

    @Test
    void withPersistenceOffACheckpointIsNotImplemented501() {
        Path target = directory.resolve("nothing");
        try (AdminHttpFixture fixture = AdminHttpFixture.start(builder -> builder.persistence(false))) {
            assertJsonError(fixture.admin().post("/api/store/checkpoint", body(target)), 501);
        }
        assertThat(target).doesNotExist();
    }

    @Test
    void aCheckpointMustBePosted() {
        try (AdminHttpFixture fixture = AdminHttpFixture.start()) {
            assertJsonError(fixture.admin().get("/api/store/checkpoint"), 405);
        }
    }
}
