package io.estafeta.broker.http.browser;

import io.estafeta.broker.http.AdminHttpFixture;
import io.estafeta.broker.testsupport.BrowserScript;
import io.estafeta.broker.testsupport.MosquittoClientProcess;
import io.estafeta.broker.testsupport.PahoTestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.estafeta.broker.testsupport.Waiting.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in headless Chromium (src/test/browser/dashboard.mjs, playwright-core): it shows a client
 * connected by this test, its publish panel sends a message that {@code mosquitto_sub} receives, and its
 * live view shows a message that {@code mosquitto_pub} sends. Screenshots: target/browser-screenshots.
 */
class DashboardBrowserTest {

    private static final String CLIENT_ID = "greenhouse-sensor-7";
    private static final String PUBLISH_TOPIC = "dashboard/commands/vent";
    private static final String PUBLISH_PAYLOAD = "open 40%";
    private static final String WATCH_FILTER = "greenhouse/+/humidity";
    private static final String WATCH_TOPIC = "greenhouse/north/humidity";
    private static final String WATCH_PAYLOAD = "63.5 %RH";

    @BeforeAll
    static void browserToolsPresent() {
        BrowserScript.requireBrowserTools();
    }

    @Test
    void theDashboardShowsAClientPublishesToMosquittoSubAndWatchesWhatMosquittoPubSends() throws Exception {
        try (AdminHttpFixture fixture = AdminHttpFixture.start();
             PahoTestClient client = PahoTestClient.connect(fixture.broker(), CLIENT_ID, true);
             MosquittoClientProcess sub = MosquittoClientProcess.sub(fixture.broker(), "-i", "watcher-sub",
                     "-t", PUBLISH_TOPIC, "-q", "1", "-v", "-C", "1")) {
            client.subscribe("greenhouse/#", 0);
            await().until(() -> fixture.admin().get("/api/clients/watcher-sub").status() == 200
                    && fixture.admin().get("/api/clients/watcher-sub").body().contains(PUBLISH_TOPIC));

            CompletableFuture<Integer> pubExit = new CompletableFuture<>();
            BrowserScript[] script = new BrowserScript[1];
            script[0] = BrowserScript.start("dashboard.mjs", Map.of(
                    "ESTAFETA_HTTP_URL", "http://127.0.0.1:" + fixture.httpAddress().getPort() + "/",
                    "ADMIN_USER", AdminHttpFixture.ADMIN,
                    "ADMIN_PASSWORD", AdminHttpFixture.PASSWORD,
                    "EXPECT_CLIENT_ID", CLIENT_ID,
                    "PUBLISH_TOPIC", PUBLISH_TOPIC,
                    "PUBLISH_PAYLOAD", PUBLISH_PAYLOAD,
                    "WATCH_FILTER", WATCH_FILTER,
                    "WATCH_PAYLOAD", WATCH_PAYLOAD), line -> {
                if (line.equals("WATCHING")) {
                    // The live view is subscribed: now publish from outside the browser.
                    try (MosquittoClientProcess pub = MosquittoClientProcess.pub(fixture.broker(), "-t", WATCH_TOPIC,
                            "-m", WATCH_PAYLOAD, "-q", "1")) {
                        pubExit.complete(pub.awaitExit());
                    }
                    script[0].tell("GO");
                }
            });
            try (BrowserScript dashboard = script[0]) {
                int exit = dashboard.awaitExit();

                assertThat(exit).as(dashboard.transcript()).isZero();
                assertThat(dashboard.lines()).as(dashboard.transcript())
                        .contains("STEP client-shown", "STEP bridges-shown", "STEP published", "STEP watched", "OK")
                        .noneMatch(line -> line.startsWith("PAGEERROR") || line.startsWith("CONSOLE"));
                assertThat(pubExit.get(1, TimeUnit.SECONDS)).isZero();
                assertThat(sub.awaitExit()).isZero();
                assertThat(sub.lines()).containsExactly(PUBLISH_TOPIC + " " + PUBLISH_PAYLOAD);
                assertThat(client.received().awaitCount(1)).extracting(m -> m.payload()).contains(WATCH_PAYLOAD);
            }
        }
    }
}
