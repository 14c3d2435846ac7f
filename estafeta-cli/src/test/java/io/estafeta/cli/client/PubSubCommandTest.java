package io.estafeta.cli.client;

import io.estafeta.broker.Broker;
import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.cli.EstafetaCommand;
import io.estafeta.cli.client.CommandRun.Result;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code estafeta pub} and {@code sub} against Estafeta's broker, in-process. */
class PubSubCommandTest {

    private static Broker broker;
    private static String port;

    @BeforeAll
    static void startBroker() {
        broker = Broker.start(BrokerConfig.builder().persistence(false).localOnlyPort(0).build());
        port = String.valueOf(broker.boundAddresses().get(0).getPort());
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void subVerbosePrintsTopicAndPayloadOfWhatPubSent() throws Exception {
        CommandRun sub = CommandRun.sub("-p", port, "-t", "a/#", "-v", "-C", "1").subscribed();

        Result pub = CommandRun.pub("-p", port, "-t", "a/b", "-m", "hola");

        assertThat(pub).isEqualTo(new Result(0, "", ""));
        assertThat(sub.result()).isEqualTo(new Result(0, "a/b hola\n", ""));
    }

    @Test
    void withoutVerboseSubPrintsOnlyThePayload() throws Exception {
        CommandRun sub = CommandRun.sub("-p", port, "-t", "plain/#", "-C", "1").subscribed();

        CommandRun.pub("-p", port, "-t", "plain/x", "-m", "just this");

        assertThat(sub.result().out()).isEqualTo("just this\n");
    }

    @Test
    void lineModePublishesEachLineOfStdinAsAMessage() throws Exception {
        CommandRun sub = CommandRun.sub("-p", port, "-t", "lines", "-C", "3").subscribed();

        Result pub = CommandRun.pubWithStdin("one\ntwo\nthree", "-p", port, "-t", "lines", "-l", "-q", "1");

        assertThat(pub.status()).isZero();
        assertThat(sub.result().out()).isEqualTo("one\ntwo\nthree\n");
    }

    @Test
    void wholeStdinIsOneMessageWithS() throws Exception {
        CommandRun sub = CommandRun.sub("-p", port, "-t", "whole", "-C", "1", "-N").subscribed();

        CommandRun.pubWithStdin("line 1\nline 2\n", "-p", port, "-t", "whole", "-s");

        assertThat(sub.result().out()).isEqualTo("line 1\nline 2\n");
    }

    @Test
    void fileContentIsTheMessageWithF(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("payload.txt"), "from a file");
        CommandRun sub = CommandRun.sub("-p", port, "-t", "file", "-C", "1").subscribed();

        CommandRun.pub("-p", port, "-t", "file", "-f", file.toString());

        assertThat(sub.result().out()).isEqualTo("from a file\n");
    }

    @Test
    void missingFileIsReportedAsMosquittoPubDoes() {
        Result pub = CommandRun.pub("-p", port, "-t", "file", "-f", "/no/such/file");

        assertThat(pub.status()).isEqualTo(1);
        assertThat(pub.err()).isEqualTo("Error: Unable to open file \"/no/such/file\".\n"
                + "Error loading input file \"/no/such/file\".\n");
    }

    @Test
    void retainedMessageReachesALaterSubscriberAndRetainedOnlyStopsAtTheFirstLiveMessage() throws Exception {
        CommandRun.pub("-p", port, "-t", "state/lamp", "-m", "on", "-r", "-q", "1");
        CommandRun sub = CommandRun.sub("-p", port, "-t", "state/#", "--retained-only", "-F", "%t %p %r");
        sub.subscribed();

        // --retained-only ends at the first message that is not retained, without printing it.
        CommandRun.pub("-p", port, "-t", "state/door", "-m", "open");

        assertThat(sub.result()).isEqualTo(new Result(0, "state/lamp on 1\n", ""));
        CommandRun.pub("-p", port, "-t", "state/lamp", "-n", "-r");
    }

    @Test
    void removeRetainedClearsTheRetainedMessagesItReceives() throws Exception {
        int before = broker.retainedMessageCount();
        CommandRun.pub("-p", port, "-t", "clear/me", "-m", "old", "-r", "-q", "1");
        await().atMost(CommandRun.WAIT).until(() -> broker.retainedMessageCount() == before + 1);

        Result sub = CommandRun.sub("-p", port, "-t", "clear/#", "--remove-retained", "-C", "1").result();

        assertThat(sub.out()).isEqualTo("old\n");
        await().atMost(CommandRun.WAIT).until(() -> broker.retainedMessageCount() == before);
    }

