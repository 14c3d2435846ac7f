package io.estafeta.broker.http;

import io.estafeta.broker.testsupport.AdminHttpClient;
import io.estafeta.broker.testsupport.AdminHttpClient.Answer;
import io.estafeta.broker.testsupport.AdminHttpClient.EventStream;
import io.estafeta.broker.testsupport.MosquittoClientProcess;
import io.estafeta.broker.testsupport.Paho5TestClient;
import io.estafeta.broker.testsupport.PahoTestClient;
import io.estafeta.broker.testsupport.ReceivedMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.estafeta.broker.testsupport.Waiting.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin API over real HTTP ({@link java.net.http.HttpClient}), with state made by real MQTT clients (Paho,
 * mosquitto_pub): what an operator's script or the dashboard sees.
 */
class AdminApiTest {

    private AdminHttpFixture fixture;
    private AdminHttpClient admin;

    @BeforeEach
    void start() {
        fixture = AdminHttpFixture.start();
        admin = fixture.admin();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> object, String key) {
        return (List<Map<String, Object>>) object.get(key);
    }

    private static void assertJsonError(Answer answer, int status) {
        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/json");
        assertThat(answer.object()).containsEntry("status", (long) status).containsKey("error");
    }

    // ---------------------------------------------------------------- authentication

    @Test
    void aRequestWithoutCredentialsIsRefusedWith401AndABasicChallenge() {
        Answer answer = fixture.as(null, null).get("/api/broker");

        assertJsonError(answer, 401);
        assertThat(answer.response().headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("Basic realm="));
    }

    @Test
    void aWrongPasswordIsRefusedWith401() {
        assertJsonError(fixture.as(AdminHttpFixture.ADMIN, "not the password").get("/api/clients"), 401);
    }

    @Test
    void anUnknownUserIsRefusedWith401() {
        assertJsonError(fixture.as("mallory", AdminHttpFixture.PASSWORD).get("/api/clients"), 401);
    }

    @Test
    void theDashboardNeedsCredentialsToo() {
        assertJsonError(fixture.as(null, null).get("/"), 401);

        Answer page = admin.get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("<title>Estafeta");
    }

    // ---------------------------------------------------------------- broker

