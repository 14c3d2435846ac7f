package io.estafeta.cli;

import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.config.ConfigException;
import io.estafeta.broker.config.ListenerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** How the options of {@code estafeta broker} become a BrokerConfig; nothing is started here. */
class BrokerCommandTest {

    @TempDir
    Path dir;

    private final BrokerCommand command = new BrokerCommand();
    private final StringWriter err = new StringWriter();

    @Test
    void withoutOptionsTheBrokerIsTheDefaultOneOnLoopback1883AllowingAnonymousClients() throws Exception {
        BrokerConfig config = configFor();

        assertThat(config).isEqualTo(BrokerConfig.defaults());
        assertThat(config.listeners()).containsExactly(new ListenerConfig(1883, "127.0.0.1"));
        assertThat(config.allowAnonymous()).isTrue();
    }

    @Test
    void portWithoutConfigFileMovesTheLoopbackListenerAndStaysLocalOnly() throws Exception {
        BrokerConfig config = configFor("-p", "1884");

        assertThat(config.listeners()).containsExactly(new ListenerConfig(1884, "127.0.0.1"));
        assertThat(config.allowAnonymous()).isTrue();
    }

    @Test
    void dataDirReplacesTheDataDirectory() throws Exception {
        BrokerConfig config = configFor("--data-dir", "/var/lib/estafeta");

        assertThat(config.dataDirectory()).isEqualTo(Path.of("/var/lib/estafeta"));
    }

    @Test
    void configFileListenersAndAnonymousSettingAreUsed() throws Exception {
        Path file = configFile("""
                listener 1885 127.0.0.2
                allow_anonymous true
                """);

        BrokerConfig config = configFor("-c", file.toString());

        assertThat(config.listeners()).containsExactly(new ListenerConfig(1885, "127.0.0.2"));
        assertThat(config.allowAnonymous()).isTrue();
    }

    @Test
    void portWithConfigFileReplacesItsListenersByOneOnTheFirstListenersAddress() throws Exception {
        Path file = configFile("""
                listener 1885 127.0.0.2
                listener 1886
                """);

        BrokerConfig config = configFor("-c", file.toString(), "-p", "2000");

        assertThat(config.listeners()).containsExactly(new ListenerConfig(2000, "127.0.0.2"));
    }

    @Test
    void portWithConfigFileKeepsTheFilesChoiceOnAnonymousClients() throws Exception {
        // Mosquitto 2: a file with its own listener denies anonymous clients unless it says otherwise.
        Path file = configFile("listener 1885\n");

        BrokerConfig config = configFor("-c", file.toString(), "-p", "2000");

        assertThat(config.allowAnonymous()).isFalse();
    }

    @Test
    void dataDirOverridesTheConfigFilesDataDirectory() throws Exception {
        Path file = configFile("listener 1885\n");

        BrokerConfig config = configFor("-c", file.toString(), "--data-dir", "/srv/estafeta");

        assertThat(config.dataDirectory()).isEqualTo(Path.of("/srv/estafeta"));
    }

    @Test
    void eachWarningOfTheConfigFileIsPrintedAsAnEstafetaWarning() throws Exception {
        Path file = configFile("""
                listener 1885
                no_such_directive 1
                """);

        configFor("-c", file.toString());

        assertThat(err.toString()).startsWith("estafeta: warning: " + file + ":2: ").contains("no_such_directive");
    }

    @Test
    void anInvalidConfigFileEndsWithStatus3AndTheParsersMessage() throws Exception {
        Path file = configFile("""
                listener 1885
                max_inflight_messages lots
                """);

        int status = execute("-c", file.toString());

        assertThat(status).isEqualTo(ExitStatus.CONFIGURATION);
        assertThat(err.toString()).startsWith("estafeta: " + file + ":2: ").contains("max_inflight_messages");
    }

    @Test
    void aMissingConfigFileEndsWithStatus3() {
        int status = execute("-c", dir.resolve("absent.conf").toString());

        assertThat(status).isEqualTo(ExitStatus.CONFIGURATION);
        assertThat(err.toString()).startsWith("estafeta: ").contains("absent.conf");
    }

    @Test
    void aPortOutsideTcpsRangeIsAUsageError() {
        int status = execute("-p", "65536");

        assertThat(status).isEqualTo(ExitStatus.USAGE);
        assertThat(err.toString()).contains("invalid port 65536");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        int status = execute("--no-such-option");

        assertThat(status).isEqualTo(ExitStatus.USAGE);
        assertThat(err.toString()).contains("--no-such-option");
    }

    @Test
    void listenerAddressesArePrintedAsClientsWriteThem() throws Exception {
        assertThat(BrokerCommand.format(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 1883)))
                .isEqualTo("127.0.0.1:1883");
        assertThat(BrokerCommand.format(new InetSocketAddress(InetAddress.getByName("::1"), 1883)))
                .isEqualTo("[0:0:0:0:0:0:0:1]:1883");
    }

    private BrokerConfig configFor(String... args) throws ConfigException {
        new CommandLine(command).parseArgs(args);
        return command.resolveConfig(new PrintWriter(err, true));
    }

    /** Runs the command in this JVM; only for cases that end before the broker would start. */
    private int execute(String... args) {
        return new CommandLine(command).setErr(new PrintWriter(err, true)).execute(args);
    }

    private Path configFile(String content) throws Exception {
        return Files.writeString(dir.resolve("estafeta.conf"), content);
    }
}