    @Test
    void qos1And2MessagesArriveWithTheirQos() throws Exception {
        CommandRun sub = CommandRun.sub("-p", port, "-t", "qos/#", "-q", "2", "-C", "2", "-F", "%q %t %p")
                .subscribed();

        assertThat(CommandRun.pub("-p", port, "-t", "qos/one", "-m", "a", "-q", "1").status()).isZero();
        assertThat(CommandRun.pub("-p", port, "-t", "qos/two", "-m", "b", "-q", "2").status()).isZero();

        assertThat(sub.result().out()).isEqualTo("1 qos/one a\n2 qos/two b\n");
    }

    @Test
    void subscriptionQosCapsTheDeliveredQos() throws Exception {
        CommandRun sub = CommandRun.sub("-p", port, "-t", "capped", "-q", "1", "-C", "1", "-F", "%q").subscribed();

        CommandRun.pub("-p", port, "-t", "capped", "-m", "x", "-q", "2");

        assertThat(sub.result().out()).isEqualTo("1\n");
    }

    @Test
    void countStopsAfterThatManyMessages() throws Exception {
        CommandRun sub = CommandRun.sub("-p", port, "-t", "count", "-C", "2", "-q", "1").subscribed();

        CommandRun.pubWithStdin("1\n2\n3\n", "-p", port, "-t", "count", "-l", "-q", "1");

        assertThat(sub.result().out()).isEqualTo("1\n2\n");
    }

    @Test
    void timeoutEndsSubWithStatus27AndTimedOut() throws Exception {
        Result sub = CommandRun.sub("-p", port, "-t", "silence", "-W", "1").result();

        assertThat(sub).isEqualTo(new Result(27, "", "Timed out\n"));
    }

    @Test
    void exitAfterSubscribeWithE() throws Exception {
        assertThat(CommandRun.sub("-p", port, "-t", "e", "-E").result()).isEqualTo(new Result(0, "", ""));
    }

    @Test
    void filteredOutTopicsAreNotPrinted() throws Exception {
        CommandRun sub = CommandRun.sub("-p", port, "-t", "filter/#", "-T", "filter/noise", "-C", "1", "-v")
                .subscribed();

        CommandRun.pub("-p", port, "-t", "filter/noise", "-m", "hidden");
        CommandRun.pub("-p", port, "-t", "filter/signal", "-m", "shown");

        assertThat(sub.result().out()).isEqualTo("filter/signal shown\n");
    }

    @Test
    void formatPrintsFieldsWidthsAndEscapes() throws Exception {
        CommandRun sub = CommandRun.sub("-p", port, "-t", "fmt/#", "-C", "1", "-q", "1",
                "-F", "[%10t][%-8p][%05l][%x][%r]\\t%%").subscribed();

        CommandRun.pub("-p", port, "-t", "fmt/a", "-m", "hi!", "-q", "1");

        assertThat(sub.result().out()).isEqualTo("[     fmt/a][hi!     ][00003][686921][0]\t%\n");
    }

