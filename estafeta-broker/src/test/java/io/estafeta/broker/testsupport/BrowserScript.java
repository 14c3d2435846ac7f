package io.estafeta.broker.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One run of a browser test script from {@code src/test/browser} ({@code node SCRIPT}, playwright-core driving
 * Debian's Chromium). The script prints a line per step ("STEP ...", "SCREENSHOT ...", finally "OK" or
 * "FAIL ..."); the test may react to lines and write lines to its standard input.
 *
 * <p>Where Chromium, Node.js or the folder's node_modules are missing, the test fails under CI (the
 * {@code CI} environment variable is set: .ci/run installs them) and is skipped with a message otherwise.
 */
public final class BrowserScript implements AutoCloseable {

    /** The node project with the scripts, relative to the module (surefire runs tests there). */
    public static final Path FOLDER = Path.of("src", "test", "browser");
    /** Where screenshots go: test artifacts, beside the surefire reports. */
    public static final Path SCREENSHOTS = Path.of("target", "browser-screenshots");
    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /**
     * MQTT.js's browser bundle, from the npm project in src/test/node (which WebSocketMqttJsTest uses under
     * Node): one locked copy of the mqtt package serves both, and .ci/run's {@code npm ci} there installs it.
     */
    public static final Path MQTT_JS_BUNDLE = Path.of("src", "test", "node", "node_modules", "mqtt", "dist",
            "mqtt.min.js");
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(120);

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final StringBuilder errors = new StringBuilder();
    private final Thread stdoutReader;
    private final Thread stderrReader;
    private final Writer stdin;

    private BrowserScript(Process process, Consumer<String> onLine) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.stdoutReader = Thread.ofVirtual().start(() -> read(process, onLine));
        this.stderrReader = Thread.ofVirtual().start(this::readErrors);
    }

    /** Fails (CI) or skips (elsewhere) unless Chromium, node and the folder's node_modules are there. */
    public static void requireBrowserTools() {
        String missing = null;
        if (!Files.isExecutable(CHROMIUM)) {
            missing = "Chromium (" + CHROMIUM + "; apt-get install chromium)";
        } else if (!onPath("node")) {
            missing = "Node.js (node on PATH)";
        } else if (!Files.isDirectory(FOLDER.resolve("node_modules").resolve("playwright-core"))) {
            missing = "playwright-core (run 'npm ci' in " + FOLDER.toAbsolutePath() + ")";
        }
        requireNothingMissing(missing);
    }

    /** Like {@link #requireBrowserTools()}, and MQTT.js's browser bundle ({@link #MQTT_JS_BUNDLE}) too. */
    public static void requireBrowserToolsAndMqttJs() {
        requireBrowserTools();
        if (!Files.isRegularFile(MQTT_JS_BUNDLE)) {
            requireNothingMissing("MQTT.js's browser bundle " + MQTT_JS_BUNDLE.toAbsolutePath()
                    + " (run 'npm ci' in src/test/node)");
        }
    }

    private static void requireNothingMissing(String missing) {
        if (missing == null) {
            return;
        }
        if (System.getenv("CI") != null) {
            fail("browser test cannot run: " + missing + " is missing; .ci/run installs it");
        }
        assumeTrue(false, "browser test skipped: " + missing + " is missing (under CI this fails)");
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String directory : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(directory, program))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Starts {@code node script} in {@link #FOLDER} with these environment variables (SCREENSHOT_DIR is set
     * to {@link #SCREENSHOTS}); {@code onLine} sees each line of its output as it comes.
     */
    public static BrowserScript start(String script, Map<String, String> environment, Consumer<String> onLine) {
        try {
            Files.createDirectories(SCREENSHOTS);
            ProcessBuilder builder = new ProcessBuilder("node", script).directory(FOLDER.toFile());
            builder.environment().putAll(environment);
            builder.environment().put("SCREENSHOT_DIR", SCREENSHOTS.toAbsolutePath().toString());
            builder.environment().put("CHROMIUM_PATH", CHROMIUM.toString());
            return new BrowserScript(builder.start(), onLine);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run node " + script, e);
        }
    }

    /** Writes a line to the script's standard input. */
    public void tell(String line) {
        try {
            stdin.write(line + "\n");
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to the browser script", e);
        }
    }

    /** Waits for the script to end; returns its exit status. */
    public int awaitExit() {
        try {
            if (!process.waitFor(RUN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("browser script still running after " + RUN_TIMEOUT + "; output:\n"
                        + String.join("\n", lines()) + "\n" + errors());
            }
            stdoutReader.join(Waiting.TIMEOUT);
            stderrReader.join(Waiting.TIMEOUT);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    public synchronized String errors() {
        return errors.toString();
    }

    /** Output and errors, for assertion messages. */
    public String transcript() {
        return String.join("\n", lines()) + "\n--- stderr ---\n" + errors();
    }

    private void read(Process running, Consumer<String> onLine) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(running.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (this) {
                    lines.add(line);
                }
                onLine.accept(line);
            }
        } catch (IOException ignored) {
            // the process ended or was destroyed; what was read is kept
        }
    }

    private void readErrors() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (this) {
                    errors.append(line).append('\n');
                }
            }
        } catch (IOException ignored) {
            // as above
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
