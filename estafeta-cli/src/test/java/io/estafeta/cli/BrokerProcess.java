package io.estafeta.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * {@code estafeta} running as a child JVM, started like bin/estafeta starts it (same JVM options and
 * main class) but on this test's own class path: surefire runs before {@code package} has filled
 * target/lib. Output goes to files, so that a chatty child never blocks on a full pipe.
 */
final class BrokerProcess implements AutoCloseable {

    /** Generous: a JVM start on a loaded two-core machine. A bound against hanging, not a speed check. */
    private static final Duration PATIENCE = Duration.ofMinutes(1);

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private BrokerProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code estafeta ARGS...} with its working directory and output files in {@code dir}. */
    static BrokerProcess start(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-Xmx128m",
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        Path out = dir.resolve("estafeta.out");
        Path err = dir.resolve("estafeta.err");
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        return new BrokerProcess(process, out, err);
    }

    /** Waits until stderr matches, and returns the match (for its groups); fails early if the process ends. */
    Matcher awaitLog(Pattern pattern) {
        await().atMost(PATIENCE).until(() -> {
            boolean alive = process.isAlive();
            if (pattern.matcher(stderr()).find()) {
                return true;
            }
            if (!alive) {
                throw new AssertionError("estafeta exited with status " + process.exitValue()
                        + " without logging /" + pattern + "/; its stderr:\n" + stderr());
            }
            return false;
        });
        Matcher matcher = pattern.matcher(stderr());
        matcher.find();
        return matcher;
    }

    /** Sends SIGTERM (what Process.destroy does on Linux). */
    void terminate() {
        process.destroy();
    }

    /** Sends a signal by name ("INT", "HUP", ...) with kill(1). */
    void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /** Waits for the process to end and returns its exit status. */
    int awaitExit() throws InterruptedException {
        await().atMost(PATIENCE).until(() -> !process.isAlive());
        return process.waitFor();
    }

    String stderr() {
        return read(stderr);
    }

    String stdout() {
        return read(stdout);
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