    @Test
    void formatTimeFieldsAndJson() throws Exception {
        CommandRun sub = CommandRun.sub("-p", port, "-t", "json", "-C", "1", "-q", "1", "-F", "%I|%U|%j").subscribed();

        CommandRun.pub("-p", port, "-t", "json", "-m", "say \"hi\"", "-q", "1");

        String out = sub.result().out();
        assertThat(out).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[+-]\\d{4}\\|\\d+\\.\\d{9}\\|"
                + "\\{\"tst\":\"[^\"]+Z\",\"topic\":\"json\",\"qos\":1,\"retain\":0,\"payloadlen\":8,\"mid\":\\d+,"
                + "\"payload\":\"say \\\\\"hi\\\\\"\"}\n");
    }

    @Test
    void jsonPayloadIsEmbeddedWithCapitalJ() throws Exception {
        CommandRun sub = CommandRun.sub("-p", port, "-t", "jj", "-C", "2", "-F", "%J").subscribed();

        CommandRun.pub("-p", port, "-t", "jj", "-m", "{\"a\": [1, true, null]}");
        CommandRun.pub("-p", port, "-t", "jj", "-m", "not json");

        Result result = sub.result();
        assertThat(result.out()).matches("\\{\"tst\":\"[^\"]+\",\"topic\":\"jj\",\"qos\":0,\"retain\":0,"
                + "\"payloadlen\":22,\"payload\":\\{\"a\":\\[1,true,null]}}\n\n");
        assertThat(result.err()).isEqualTo("Error: Message payload is not valid JSON on topic jj.\n");
    }

    @Test
    void invalidFormatIsAUsageError() {
        Result sub = CommandRun.pub("-F", "%z");

        // pub has no -F at all: an unknown option, as for mosquitto_pub.
        assertThat(sub.status()).isEqualTo(1);
        assertThat(sub.err()).startsWith("Error: Unknown option '-F'.");
    }

    @Test
    void invalidFormatFieldInSubIsReported() throws Exception {
        Result sub = CommandRun.sub("-t", "x", "-F", "%z").result();

        assertThat(sub).isEqualTo(new Result(1, "", "Error: Invalid format specifier 'z'.\n\n"
                + "Use 'estafeta sub --help' to see usage.\n"));
    }

    @Test
    void urlGivesHostPortAndTopic() throws Exception {
        CommandRun sub = CommandRun.sub("-L", "mqtt://127.0.0.1:" + port + "/url/topic", "-C", "1", "-v").subscribed();

        Result pub = CommandRun.pub("-L", "mqtt://127.0.0.1:" + port + "/url/topic", "-m", "via url");

        assertThat(pub.status()).isZero();
        assertThat(sub.result().out()).isEqualTo("url/topic via url\n");
    }

    @Test
    void refusedConnectionPrintsTheReasonAndExitsWithTheConnAckCode() {
        try (Broker closed = Broker.start(BrokerConfig.builder().persistence(false).localOnlyPort(0).allowAnonymous(false).build())) {
            String closedPort = String.valueOf(closed.boundAddresses().get(0).getPort());

            Result pub = CommandRun.pub("-p", closedPort, "-t", "a", "-m", "x");
            Result sub = resultOf(CommandRun.sub("-p", closedPort, "-t", "a"));

            assertThat(pub).isEqualTo(new Result(5, "",
                    "Connection error: Connection Refused: not authorised.\nError: The connection was refused.\n"));
            assertThat(sub).isEqualTo(new Result(5, "", "Connection error: Connection Refused: not authorised.\n"));
        }
    }

    @Test
    void quietSilencesConnectionErrors() {
        try (Broker closed = Broker.start(BrokerConfig.builder().persistence(false).localOnlyPort(0).allowAnonymous(false).build())) {
            String closedPort = String.valueOf(closed.boundAddresses().get(0).getPort());

            assertThat(CommandRun.pub("-p", closedPort, "-t", "a", "-m", "x", "--quiet"))
                    .isEqualTo(new Result(5, "", ""));
        }
    }

    @Test
    void nothingListeningIsConnectionRefusedWithStatus1() throws Exception {
        int unused;
        try (ServerSocket socket = new ServerSocket(0)) {
            unused = socket.getLocalPort();
        }

        Result pub = CommandRun.pub("-p", String.valueOf(unused), "-t", "a", "-m", "x");

        assertThat(pub).isEqualTo(new Result(1, "", "Error: Connection refused\n"));
    }

    @Test
    void unknownOptionIsAUsageErrorWithStatus1() {
        Result pub = CommandRun.pub("--bogus");

        assertThat(pub).isEqualTo(new Result(1, "", "Error: Unknown option '--bogus'.\n\n"
                + "Use 'estafeta pub --help' to see usage.\n"));
    }

    @Test
    void wildcardInAPublishTopicIsRefused() {
        Result pub = CommandRun.pub("-t", "a/#", "-m", "x");

        assertThat(pub.status()).isEqualTo(1);
        assertThat(pub.err()).startsWith("Error: Invalid publish topic 'a/#', does it contain '+' or '#'?\n");
    }

    @Test
    void topicWithoutMessageIsRefusedWithTheUsage() {
        Result pub = CommandRun.pub("-p", port, "-t", "a");

        assertThat(pub.status()).isEqualTo(1);
        assertThat(pub.err()).isEqualTo("Error: Both topic and message must be supplied.\n");
        assertThat(pub.out()).contains("Usage:").contains("--topic");
    }

    @Test
    void twoMessageSourcesAreRefused() {
        Result pub = CommandRun.pub("-t", "a", "-m", "x", "-n");

        assertThat(pub.err()).startsWith("Error: Only one type of message can be sent at once.\n");
    }

    @Test
    void persistentSessionNeedsAClientId() {
        Result pub = CommandRun.pub("-t", "a", "-m", "x", "-c");

        assertThat(pub.status()).isEqualTo(1);
        assertThat(pub.err()).startsWith("Error: You must provide a client id if you are using the -c option.\n");
    }

    @Test
    void outOfRangeValuesAreRefusedWithMosquittosMessages() {
        assertThat(CommandRun.pub("-t", "a", "-m", "x", "-q", "3").err()).startsWith("Error: Invalid QoS given: 3\n");
        assertThat(CommandRun.pub("-t", "a", "-m", "x", "-k", "2").err())
                .startsWith("Error: Invalid keepalive given, it must be between 5 and 65535 inclusive.\n");
        assertThat(CommandRun.pub("-t", "a", "-m", "x", "-V", "4").err())
                .startsWith("Error: Invalid protocol version argument given.\n");
        assertThat(CommandRun.pub("-t", "a", "-m", "x", "-D", "publish", "no-such-property", "1").err())
                .startsWith("Error: Invalid property name given in --property argument.\n");
        assertThat(CommandRun.pub("-t", "a", "-m", "x", "-D", "connect", "content-type", "t").err())
                .startsWith("Error: content-type property not allowed for connect in --property argument.\n");
    }

    @Test
    void passwordWithoutUsernameIsRefusedBeforeMqtt5() {
        assertThat(CommandRun.pub("-t", "a", "-m", "x", "-P", "secret").err())
                .startsWith("Error: Problem setting username and/or password.\n");
    }

    @Test
    void optionWithoutItsValueIsAUsageError() {
        Result pub = CommandRun.pub("-t");

        assertThat(pub).isEqualTo(new Result(1, "", "Error: -t argument given but no value specified.\n\n"
                + "Use 'estafeta pub --help' to see usage.\n"));
    }

    @Test
    void debugPrintsThePacketsLikeLibmosquitto() {
        Result pub = CommandRun.pub("-p", port, "-t", "dbg", "-m", "hola", "-q", "1", "-i", "dbg-client", "-d");

        assertThat(pub.out()).isEqualTo("""
                Client dbg-client sending CONNECT
                Client dbg-client received CONNACK (0)
                Client dbg-client sending PUBLISH (d0, q1, r0, m1, 'dbg', ... (4 bytes))
                Client dbg-client received PUBACK (Mid: 1, RC:0)
                Client dbg-client sending DISCONNECT
                """);
    }

    @Test
    void mqtt31GetsAGeneratedClientIdBecauseItCannotBeEmpty() throws Exception {
        CommandRun sub = CommandRun.sub("-p", port, "-V", "mqttv31", "-t", "v31", "-C", "1").subscribed();

        Result pub = CommandRun.pub("-p", port, "-V", "31", "-t", "v31", "-m", "old protocol", "-d");

        assertThat(pub.status()).isZero();
        assertThat(pub.out()).startsWith("Client estafeta-");
        assertThat(sub.result().out()).isEqualTo("old protocol\n");
    }

    @Test
    void idPrefixIsFollowedByTheProcessId() {
        Result pub = CommandRun.pub("-p", port, "-t", "prefix", "-m", "x", "-I", "pre-", "-d");

        assertThat(pub.out()).startsWith("Client pre-" + ProcessHandle.current().pid() + " sending CONNECT\n");
    }

    @Test
    void willIsPublishedWhenASubscriberIsTimedOutWithoutDisconnect() throws Exception {
        CommandRun watcher = CommandRun.sub("-p", port, "-t", "wills/#", "-C", "1", "-v").subscribed();
        CommandRun leaving = CommandRun.sub("-p", port, "-t", "nothing", "-i", "leaving", "--will-topic", "wills/x",
                "--will-payload", "gone", "-W", "2").subscribed();

        // A second client with the same id takes the session over: the broker closes the first
        // connection without a DISCONNECT from it, so its will is published ([MQTT-3.1.4-2], [MQTT-3.1.2-8]).
        CommandRun.pub("-p", port, "-t", "other", "-m", "x", "-i", "leaving");

        assertThat(watcher.result().out()).isEqualTo("wills/x gone\n");
        // sub reconnects after losing its connection, as mosquitto_sub does, until -W ends it.
        assertThat(leaving.result().status()).isEqualTo(27);
    }

    @Test
    void repeatPublishesTheMessageSeveralTimes() throws Exception {
        CommandRun sub = CommandRun.sub("-p", port, "-t", "again", "-C", "3").subscribed();

        CommandRun.pub("-p", port, "-t", "again", "-m", "x", "--repeat", "3");

        assertThat(sub.result().out()).isEqualTo("x\nx\nx\n");
    }

    @Test
    void pubAndSubAreCommandsOfEstafeta() {
        StringWriter out = new StringWriter();
        int status = EstafetaCommand.newCommandLine().setOut(new PrintWriter(out, true)).execute("--help");

        assertThat(status).isZero();
        assertThat(out.toString()).contains("pub").contains("sub").contains("broker");
    }

    @Test
    void subHelpListsMosquittoOptions() {
        StringWriter out = new StringWriter();
        int status = EstafetaCommand.newCommandLine().setOut(new PrintWriter(out, true)).execute("sub", "--help");

        assertThat(status).isZero();
        assertThat(out.toString()).contains("-t, --topic").contains("-C").contains("-W").contains("--retained-only")
                .contains("%t topic, %p payload");
    }

    private static Result resultOf(CommandRun run) {
        try {
            return run.result();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
