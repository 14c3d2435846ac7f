package io.estafeta.broker.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a class's {@code main} in a JVM of its own, with this test run's class path. Its standard output
 * goes to a file, so that what it printed before being killed can still be read afterwards.
 */
public final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final Path output;
    private final Path errors;

    private ChildJvm(Process process, Path output, Path errors) {
        this.process = process;
        this.output = output;
        this.errors = errors;
    }

    /**
     * @param workDirectory where its output files go (one child per directory at a time)
     */
    public static ChildJvm start(Path workDirectory, Class<?> mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"),
                mainClass.getName()));
        command.addAll(List.of(args));
        Path output = workDirectory.resolve("child.out");
        Path errors = workDirectory.resolve("child.err");
        Process process = new ProcessBuilder(command).redirectOutput(output.toFile()).redirectError(errors.toFile())
                .start();
        return new ChildJvm(process, output, errors);
    }

    /** The lines the child printed so far that start with one of {@code prefixes} (log lines left out). */
    public List<String> lines(String... prefixes) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
            for (String prefix : prefixes) {
                if (line.startsWith(prefix)) {
                    lines.add(line);
                    break;
                }
            }
        }
        return lines;
    }

    public String errors() throws IOException {
        return Files.readString(errors, StandardCharsets.UTF_8);
    }

    public Process process() {
        return process;
    }

    /** Kills the child with SIGKILL: no shutdown hooks, no flush, no close. */
    public void killHard() throws InterruptedException {
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
