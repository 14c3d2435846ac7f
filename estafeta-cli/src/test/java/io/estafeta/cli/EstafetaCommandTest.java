package io.estafeta.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** The top-level {@code estafeta} command. */
class EstafetaCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void helpListsTheBrokerCommandAndTheExitStatuses() {
        int status = execute("--help");

        assertThat(status).isZero();
        assertThat(out.toString()).contains("broker").contains("Exit status:")
                .contains("3   invalid or unreadable configuration file");
    }

    @Test
    void benchHelpListsItsScenarios() {
        int status = execute("bench", "--help");

        assertThat(status).isZero();
        assertThat(out.toString()).contains("Usage: estafeta bench")
                .contains("fanin").contains("fanout").contains("pairs").contains("latency").contains("conns");
    }

    @Test
    void benchScenarioHelpShowsTheLoadOptions() {
        int status = execute("bench", "fanin", "--help");

        assertThat(status).isZero();
        assertThat(out.toString()).contains("--publishers").contains("--qos").contains("--rate")
                .contains("--protocol-version").contains("--json");
    }

    @Test
    void versionIsTheProjectVersionMavenBuilt() {
        int status = execute("--version");

        assertThat(status).isZero();
        assertThat(out.toString()).containsPattern("^estafeta \\d+\\.\\d+\\.\\d+");
    }

    @Test
    void withoutACommandItIsAUsageErrorNamingTheCommands() {
        int status = execute();

        assertThat(status).isEqualTo(ExitStatus.USAGE);
        assertThat(err.toString()).contains("a command is required").contains("broker");
    }

    private int execute(String... args) {
        return new CommandLine(new EstafetaCommand())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
    }
}
