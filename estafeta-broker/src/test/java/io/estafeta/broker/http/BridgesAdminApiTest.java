package io.estafeta.broker.http;

import io.estafeta.broker.config.BridgeConfig;
import io.estafeta.broker.config.ConfigException;
import io.estafeta.broker.config.ConfigParser;
import io.estafeta.broker.testsupport.AdminHttpClient;
import io.estafeta.broker.testsupport.AdminHttpClient.Answer;
import io.estafeta.broker.testsupport.PahoTestClient;
import io.estafeta.testkit.MosquittoBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.estafeta.broker.testsupport.Waiting.atMost;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/bridges} (issue #9) over real HTTP, for a bridge to a real Mosquitto (Debian's, on a free
 * loopback port): connected while Mosquitto runs, not connected with the reason once it stops.
 */
class BridgesAdminApiTest {

    /** Covers a reconnect attempt after restart_timeout 1 on a loaded machine. */
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path directory;

    @Test
    void withoutBridgesTheListIsEmpty() {
        try (AdminHttpFixture fixture = AdminHttpFixture.start()) {
            Answer answer = fixture.admin().get("/api/bridges");

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.json()).isEqualTo(List.of());
        }
    }

    @Test
    void aBridgeToMosquittoIsListedAsConnectedThenNotConnectedWithTheErrorAfterMosquittoStops() throws Exception {
        try (MosquittoBroker remote = MosquittoBroker.start(directory, List.of("allow_anonymous true"));
             AdminHttpFixture fixture = AdminHttpFixture.start(config -> config.bridges(bridgeTo(remote)))) {
            AdminHttpClient admin = fixture.admin();
            String remoteAddress = remote.host() + ":" + remote.port();

            atMost(WAIT).until(() -> "connected".equals(onlyBridge(admin).get("state")));
            Map<String, Object> connected = onlyBridge(admin);
            assertThat(connected).containsEntry("name", "hq")
                    .containsEntry("address", remoteAddress)
                    .containsEntry("remoteClientId", "edge")
                    .containsEntry("lastError", null)
                    .containsEntry("startType", "automatic")
                    .containsKeys("localClientId", "messagesOut", "messagesIn", "waitingMessages");
            assertThat(connected.get("since")).isInstanceOf(Long.class);

            remote.stop();

            atMost(WAIT).until(() -> !"connected".equals(onlyBridge(admin).get("state")));
            Map<String, Object> lost = onlyBridge(admin);
            assertThat(lost.get("state")).isIn("reconnecting", "connecting");
            assertThat(lost.get("lastError")).isInstanceOf(String.class);
            assertThat((Long) lost.get("since")).isGreaterThanOrEqualTo((Long) connected.get("since"));
        }
    }

    @Test
    void aLazyBridgeIsListedAsWaitingWithTheMessagesThatWaitForIt() throws Exception {
        try (MosquittoBroker remote = MosquittoBroker.start(directory, List.of("allow_anonymous true"));
             AdminHttpFixture fixture = AdminHttpFixture.start(config -> config.bridges(bridgeTo(remote,
                     "start_type lazy", "threshold 5")))) {
            AdminHttpClient admin = fixture.admin();
            atMost(WAIT).until(() -> "waiting".equals(onlyBridge(admin).get("state")));

            try (PahoTestClient publisher = PahoTestClient.connect(fixture.broker(), "lazy-pub", true)) {
                publisher.publish("status/a", "1", 1, false);
                publisher.publish("status/b", "2", 1, false);
            }

            atMost(WAIT).until(() -> Long.valueOf(2).equals(onlyBridge(admin).get("waitingMessages")));
            assertThat(onlyBridge(admin)).containsEntry("state", "waiting").containsEntry("startType", "lazy");
        }
    }

    private static List<BridgeConfig> bridgeTo(MosquittoBroker remote, String... moreLines) {
        List<String> lines = new java.util.ArrayList<>(List.of("connection hq", "remote_clientid edge",
                "restart_timeout 1", "address " + remote.host() + ":" + remote.port(), "topic status/# out 1"));
        lines.addAll(List.of(moreLines));
        String text = String.join("\n", lines);
        try {
            return ConfigParser.parse(text, "test.conf").config().bridges();
        } catch (ConfigException e) {
            throw new AssertionError(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> onlyBridge(AdminHttpClient admin) {
        Answer answer = admin.get("/api/bridges");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        List<Map<String, Object>> bridges = (List<Map<String, Object>>) answer.json();
        assertThat(bridges).hasSize(1);
        return bridges.getFirst();
    }
}
