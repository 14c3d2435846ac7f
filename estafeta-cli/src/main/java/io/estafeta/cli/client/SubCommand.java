package io.estafeta.cli.client;

import io.estafeta.cli.EstafetaVersion;
import io.estafeta.client.ConnAck;
import io.estafeta.client.ConnectionListener;
import io.estafeta.client.ConnectionRefusedException;
import io.estafeta.client.MqttClient;
import io.estafeta.client.MqttClientOptions;
import io.estafeta.client.ReceivedMessage;
import io.estafeta.client.ReconnectPolicy;
import io.estafeta.client.SubAck;
import io.estafeta.client.Subscription;
import io.estafeta.protocol.Topics;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption.RetainedHandlingPolicy;
import io.netty.handler.codec.mqtt.MqttVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code estafeta sub}: subscribes and prints the messages that arrive, like mosquitto_sub. Reconnects
 * after a lost connection (every second, subscribing again) until it has what it waits for.
 */
@Command(name = "sub",
        sortOptions = false,
        versionProvider = EstafetaVersion.class,
        description = {
                "Subscribes to topics on an MQTT broker and prints the messages; behaves like mosquitto_sub.",
                "Exit status: 0 on success, 1 for a bad command line or no connection, the CONNACK code when "
                        + "the broker refuses the connection, 27 when -W runs out.",
        })
public final class SubCommand implements Callable<Integer> {

