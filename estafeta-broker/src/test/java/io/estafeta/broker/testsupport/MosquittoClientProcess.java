package io.estafeta.broker.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static io.estafeta.broker.testsupport.Waiting.await;

/**
 * One run of Debian's {@code mosquitto_pub} or {@code mosquitto_sub}, its standard output collected line by
 * line. Close it always: that destroys the process if it is still running.
 */
public final class MosquittoClientProcess implements AutoCloseable {

    public static final Duration TIMEOUT = Waiting.TIMEOUT;
    private static final String STDBUF = "/usr/bin/stdbuf";

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final StringBuilder errors = new StringBuilder();
    private final Thread stdoutReader;
    private final Thread stderrReader;

    private MosquittoClientProcess(Process process) {
        this.process = process;
        this.stdoutReader = Thread.ofVirtual().start(() -> collect(process.getInputStream(), this::addLine));
        this.stderrReader = Thread.ofVirtual().start(() -> collect(process.getErrorStream(), this::addError));
    }

    /** Starts {@code /usr/bin/mosquitto_pub} with the broker's host and port followed by the given arguments. */
    public static MosquittoClientProcess pub(TestBroker broker, String... arguments) {
        return start("/usr/bin/mosquitto_pub", broker.host(), broker.port(), arguments);
    }

    /** Starts {@code /usr/bin/mosquitto_pub} against the given address (a broker not started by TestBroker). */
    public static MosquittoClientProcess pub(InetSocketAddress broker, String... arguments) {
        return start("/usr/bin/mosquitto_pub", broker.getAddress().getHostAddress(), broker.getPort(), arguments);
    }

    /** Starts {@code /usr/bin/mosquitto_sub} with the broker's host and port followed by the given arguments. */
    public static MosquittoClientProcess sub(TestBroker broker, String... arguments) {
        return start("/usr/bin/mosquitto_sub", broker.host(), broker.port(), arguments);
    }

    private static MosquittoClientProcess start(String executable, String host, int port, String... arguments) {
        // stdbuf -oL: line-buffered output, so that a test sees each line when it is printed, not at exit
        // (the clients' stdio buffers a pipe fully). stdbuf execs the client: the process is the client.
        List<String> command = new ArrayList<>(List.of(STDBUF, "-oL", executable, "-h", host,
                "-p", Integer.toString(port)));
        command.addAll(List.of(arguments));
        try {
            return new MosquittoClientProcess(new ProcessBuilder(command).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        }
    }

    /** Waits for the process to end and returns its exit status. */
    public int awaitExit() {
        try {
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("still running after " + TIMEOUT + "; output " + lines() + errors());
            }
            stdoutReader.join(TIMEOUT);
            stderrReader.join(TIMEOUT);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Waits for a line of standard output matching the predicate. */
    public void awaitLine(Predicate<String> predicate) {
        await().until(() -> lines().stream().anyMatch(predicate));
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    public synchronized String errors() {
        return errors.toString();
    }

    private synchronized void addLine(String line) {
        lines.add(line);
    }

    private synchronized void addError(String line) {
        errors.append(line).append('\n');
    }

    private static void collect(java.io.InputStream stream, java.util.function.Consumer<String> sink) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                sink.accept(line);
            }
        } catch (IOException ignored) {
            // the process was destroyed; what was read is kept
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
