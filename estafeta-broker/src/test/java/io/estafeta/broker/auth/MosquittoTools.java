package io.estafeta.broker.auth;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs the Mosquitto tools installed on this machine (Debian's mosquitto and mosquitto-clients packages). */
final class MosquittoTools {

    static final Path MOSQUITTO_PASSWD = Path.of("/usr/bin/mosquitto_passwd");
    static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");
    static final Path MOSQUITTO_PUB = Path.of("/usr/bin/mosquitto_pub");
    private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(30);
    private static final String LOOPBACK = "127.0.0.1";

    /** What a finished process said. */
    record Result(int exitCode, String output) {
    }

    private MosquittoTools() {
    }

    static void assumeInstalled(Path... tools) {
        for (Path tool : tools) {
            assumeTrue(Files.isExecutable(tool), tool + " is not installed");
        }
    }

    static Result run(Path tool, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(tool.toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish in " + PROCESS_TIMEOUT);
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(),
                StandardCharsets.UTF_8));
    }

    /** Runs a tool that must succeed. */
    static String succeed(Path tool, String... arguments) throws IOException, InterruptedException {
        Result result = run(tool, arguments);
        assertThat(result.exitCode()).as("%s %s: %s", tool, List.of(arguments), result.output()).isZero();
        return result.output();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A running mosquitto broker on the loopback interface; {@link #close()} stops it. */
    static final class Broker implements AutoCloseable {
        private final Process process;
        private final Path log;
        final int port;

        /**
         * Starts mosquitto with the given configuration lines plus a loopback listener on a free port. As root,
         * mosquitto would switch to its own user, which cannot read test files; "user root" keeps it as it is
         * (and is ignored when not run as root).
         */
        Broker(Path dir, String... settings) throws IOException {
            this.port = freePort();
            Path config = dir.resolve("mosquitto.conf");
            List<String> lines = new ArrayList<>(List.of("user root", "listener " + port + " " + LOOPBACK));
            lines.addAll(List.of(settings));
            Files.write(config, lines);
            this.log = dir.resolve("mosquitto.log");
            this.process = new ProcessBuilder(MOSQUITTO.toString(), "-c", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
                assertThat(process.isAlive()).as("mosquitto exited: %s", logText()).isTrue();
                return accepts(port);
            });
        }

        String logText() {
            try {
                return Optional.of(Files.readString(log)).orElse("");
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(PROCESS_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }

        private static boolean accepts(int port) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(LOOPBACK, port), 200);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        }
    }
}