    @Test
    void brokerInfoGivesVersionUptimeListenersAndAConfigSummaryWithoutSecrets() {
        Map<String, Object> info = admin.get("/api/broker").object();

        assertThat(info.get("version")).isInstanceOf(String.class);
        assertThat((Long) info.get("uptimeSeconds")).isGreaterThanOrEqualTo(0);
        assertThat(list(info, "listeners")).singleElement().satisfies(listener -> {
            assertThat(listener).containsEntry("protocol", "mqtt");
            assertThat(listener).containsEntry("port", (long) fixture.broker().port());
        });
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) info.get("config");
        assertThat(config).containsEntry("maxInflightMessages", 20L).containsKey("allowAnonymous");
        assertThat(admin.get("/api/broker").body()).doesNotContainIgnoringCase("passwd");
    }

    // ---------------------------------------------------------------- clients

    @Test
    void clientsAreListedWithTheirSessions() {
        try (PahoTestClient sensor = PahoTestClient.connect(fixture.broker(), "sensor-1", true)) {
            sensor.subscribe("plant/+/temperature", 1);

            Map<String, Object> answer = admin.get("/api/clients").object();

            assertThat(answer).containsEntry("count", 1L);
            Map<String, Object> client = list(answer, "clients").get(0);
            assertThat(client).containsEntry("clientId", "sensor-1").containsEntry("connected", true)
                    .containsEntry("protocolVersion", "3.1.1").containsEntry("persistent", false)
                    .containsEntry("queuedMessages", 0L).containsEntry("inflightMessages", 0L);
            assertThat((String) client.get("remoteAddress")).startsWith("127.0.0.1:");
            assertThat((Long) client.get("since")).isPositive();
            assertThat(list(client, "subscriptions")).singleElement().satisfies(subscription -> assertThat(subscription)
                    .containsEntry("topicFilter", "plant/+/temperature").containsEntry("qos", 1L));
        }
    }

    @Test
    void anOfflinePersistentSessionShowsItsQueuedMessages() {
        try (PahoTestClient keeper = PahoTestClient.connect(fixture.broker(), "keeper", false)) {
            keeper.subscribe("jobs/#", 1);
        }
        try (PahoTestClient publisher = PahoTestClient.connect(fixture.broker(), "publisher", true)) {
            publisher.publish("jobs/1", "first", 1, false);
            publisher.publish("jobs/2", "second", 1, false);
        }

        await().untilAsserted(() -> assertThat(admin.get("/api/clients/keeper").object())
                .containsEntry("connected", false).containsEntry("persistent", true)
                .containsEntry("queuedMessages", 2L).containsEntry("queuedBytes", 11L));
    }

    @Test
    void theClientListCanBeSearched() {
        try (PahoTestClient kitchen = PahoTestClient.connect(fixture.broker(), "kitchen-light", true);
             PahoTestClient garage = PahoTestClient.connect(fixture.broker(), "garage-door", true)) {
            Map<String, Object> answer = admin.get("/api/clients?search=GARAGE").object();

            assertThat(list(answer, "clients")).extracting(client -> client.get("clientId")).containsExactly("garage-door");
        }
    }

    @Test
    void anUnknownClientIs404WithAJsonError() {
        assertJsonError(admin.get("/api/clients/nobody"), 404);
    }

    @Test
    void aClientIdWithASlashIsAddressedPercentEncoded() {
        try (PahoTestClient odd = PahoTestClient.connect(fixture.broker(), "site/7 +x", true)) {
            assertThat(admin.get("/api/clients/site%2F7%20+x").object()).containsEntry("clientId", "site/7 +x");
        }
    }

    @Test
    void deletingAClientDisconnectsIt() {
        try (PahoTestClient victim = PahoTestClient.connect(fixture.broker(), "victim", false)) {
            Answer answer = admin.delete("/api/clients/victim");

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.object()).containsEntry("disconnected", true);
            await().until(() -> !victim.isConnected());
            // The persistent session stays, offline.
            await().untilAsserted(() -> assertThat(admin.get("/api/clients/victim").object())
                    .containsEntry("connected", false));
        }
    }

    @Test
    void postingDisconnectTellsAnMqtt5ClientAdministrativeAction0x98() {
        try (Paho5TestClient client = Paho5TestClient.connect(fixture.broker(), "v5-client")) {
            assertThat(admin.post("/api/clients/v5-client/disconnect", "").status()).isEqualTo(200);

            await().until(() -> client.serverDisconnect().isPresent());
            assertThat(client.serverDisconnect().get().getReturnCode()).isEqualTo(0x98);
        }
    }

    @Test
    void disconnectingAClientThatIsNotConnectedSaysSo() {
        try (PahoTestClient keeper = PahoTestClient.connect(fixture.broker(), "gone", false)) {
            keeper.subscribe("x", 1);
        }
        await().untilAsserted(() -> assertThat(admin.get("/api/clients/gone").object()).containsEntry("connected", false));

        assertThat(admin.delete("/api/clients/gone").object()).containsEntry("disconnected", false);
    }

    @Test
    void subscriptionsAreListedWithTheirClients() {
        try (PahoTestClient a = PahoTestClient.connect(fixture.broker(), "a", true);
             PahoTestClient b = PahoTestClient.connect(fixture.broker(), "b", true)) {
            a.subscribe("alerts/#", 2);
            b.subscribe("$share/workers/jobs/+", 1);

            Map<String, Object> answer = admin.get("/api/subscriptions").object();

            assertThat(answer).containsEntry("count", 2L);
            assertThat(list(answer, "subscriptions")).extracting(s -> s.get("clientId") + " " + s.get("topicFilter")
                    + " " + s.get("qos") + " " + s.get("shareName"))
                    .containsExactly("a alerts/# 2 null", "b $share/workers/jobs/+ 1 workers");
        }
    }

    // ---------------------------------------------------------------- retained messages

    private void retain(String topic, String payload) {
        try (PahoTestClient publisher = PahoTestClient.connect(fixture.broker(), "retainer", true)) {
            publisher.publish(topic, payload, 1, true);
        }
    }

    @Test
    void retainedMessagesAreListedByFilterUpToTheLimit() {
        retain("home/kitchen/temp", "21.5");
        retain("home/garage/temp", "12.0");
        retain("home/garage/door", "closed");
        retain("office/temp", "19");

        Map<String, Object> answer = admin.get("/api/retained?filter=home/%2B/temp&limit=1").object();

        assertThat(answer).containsEntry("total", 2L).containsEntry("truncated", true);
        assertThat(list(answer, "messages")).singleElement().satisfies(message -> assertThat(message)
                .containsEntry("topic", "home/garage/temp").containsEntry("payload", "12.0")
                .containsEntry("encoding", "utf-8").containsEntry("qos", 1L).containsEntry("bytes", 4L));
    }

    @Test
    void deletingARetainedMessageMeansNewSubscribersDoNotGetIt() {
        retain("status/pump", "on");
        retain("status/fan", "off");

        Answer deleted = admin.delete("/api/retained?topic=status/pump");

        assertThat(deleted.status()).isEqualTo(200);
        assertThat(fixture.broker().estafeta().orElseThrow().retainedMessageCount()).isEqualTo(1);
        try (PahoTestClient late = PahoTestClient.connect(fixture.broker(), "late", true)) {
            late.subscribe("status/#", 1);
            assertThat(late.received().awaitCount(1)).extracting(ReceivedMessage::topic).containsExactly("status/fan");
        }
        assertThat(list(admin.get("/api/retained").object(), "messages")).extracting(m -> m.get("topic"))
                .containsExactly("status/fan");
    }

    @Test
    void deletingARetainedMessageThatDoesNotExistIs404() {
        assertJsonError(admin.delete("/api/retained?topic=no/such/topic"), 404);
    }

    @Test
    void badRetainedQueriesAre400WithAJsonError() {
        assertJsonError(admin.get("/api/retained?filter=a/%23/b"), 400);
        assertJsonError(admin.get("/api/retained?limit=0"), 400);
        assertJsonError(admin.get("/api/retained?limit=lots"), 400);
        assertJsonError(admin.delete("/api/retained?topic=a/%2B"), 400);
    }

    // ---------------------------------------------------------------- publish

    @Test
    void aPublishedMessageReachesAnMqttSubscriber() {
        try (PahoTestClient subscriber = PahoTestClient.connect(fixture.broker(), "listener", true)) {
            subscriber.subscribe("dashboard/#", 2);

            Answer answer = admin.post("/api/publish",
                    "{\"topic\":\"dashboard/hello\",\"payload\":\"héllo \\\"world\\\"\",\"qos\":1,\"retain\":false}");

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.object()).containsEntry("deliveredTo", 1L);
            ReceivedMessage received = subscriber.received().awaitCount(1).get(0);
            assertThat(received.topic()).isEqualTo("dashboard/hello");
            assertThat(received.payload()).isEqualTo("héllo \"world\"");
            assertThat(received.qos()).isEqualTo(1);
        }
    }

    @Test
    void aRetainedPublishIsKept() {
        admin.post("/api/publish", "{\"topic\":\"config/mode\",\"payload\":\"eco\",\"retain\":true}");

        assertThat(list(admin.get("/api/retained?filter=config/%23").object(), "messages"))
                .extracting(m -> m.get("payload")).containsExactly("eco");
    }

    @Test
    void badPublishRequestsAre400WithAJsonError() {
        assertJsonError(admin.post("/api/publish", "{not json"), 400);
        assertJsonError(admin.post("/api/publish", "[]"), 400);
        assertJsonError(admin.post("/api/publish", ""), 400);
        assertJsonError(admin.post("/api/publish", "{\"topic\":\"a/+\",\"payload\":\"x\"}"), 400);
        assertJsonError(admin.post("/api/publish", "{\"topic\":\"\",\"payload\":\"x\"}"), 400);
        assertJsonError(admin.post("/api/publish", "{\"topic\":\"a\",\"qos\":3}"), 400);
        assertJsonError(admin.post("/api/publish", "{\"topic\":\"a\",\"qos\":1.5}"), 400);
        assertJsonError(admin.post("/api/publish", "{\"topic\":\"a\",\"retain\":\"yes\"}"), 400);
        assertJsonError(admin.post("/api/publish", "{\"topic\":\"a\",\"colour\":\"red\"}"), 400);
    }

    @Test
    void aPostThatIsNotJsonIsRefusedWith415SoThatAFormOnAnotherSiteCannotActForTheAdministrator() {
        try (PahoTestClient victim = PahoTestClient.connect(fixture.broker(), "form-victim", true)) {
            String formBody = "{\"topic\":\"a\",\"payload\":\"=x\"}";

            assertJsonError(admin.post("/api/publish", "text/plain", formBody), 415);
            assertJsonError(admin.post("/api/clients/form-victim/disconnect", "application/x-www-form-urlencoded",
                    ""), 415);
            assertThat(victim.isConnected()).isTrue();
        }
    }

    @Test
    void unknownResourcesAre404AndWrongMethods405() {
        assertJsonError(admin.get("/api/nothing"), 404);
        assertJsonError(admin.get("/api/publish"), 405);
        assertJsonError(admin.post("/api/clients", "{}"), 405);
    }

    // ---------------------------------------------------------------- live views

    @Test
    void watchingAFilterStreamsTheMatchingMessagesThatMosquittoPubSends() {
        try (EventStream watch = admin.stream("/api/watch?filter=factory/%2B/state")) {
            assertThat(watch.status()).isEqualTo(200);
            await().until(() -> !watch.named("watching").isEmpty());

            try (MosquittoClientProcess other = MosquittoClientProcess.pub(fixture.broker(), "-t", "office/1/state",
                    "-m", "ignored");
                 MosquittoClientProcess pub = MosquittoClientProcess.pub(fixture.broker(), "-t", "factory/3/state",
                         "-m", "running", "-q", "1", "-r")) {
                assertThat(other.awaitExit()).isZero();
                assertThat(pub.awaitExit()).isZero();
            }

            await().until(() -> !watch.named("message").isEmpty());
            assertThat(watch.named("message")).singleElement().satisfies(event -> assertThat(event.object())
                    .containsEntry("topic", "factory/3/state").containsEntry("payload", "running")
                    .containsEntry("qos", 1L).containsEntry("retain", true));
        }
    }

    @Test
    void watchingABadFilterIs400() {
        assertJsonError(admin.get("/api/watch?filter=a/%23/b"), 400);
        assertJsonError(admin.get("/api/watch"), 400);
        assertJsonError(admin.get("/api/watch?filter=%24share/g/a"), 400);
    }

    @Test
    void theStatsStreamReportsConnectedClientsAndTopTopics() {
        try (EventStream stats = admin.stream("/api/stats/stream");
             PahoTestClient client = PahoTestClient.connect(fixture.broker(), "counted", true)) {
            await().until(() -> !stats.named("stats").isEmpty());
            client.publish("busy/topic", "1", 0, false);
            client.publish("busy/topic", "2", 0, false);
            client.publish("quiet/topic", "3", 0, false);

            await().untilAsserted(() -> {
                List<EventStream.Event> events = stats.named("stats");
                Map<String, Object> last = events.get(events.size() - 1).object();
                assertThat(last).containsEntry("clientsConnected", 1L).containsEntry("messagesReceived", 3L);
                @SuppressWarnings("unchecked")
                Map<String, Object> top = (Map<String, Object>) last.get("topTopics");
                assertThat(list(top, "topics")).extracting(t -> t.get("topic") + "=" + t.get("messages"))
                        .containsExactly("busy/topic=2", "quiet/topic=1");
            });
        }
    }

    @Test
    void statsArePolledToo() {
        Map<String, Object> stats = admin.get("/api/stats").object();

        assertThat(stats).containsKeys("time", "clientsConnected", "messagesReceived", "messagesSent", "sessions",
                "retainedMessages", "queuedMessages", "inflightMessages", "topTopics");
    }
}
