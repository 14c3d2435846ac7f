package io.estafeta.cli.client;

import io.estafeta.cli.EstafetaVersion;
import io.estafeta.client.ConnectionRefusedException;
import io.estafeta.client.MqttClient;
import io.estafeta.client.MqttClientOptions;
import io.estafeta.client.PublishFailedException;
import io.estafeta.protocol.Topics;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;

/**
 * {@code estafeta pub}: publishes one message (or one per line of stdin) and exits, like mosquitto_pub.
 */
@Command(name = "pub",
        sortOptions = false,
        versionProvider = EstafetaVersion.class,
        description = {
                "Publishes a message to an MQTT broker and exits; behaves like mosquitto_pub.",
                "Exit status: 0 on success, 1 for a bad command line or no connection, the CONNACK code when "
                        + "the broker refuses the connection (e.g. 5: not authorised; 135: MQTT 5 not authorized), "
                        + "7 when the connection is lost.",
        })
public final class PubCommand implements java.util.concurrent.Callable<Integer> {

    /** The most messages of {@code -l} accepted by the client and not yet completed at once. */
    private static final int LINES_AHEAD = 1000;
    private static final int MAX_QOS = 2;
    private static final double MICROS_PER_SECOND = 1_000_000;

    private enum Source { MESSAGE, FILE, STDIN_LINES, NULL_MESSAGE, STDIN_WHOLE }

    @Spec
    private CommandSpec spec;

    @Mixin
    private ConnectionOptions connection;

    @Option(names = "--help", usageHelp = true, description = "Shows this help and exits.")
    private boolean help;

    @Option(names = "--version", versionHelp = true, description = "Shows the version and exits.")
    private boolean version;

    private String topic;
    private Source source;
    private String message;
    private Path file;
    private int qos;

    @Option(names = {"-r", "--retain"}, description = "Retain the message.")
    private boolean retain;

    private int repeat = 1;
    private Duration repeatDelay = Duration.ZERO;

    private final InputStream in;
    private final PrintStream out;

    public PubCommand() {
        this(System.in, System.out);
    }

    /** For tests: stdin and stdout of the command. */
    PubCommand(InputStream in, PrintStream out) {
        this.in = in;
        this.out = out;
    }

    @Option(names = {"-t", "--topic"}, paramLabel = "TOPIC", description = "Topic to publish to.")
    private void topic(String value) {
        if (!Topics.isValidTopicName(value)) {
            throw new UsageException("Error: Invalid publish topic '" + value + "', does it contain '+' or '#'?");
        }
        topic = value;
    }

    @Option(names = {"-m", "--message"}, paramLabel = "MESSAGE", description = "The message to send.")
    private void message(String value) {
        source(Source.MESSAGE);
        message = value;
    }

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Send the contents of a file as the message.")
    private void file(Path value) {
        source(Source.FILE);
        file = value;
    }

    @Option(names = {"-l", "--stdin-line"}, description = "Send each line of stdin as a message.")
    private void stdinLines(boolean ignored) {
        source(Source.STDIN_LINES);
    }

    @Option(names = {"-n", "--null-message"}, description = "Send an empty (zero length) message.")
    private void nullMessage(boolean ignored) {
        source(Source.NULL_MESSAGE);
    }

    @Option(names = {"-s", "--stdin-file"}, description = "Send all of stdin as one message.")
    private void stdinWhole(boolean ignored) {
        source(Source.STDIN_WHOLE);
    }

    @Option(names = {"-q", "--qos"}, paramLabel = "QOS", description = "QoS of the message: 0, 1 or 2. Default: 0.")
    private void qos(int value) {
        if (value < 0 || value > MAX_QOS) {
            throw new UsageException("Error: Invalid QoS given: " + value);
        }
        qos = value;
    }

    @Option(names = "--repeat", paramLabel = "COUNT", description = "Publish the message (-m, -f, -n, -s) COUNT times.")
    private void repeat(int value) {
        if (value < 1) {
            throw new UsageException("Error: --repeat argument must be >0.");
        }
        repeat = value;
    }

