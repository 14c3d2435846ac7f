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

    private final int port;
    private final Path config;
    private final Path log;
    private volatile Process process;
    private volatile boolean paused;

    private MosquittoBroker(int port, Path config, Path log) {
        this.port = port;
        this.config = config;
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
        MosquittoBroker broker = new MosquittoBroker(port, config, directory.resolve("mosquitto-" + port + ".log"));
        broker.launch();
        return broker;
    }

    /**
     * Starts Mosquitto again, on the same port with the same configuration, after {@link #stop()}. With
     * {@code persistence true} in the settings it reloads what it saved when it stopped.
     */
    public void restart() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("mosquitto on " + port + " is still running");
        }
        launch();
    }

    /** Stops Mosquitto (SIGTERM, so that it saves its persistence file) and waits until it is gone. */
    public void stop() {
        close();
    }

    /**
     * Freezes Mosquitto (SIGSTOP) until {@link #resume()}: its sockets stay open and the kernel still accepts
     * connections and data for it, but it reads, answers and acknowledges nothing. A broker that hangs.
     */
    public void pause() throws IOException {
        signal("STOP");
        paused = true;
    }

    /** Lets a {@link #pause() paused} Mosquitto run again (SIGCONT): it handles what arrived meanwhile. */
    public void resume() throws IOException {
        signal("CONT");
        paused = false;
    }

    private void signal(String name) throws IOException {
        Process running = process;
        if (running == null || !running.isAlive()) {
            throw new IllegalStateException("mosquitto on " + port + " is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(running.pid())).start();
            if (!kill.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IOException("kill -" + name + " " + running.pid() + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while signalling mosquitto", e);
        }
    }

    private void launch() throws IOException {
        ProcessBuilder.Redirect appendToLog = ProcessBuilder.Redirect.appendTo(log.toFile());
        Process started = new ProcessBuilder(EXECUTABLE.toString(), "-c", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(appendToLog)
                .start();
        process = started;
        try {
            Awaitility.await("mosquitto listening on " + port).atMost(START_TIMEOUT)
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> !started.isAlive() || accepts(port));
            if (!started.isAlive()) {
                throw new IllegalStateException("mosquitto exited with " + started.exitValue() + ": " + logText());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
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
        Process process = this.process;
        if (process == null) {
            return;
        }
        if (paused && process.isAlive()) {
            try {
                resume(); // a stopped process would not act on SIGTERM until continued
            } catch (IOException e) {
                process.destroyForcibly();
            }
        }
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
