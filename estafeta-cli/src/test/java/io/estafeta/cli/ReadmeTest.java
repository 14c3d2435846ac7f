package io.estafeta.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's first code block holds the two set-up commands (run the broker, run the tests), and
 * .ci/run must run exactly that test command, so that what CI checks is what a reader is told to run.
 */
class ReadmeTest {

    private static final Path ROOT = RepositoryRoot.path();

    @Test
    void ciScriptRunsTheReadmesTestCommandAndTheReadmeStartsTheBrokerWithTheLauncher() throws Exception {
        List<String> commands = firstCodeBlockCommands();

        assertThat(commands).hasSize(2);
        assertThat(commands.get(0)).isEqualTo("bin/estafeta broker");
        assertThat(Files.readAllLines(ROOT.resolve(".ci/run")))
                .anySatisfy(line -> assertThat(line).startsWith(commands.get(1)));
    }

    @Test
    void scriptsAreExecutable() {
        for (String script : List.of("bin/estafeta", "bin/with-jdk", ".ci/run", "mvnw")) {
            assertThat(ROOT.resolve(script)).as(script).isExecutable();
        }
    }

    /** The lines of the README's first fenced block that are not comments. */
    private static List<String> firstCodeBlockCommands() throws Exception {
        List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("```")) {
                start = i + 1;
                break;
            }
        }
        assertThat(start).as("a code block in README.md").isPositive();
        return lines.subList(start, lines.size()).stream()
                .takeWhile(line -> !line.startsWith("```"))
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
    }
}
