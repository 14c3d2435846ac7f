package io.estafeta.testkit;

import org.awaitility.Awaitility;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's Mosquitto ({@code /usr/sbin/mosquitto}) on a free loopback port with a generated
 * configuration; tests that need it are skipped where it is not installed.
 */
public final class MosquittoBroker implements AutoCloseable {

    private static final Path EXECUTABLE = Path.of("/usr/sbin/mosquitto");
    private static final String LOOPBACK = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final long STOP_WAIT_SECONDS = 5;

    private final Process process;
    private final int port;
    private final Path log;

    private MosquittoBroker(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Anonymous clients allowed, plain TCP. */
    public static MosquittoBroker start(Path directory) throws IOException {
        return start(directory, List.of("allow_anonymous true"));
    }

    /**
     * Starts Mosquitto with a {@code listener PORT 127.0.0.1} line followed by {@code settings} (which
     * apply to that listener, so TLS files can be given there).
     */
    public static MosquittoBroker start(Path directory, List<String> settings) throws IOException {
        assumeTrue(Files.isExecutable(EXECUTABLE), "Mosquitto is not installed at " + EXECUTABLE);
        int port = freePort();
        Path config = directory.resolve("mosquitto-" + port + ".conf");
        StringBuilder text = new StringBuilder("listener " + port + " " + LOOPBACK + "\n");
        settings.forEach(line -> text.append(line).append('\n'));
        Files.writeString(config, text);
        Process process = new ProcessBuilder(EXECUTABLE.toString(), "-c", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("mosquitto-" + port + ".log").toFile())
                .start();
        MosquittoBroker broker = new MosquittoBroker(process, port, directory.resolve("mosquitto-" + port + ".log"));
        try {
            Awaitility.await("mosquitto listening on " + port).atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> !process.isAlive() || accepts(port));
            if (!process.isAlive()) {
                throw new IllegalStateException("mosquitto exited with " + process.exitValue() + ": "
                        + Files.readString(directory.resolve("mosquitto-" + port + ".log")));
            }
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
        return broker;
    }

    public int port() {
        return port;
    }

    public String host() {
        return LOOPBACK;
    }

    /** What Mosquitto printed so far, for assertion messages. */
    public String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        }
    }
}