    @Option(names = "--repeat-delay", paramLabel = "SECONDS", description = "Wait between repeats. Default: 0.")
    private void repeatDelay(double seconds) {
        if (seconds < 0) {
            throw new UsageException("Error: --repeat-delay argument must be >=0.0.");
        }
        repeatDelay = Duration.ofNanos((long) (seconds * MICROS_PER_SECOND) * 1_000);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (connection.urlTopic() != null && topic == null) {
            topic(connection.urlTopic());
        }
        byte[] payload;
        try {
            connection.validate();
            payload = loadPayload(err);
            if (payload == null) {
                return ClientExitStatus.FAILURE;
            }
            if (topic == null || source == null) {
                err.println("Error: Both topic and message must be supplied.");
                err.flush();
                spec.commandLine().usage(spec.commandLine().getOut());
                return ClientExitStatus.FAILURE;
            }
            connection.checkTlsFiles();
        } catch (UsageException e) {
            return ClientErrors.usage(spec.commandLine(), e.getMessage());
        }

        MqttClientOptions options;
        try {
            options = connection.toClientOptions(null).build();
        } catch (IllegalStateException e) {
            report(err, e.getMessage());
            return ClientExitStatus.FAILURE;
        }
        if (connection.debug) {
            options = options.toBuilder().packetTrace(new DebugTrace(out, options.clientId(), false)).build();
        }
        try (MqttClient client = new MqttClient(options)) {
            try {
                client.connect().get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof ConnectionRefusedException refused) {
                    report(err, MosquittoTexts.connectionError(options.version(), refused.connAck().reasonCode()));
                    report(err, "Error: " + MosquittoTexts.CONNECTION_REFUSED);
                    return refused.connAck().reasonCode();
                }
                report(err, MosquittoTexts.connectFailure(e.getCause()));
                return ClientExitStatus.FAILURE;
            }
            MqttProperties properties = connection.properties.of(PropertyArguments.Packet.PUBLISH);
            int status = source == Source.STDIN_LINES
                    ? publishLines(client, properties, err)
                    : publishRepeatedly(client, payload, properties, err);
            if (status == ClientExitStatus.SUCCESS) {
                client.disconnect().get();
            }
            return status;
        }
    }

    private int publishRepeatedly(MqttClient client, byte[] payload, MqttProperties properties, PrintWriter err)
            throws InterruptedException {
        for (int i = 0; i < repeat; i++) {
            if (i > 0 && !repeatDelay.isZero()) {
                Thread.sleep(repeatDelay);
            }
            try {
                client.publish(topic, payload, MqttQoS.valueOf(qos), retain, properties).get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof PublishFailedException failed)) {
                    report(err, "Error: " + MosquittoTexts.CONNECTION_LOST);
                    return ClientExitStatus.CONNECTION_LOST;
                }
                reportRefusedPublish(err, failed);
            }
        }
        return ClientExitStatus.SUCCESS;
    }

    /** {@code -l}: one message per line (the line break removed), as fast as the in-flight window allows. */
    private int publishLines(MqttClient client, MqttProperties properties, PrintWriter err)
            throws IOException, InterruptedException {
        Semaphore ahead = new Semaphore(LINES_AHEAD);
        CompletableFuture<Void> lost = new CompletableFuture<>();
        CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while (!lost.isDone() && (b = in.read()) >= 0) {
            if (b != '\n') {
                line.write(b);
                continue;
            }
            last = publishLine(client, line.toByteArray(), properties, ahead, lost, err);
            line.reset();
        }
        if (line.size() > 0 && !lost.isDone()) {
            last = publishLine(client, line.toByteArray(), properties, ahead, lost, err);
        }
        ahead.acquire(LINES_AHEAD);
        if (lost.isDone()) {
            report(err, "Error: " + MosquittoTexts.CONNECTION_LOST);
            return ClientExitStatus.CONNECTION_LOST;
        }
        last.join();
        return ClientExitStatus.SUCCESS;
    }

    private CompletableFuture<Void> publishLine(MqttClient client, byte[] payload, MqttProperties properties,
                                                Semaphore ahead, CompletableFuture<Void> lost, PrintWriter err)
            throws InterruptedException {
        ahead.acquire();
        return client.publish(topic, payload, MqttQoS.valueOf(qos), retain, properties)
                .handle((ignored, failure) -> {
                    ahead.release();
                    if (failure instanceof PublishFailedException failed) {
                        reportRefusedPublish(err, failed);
                    } else if (failure != null) {
                        lost.complete(null);
                    }
                    return null;
                });
    }

    /** The message bytes for -m, -f, -n, -s; null after reporting a file or stdin problem. */
    private byte[] loadPayload(PrintWriter err) throws IOException {
        if (source == null) {
            return new byte[0];
        }
        switch (source) {
            case MESSAGE -> {
                return message.getBytes(StandardCharsets.UTF_8);
            }
            case FILE -> {
                if (!Files.isReadable(file)) {
                    report(err, "Error: Unable to open file \"" + file + "\".");
                    report(err, "Error loading input file \"" + file + "\".");
                    return null;
                }
                return Files.readAllBytes(file);
            }
            case STDIN_WHOLE -> {
                byte[] all = in.readAllBytes();
                if (all.length == 0) {
                    report(err, "Error: Zero length input.");
                    report(err, "Error loading input from stdin.");
                    return null;
                }
                return all;
            }
            default -> {
                return new byte[0];
            }
        }
    }

    private void source(Source chosen) {
        if (source != null) {
            throw new UsageException("Error: Only one type of message can be sent at once.");
        }
        source = chosen;
    }

    private void reportRefusedPublish(PrintWriter err, PublishFailedException failed) {
        report(err, "Warning: Publish failed: " + MosquittoTexts.reasonString(failed.reasonCode()) + ".");
    }

    /** Runtime messages are silenced by --quiet; command-line errors are not (as Mosquitto). */
    private void report(PrintWriter err, String line) {
        if (!connection.quiet()) {
            err.println(line);
            err.flush();
        }
    }
}
