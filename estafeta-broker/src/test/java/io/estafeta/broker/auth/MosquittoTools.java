package io.estafeta.broker.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs the Mosquitto tools installed on this machine (Debian's mosquitto and mosquitto-clients packages). */
final class MosquittoTools {

    static final Path MOSQUITTO_PASSWD = Path.of("/usr/bin/mosquitto_passwd");
    static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");
    static final Path MOSQUITTO_PUB = Path.of("/usr/bin/mosquitto_pub");
    private static final Duration PROCESS_TIMEOUT = Duration.ofSeconds(30);

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


    /**
     * As root, mosquitto switches to its own user, which cannot read files in a test's temporary
     * directory; this configuration line keeps it as it is (and is ignored when not run as root).
     */
    static final String STAY_ROOT = "user root";
}
