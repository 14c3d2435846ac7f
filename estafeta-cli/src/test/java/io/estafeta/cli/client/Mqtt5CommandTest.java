package io.estafeta.cli.client;

import io.estafeta.testkit.MosquittoBroker;

import io.estafeta.cli.client.CommandRun.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code estafeta pub}/{@code sub} speaking MQTT 5 to Mosquitto, the reference 5.0 broker. */
class Mqtt5CommandTest {

    @TempDir
    static Path directory;
    private static MosquittoBroker mosquitto;
    private static String port;

    @BeforeAll
    static void startMosquitto() throws Exception {
        mosquitto = MosquittoBroker.start(directory);
        port = String.valueOf(mosquitto.port());
    }

    @AfterAll
    static void stopMosquitto() {
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    @Test
    void publishPropertiesGivenWithDArePrintedBySub() throws Exception {
        CommandRun sub = CommandRun.sub("-p", port, "-V", "mqttv5", "-t", "props", "-C", "1",
                "-F", "%P|%C|%E|%F|%R|%D|%p").subscribed();

        Result pub = CommandRun.pub("-p", port, "-t", "props", "-m", "body",
                "-D", "publish", "user-property", "k", "v",
                "-D", "publish", "user-property", "k2", "v2",
                "-D", "publish", "content-type", "text/plain",
                "-D", "publish", "message-expiry-interval", "60",
                "-D", "publish", "payload-format-indicator", "1",
                "-D", "publish", "response-topic", "replies",
                "-D", "publish", "correlation-data", "c-42");

        assertThat(pub).isEqualTo(new Result(0, "", ""));
        // -D alone selects MQTT 5 for pub, as with mosquitto_pub. The expiry arrives minus the time waited.
        assertThat(sub.result().out()).matches("k:v k2:v2\\|text/plain\\|(60|59)\\|1\\|replies\\|c-42\\|body\n");
    }

    @Test
    void jsonOutputCarriesTheProperties() throws Exception {
        CommandRun sub = CommandRun.sub("-p", port, "-V", "5", "-t", "jprops", "-C", "1", "-F", "%j").subscribed();

        CommandRun.pub("-p", port, "-t", "jprops", "-m", "x", "-D", "publish", "user-property", "a", "b");

        assertThat(sub.result().out()).matches("\\{\"tst\":\"[^\"]+\",\"topic\":\"jprops\",\"qos\":0,\"retain\":0,"
                + "\"payloadlen\":1,\"properties\":\\{\"user-properties\":\\{\"a\":\"b\"}},\"payload\":\"x\"}\n");
    }

    @Test
    void refusedMqtt5ConnectionExitsWithTheReasonCode(@TempDir Path own) throws Exception {
        try (MosquittoBroker closed = MosquittoBroker.start(own, List.of("allow_anonymous false"))) {
            String closedPort = String.valueOf(closed.port());

            Result pub = CommandRun.pub("-p", closedPort, "-V", "5", "-t", "a", "-m", "x");
            Result sub = CommandRun.sub("-p", closedPort, "-V", "5", "-t", "a").result();

            // 0x87 Not authorized = 135.
            assertThat(pub).isEqualTo(new Result(135, "", "Connection error: Not authorized\n"
                    + "Error: The connection was refused.\n"));
            assertThat(sub).isEqualTo(new Result(135, "", "Connection error: Not authorized\n"));
        }
    }

    @Test
    void persistentSubscriberGetsWhatWasPublishedWhileAway() throws Exception {
        CommandRun.sub("-p", port, "-V", "5", "-c", "-i", "away", "-q", "1", "-t", "away/#", "-E").result();
        CommandRun.pub("-p", port, "-V", "5", "-t", "away/x", "-m", "queued", "-q", "1");

        Result back = CommandRun.sub("-p", port, "-V", "5", "-c", "-i", "away", "-q", "1", "-t", "away/#", "-C", "1",
                "-x", "0").result();

        assertThat(back.out()).isEqualTo("queued\n");
    }
}
