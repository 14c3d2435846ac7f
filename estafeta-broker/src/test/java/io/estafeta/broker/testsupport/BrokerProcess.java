package io.estafeta.broker.testsupport;

import io.estafeta.broker.Broker;
import io.estafeta.broker.config.BrokerConfig;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A broker in a JVM of its own, for tests that kill it: {@code BrokerProcess DATA_DIRECTORY [MAX_QUEUED]}
 * starts Estafeta with persistence on a free loopback port (and {@code max_queued_messages MAX_QUEUED}),
 * prints {@code PORT n}, and runs until its standard input closes (then it stops cleanly) or it is killed.
 * Start it with {@link ChildJvm}.
 */
public final class BrokerProcess {

    public static final String PORT = "PORT ";

    private BrokerProcess() {
    }

    public static void main(String[] args) throws Exception {
        BrokerConfig.Builder config = BrokerConfig.builder()
                .localOnlyPort(0)
                .dataDirectory(Path.of(args[0]));
        if (args.length > 1) {
            config.maxQueuedMessages(Integer.parseInt(args[1]));
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (Broker broker = Broker.start(config.build())) {
            out.println(PORT + broker.port());
            while (System.in.read() >= 0) {
                // run until the test closes our standard input
            }
        }
    }

    /** The port a child started with this class printed, once it has. */
    public static int portOf(ChildJvm child) throws Exception {
        Waiting.atMost(java.time.Duration.ofSeconds(60)).until(() -> {
            if (!child.process().isAlive()) {
                throw new IllegalStateException("the broker process exited: " + child.errors());
            }
            return !child.lines(PORT).isEmpty();
        });
        return Integer.parseInt(child.lines(PORT).getFirst().substring(PORT.length()).trim());
    }
}
