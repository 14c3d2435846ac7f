package io.estafeta.broker.store.rocksdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts {@link StoreChildProcess} in a JVM of its own, with this test run's class path. Its standard
 * output goes to a file, so that what it printed before being killed can still be read afterwards.
 */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final Path output;
    private final Path errors;

    private ChildJvm(Process process, Path output, Path errors) {
        this.process = process;
        this.output = output;
        this.errors = errors;
    }

    static ChildJvm start(Path workDirectory, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx128m",
                "-cp", System.getProperty("java.class.path"),
                StoreChildProcess.class.getName()));
        command.addAll(List.of(args));
        Path output = workDirectory.resolve("child.out");
        Path errors = workDirectory.resolve("child.err");
        Process process = new ProcessBuilder(command).redirectOutput(output.toFile()).redirectError(errors.toFile())
                .start();
        return new ChildJvm(process, output, errors);
    }

    /** The protocol lines the child printed so far (its log lines left out). */
    List<String> lines() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
            if (line.startsWith(StoreChildProcess.OPEN) || line.startsWith(StoreChildProcess.ACK)) {
                lines.add(line);
            }
        }
        return lines;
    }

    String errors() throws IOException {
        return Files.readString(errors, StandardCharsets.UTF_8);
    }

    Process process() {
        return process;
    }

    /** Kills the child with SIGKILL: no shutdown hooks, no flush, no close. */
    void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            killHard();
        }
    }
}