    private static final int MAX_QOS = 2;
    /** Mosquitto's clients try again every second, without backoff. */
    private static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);
    /** How long the end of a run may take: outstanding retained-message removals, the DISCONNECT. */
    private static final Duration FINISH_WAIT = Duration.ofSeconds(10);
    private static final int DISCONNECT_WITH_WILL = MqttReasonCodes.Disconnect.DISCONNECT_WITH_WILL_MESSAGE.byteValue();

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @Option(names = "--help", usageHelp = true, description = "Shows this help and exits.")
    private boolean help;

    @Option(names = "--version", versionHelp = true, description = "Shows the version and exits.")
    private boolean version;

    private final List<String> topics = new ArrayList<>();
    private int qos;

    @Option(names = {"-v", "--verbose"}, description = "Print the topic before each payload.")
    private boolean verbose;

    private int messageCount;
    private int timeoutSeconds;

    @Option(names = "-R", description = "Do not print stale (retained) messages.")
    private boolean noRetained;

    @Option(names = "-N", description = "Do not print a line break after each payload.")
    private boolean noEndOfLine;

    private final List<String> filterOut = new ArrayList<>();
    private final List<String> unsubscribe = new ArrayList<>();

    @Option(names = "-E", description = "Exit once the subscriptions are acknowledged.")
    private boolean exitAfterSubscribe;

    private String format;

    @Option(names = "--pretty", description = "With -F %%j or %%J: indented JSON.")
    private boolean pretty;

    @Option(names = "--retained-only", description = "Print only retained messages; exit at the first that is not.")
    private boolean retainedOnly;

    @Option(names = "--remove-retained", description = "Clear each retained message received (not those -T filters out).")
    private boolean removeRetained;

    @Option(names = "--retain-as-published", description = "MQTT 5: keep the retain flag of messages as published.")
    private boolean retainAsPublished;

    private final PrintStream out;

    // Touched by the client's event loop while running.
    private volatile boolean processing = true;
    private int received;
    private final CompletableFuture<Integer> finished = new CompletableFuture<>();
    private final CompletableFuture<SubAck> subscribed = new CompletableFuture<>();
    private final List<CompletableFuture<Void>> removals = new CopyOnWriteArrayList<>();
    private MessagePrinter printer;
    private MqttClient client;

    public SubCommand() {
        this(System.out);
    }

    /** For tests: the command's stdout. */
    SubCommand(PrintStream out) {
        this.out = out;
    }

    @Option(names = {"-t", "--topic"}, paramLabel = "TOPIC", description = "Topic filter to subscribe to; may be repeated.")
    private void topic(String value) {
        if (!Topics.isValidTopicFilter(value)) {
            throw new UsageException("Error: Invalid subscription topic '" + value
                    + "', are all '+' and '#' wildcards correct?");
        }
        topics.add(value);
    }

    @Option(names = {"-q", "--qos"}, paramLabel = "QOS", description = "QoS of the subscriptions. Default: 0.")
    private void qos(int value) {
        if (value < 0 || value > MAX_QOS) {
            throw new UsageException("Error: Invalid QoS given: " + value);
        }
        qos = value;
    }

    @Option(names = "-C", paramLabel = "COUNT", description = "Exit after printing COUNT messages.")
    private void messageCount(int value) {
        if (value < 1) {
            throw new UsageException("Error: Invalid message count \"" + value + "\".");
        }
        messageCount = value;
    }

    @Option(names = "-W", paramLabel = "SECONDS", description = "Exit (status 27) after SECONDS, whatever arrived.")
    private void timeout(int value) {
        if (value < 1) {
            throw new UsageException("Error: Invalid timeout \"" + value + "\".");
        }
        timeoutSeconds = value;
    }

    @Option(names = {"-T", "--filter-out"}, paramLabel = "FILTER", description = "Do not print messages on topics "
            + "matching FILTER; may be repeated.")
    private void filterOut(String value) {
        if (!Topics.isValidTopicFilter(value)) {
            throw new UsageException("Error: Invalid filter topic '" + value
                    + "', are all '+' and '#' wildcards correct?");
        }
        filterOut.add(value);
    }

    @Option(names = {"-U", "--unsubscribe"}, paramLabel = "FILTER", description = "Unsubscribe from FILTER after "
            + "subscribing (for persistent sessions); may be repeated.")
    private void unsubscribe(String value) {
        if (!Topics.isValidTopicFilter(value)) {
            throw new UsageException("Error: Invalid unsubscribe topic '" + value
                    + "', are all '+' and '#' wildcards correct?");
        }
        unsubscribe.add(value);
    }

    @Option(names = "-F", paramLabel = "FORMAT", description = "Output format: %%t topic, %%p payload, %%q QoS, "
            + "%%r retain, %%m packet id, %%l payload length, %%I ISO-8601 time, %%U Unix time, %%j JSON, %%x hex, "
            + "... (see docs/CLI.md).")
    private void format(String value) {
        MessagePrinter.check(value);
        format = value;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (connection.urlTopic() != null) {
            topic(connection.urlTopic());
        }
        try {
            if (topics.isEmpty()) {
                throw new UsageException("Error: You must specify a topic to subscribe to.");
            }
            connection.validate();
        } catch (UsageException e) {
            return ClientErrors.usage(spec.commandLine(), e.getMessage());
        }
        if (noRetained && retainedOnly) {
            err.println();
            err.println("Error: Combining '-R' and '--retained-only' makes no sense.");
            err.flush();
            return ClientExitStatus.FAILURE;
        }
        try {
            connection.checkTlsFiles();
        } catch (UsageException e) {
            return ClientErrors.usage(spec.commandLine(), e.getMessage());
        }
        printer = new MessagePrinter(format, verbose, !noEndOfLine, pretty, out, err);

        MqttClientOptions options;
        try {
            options = connection.toClientOptions(null)
                    .reconnect(ReconnectPolicy.exponentialBackoff(RECONNECT_DELAY, RECONNECT_DELAY))
                    .build();
        } catch (IllegalStateException e) {
            report(err, e.getMessage());
            return ClientExitStatus.FAILURE;
        }
        if (connection.debug) {
            options = options.toBuilder().packetTrace(new DebugTrace(out, options.clientId(), !connection.quiet()))
                    .build();
        }
        try (MqttClient opened = new MqttClient(options)) {
            client = opened;
            opened.setMessageListener(this::onMessage);
            opened.setConnectionListener(new ConnectionListener() {
                @Override
                public void connected(ConnAck connAck) {
                    subscribe(err);
                }
            });
            try {
                opened.connect().get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof ConnectionRefusedException refused) {
                    report(err, MosquittoTexts.connectionError(options.version(), refused.connAck().reasonCode()));
                    return refused.connAck().reasonCode();
                }
                report(err, MosquittoTexts.connectFailure(e.getCause()));
                return ClientExitStatus.FAILURE;
            }
            Thread onInterrupt = new Thread(() -> disconnect(DISCONNECT_WITH_WILL), "estafeta-sub-interrupt");
            Runtime.getRuntime().addShutdownHook(onInterrupt);
            try {
                return awaitEnd(err);
            } finally {
                removeShutdownHook(onInterrupt);
            }
        }
    }

    private int awaitEnd(PrintWriter err) throws Exception {
        int status;
        try {
            status = timeoutSeconds > 0 ? finished.get(timeoutSeconds, TimeUnit.SECONDS) : finished.get();
        } catch (TimeoutException e) {
            processing = false;
            // As mosquitto_sub on its alarm: DISCONNECT with reason 0x04 (5.0: "publish my will").
            disconnect(DISCONNECT_WITH_WILL);
            report(err, MosquittoTexts.TIMED_OUT);
            return ClientExitStatus.TIMED_OUT;
        }
        try {
            CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new))
                    .get(FINISH_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            report(err, "Error: " + MosquittoTexts.CONNECTION_LOST);
        }
        disconnect(MqttReasonCodes.Disconnect.NORMAL_DISCONNECT.byteValue());
        return status;
    }

    /** On every accepted connection (the first and each reconnect): SUBSCRIBE, then any UNSUBSCRIBE. */
    private void subscribe(PrintWriter err) {
        boolean mqtt5 = connection.version() == MqttVersion.MQTT_5;
        List<Subscription> subscriptions = topics.stream()
                .map(filter -> new Subscription(filter, MqttQoS.valueOf(qos), false, mqtt5 && retainAsPublished,
                        mqtt5 && noRetained ? RetainedHandlingPolicy.DONT_SEND_AT_SUBSCRIBE
                                : RetainedHandlingPolicy.SEND_AT_SUBSCRIBE))
                .toList();
        client.subscribe(subscriptions, connection.properties.of(PropertyArguments.Packet.SUBSCRIBE))
                .whenComplete((subAck, failure) -> {
                    if (subAck != null) {
                        onSubAck(subAck, err);
                    }
                });
        MqttProperties unsubscribeProperties = connection.properties.of(PropertyArguments.Packet.UNSUBSCRIBE);
        for (String filter : unsubscribe) {
            client.unsubscribe(List.of(filter), unsubscribeProperties);
        }
    }

    private void onSubAck(SubAck subAck, PrintWriter err) {
        subscribed.complete(subAck);
        boolean anyGranted = false;
        for (int i = 0; i < subAck.reasonCodes().size(); i++) {
            anyGranted |= !subAck.isFailure(i);
        }
        if (!anyGranted) {
            report(err, "All subscription requests were denied.");
            finish(ClientExitStatus.SUCCESS);
        } else if (exitAfterSubscribe) {
            finish(ClientExitStatus.SUCCESS);
        }
    }

    /** On the client's event loop, one message at a time. */
    private void onMessage(ReceivedMessage message) {
        if (!processing) {
            return;
        }
        if (retainedOnly && !message.retain()) {
            // --retained-only: the first live message ends the run, unprinted.
            processing = false;
            finish(ClientExitStatus.SUCCESS);
            return;
        }
        if (message.retain() && noRetained) {
            return;
        }
        for (String filter : filterOut) {
            if (Topics.matches(filter, message.topic())) {
                return;
            }
        }
        if (removeRetained && message.retain()) {
            // An empty retained message clears the retained one ([MQTT-3.3.1-10]).
            removals.add(client.publish(message.topic(), new byte[0], MqttQoS.AT_LEAST_ONCE, true));
        }
        printer.print(message);
        if (messageCount > 0 && ++received == messageCount) {
            processing = false;
            finish(ClientExitStatus.SUCCESS);
        }
    }

    /** Completes with the first SUBACK: lets tests publish only once the subscription is in place. */
    CompletableFuture<SubAck> subscribed() {
        return subscribed;
    }

    private void finish(int status) {
        finished.complete(status);
    }

    private void disconnect(int reasonCode) {
        try {
            client.disconnect(reasonCode, connection.properties.of(PropertyArguments.Packet.DISCONNECT))
                    .get(FINISH_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // Closing anyway.
        }
    }

    private void report(PrintWriter err, String line) {
        if (!connection.quiet()) {
            err.println(line);
            err.flush();
        }
    }

    private static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Shutting down already: the hook runs.
        }
    }
}
