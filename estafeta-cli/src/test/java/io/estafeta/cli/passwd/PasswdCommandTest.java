package io.estafeta.cli.passwd;

import io.estafeta.broker.Broker;
import io.estafeta.broker.auth.PasswordFile;
import io.estafeta.broker.auth.PasswordHash;
import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.cli.client.ClientErrors;
import io.estafeta.testkit.MosquittoBroker;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code estafeta passwd} run in-process with stdin and stdout captured; its messages and exit statuses are
 * the ones the installed {@code mosquitto_passwd} 2.0 gives for the same command lines.
 */
class PasswdCommandTest {

    /** Few iterations: the tests check the file, not the cost of an attack on it. */
    private static final String FAST = "5";
    /** Mosquitto started as root drops to user "mosquitto", who cannot read a 0600 file in a 0700 directory. */
    private static final String STAY_ROOT = "user root";
    private static final Path MOSQUITTO_PASSWD = Path.of("/usr/bin/mosquitto_passwd");

    @TempDir
    Path directory;

    record Result(int status, String out, String err) {
    }

    private static Result passwd(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        PasswdCommand command = new PasswdCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        CommandLine commandLine = ClientErrors.install(new CommandLine(command))
                .setErr(new PrintWriter(err, true));
        int status = commandLine.execute(args);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString());
    }

    private static Result batch(String... args) {
        return passwd("", args);
    }

    private static boolean verifies(Path file, String username, String password) throws Exception {
        return PasswordFile.load(file).hashOf(username).orElseThrow()
                .verify(password.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void batchModeCreatesAFileWhosePbkdf2HashChecksThePassword() throws Exception {
        Path file = directory.resolve("passwords");

        Result result = batch("-c", "-b", "-I", FAST, file.toString(), "alice", "secret");

        assertThat(result.status()).isZero();
        assertThat(Files.readString(file)).startsWith("alice:$7$5$");
        assertThat(verifies(file, "alice", "secret")).isTrue();
        assertThat(verifies(file, "alice", "wrong")).isFalse();
    }

    @Test
    void withoutIterationsTheHashUsesEstafetasDefaultCount() throws Exception {
        Path file = directory.resolve("passwords");

        batch("-c", "-b", file.toString(), "alice", "secret");

        assertThat(PasswordFile.load(file).hashOf("alice").orElseThrow().parameters().iterations())
                .isEqualTo(PasswordHash.DEFAULT_ITERATIONS);
    }

    @Test
    void batchModeAddsAUserAndReplacesAnExistingOnesPasswordKeepingTheOthers() throws Exception {
        Path file = directory.resolve("passwords");
        batch("-c", "-b", "-I", FAST, file.toString(), "alice", "one");
        batch("-b", "-I", FAST, file.toString(), "bob", "two");

        Result result = batch("-b", "-I", FAST, file.toString(), "alice", "three");

        assertThat(result.status()).isZero();
        assertThat(PasswordFile.load(file).usernames()).containsExactly("alice", "bob");
        assertThat(verifies(file, "alice", "three")).isTrue();
        assertThat(verifies(file, "bob", "two")).isTrue();
    }

    @Test
    void withoutBatchModeThePasswordIsReadTwiceFromStdinWhenThereIsNoTerminal() throws Exception {
        Path file = directory.resolve("passwords");

        Result result = passwd("secret\nsecret\n", "-c", "-I", FAST, file.toString(), "alice");

        assertThat(result.status()).isZero();
        assertThat(result.out()).isEqualTo("Password: " + System.lineSeparator() + "Reenter password: "
                + System.lineSeparator());
        assertThat(verifies(file, "alice", "secret")).isTrue();
    }

    @Test
    void twoDifferentPasswordsAreRefusedWithStatusTwoAndNoFile() {
        Path file = directory.resolve("passwords");

        Result result = passwd("one\ntwo\n", "-c", file.toString(), "alice");

        assertThat(result.status()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("Error: Passwords do not match." + System.lineSeparator());
        assertThat(file).doesNotExist();
    }

    @Test
    void anEmptyTypedPasswordIsRefused() {
        Path file = directory.resolve("passwords");

        Result result = passwd("\n\n", "-c", file.toString(), "alice");

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).startsWith("Error: Empty password.");
        assertThat(file).doesNotExist();
    }

    @Test
    void deleteRemovesTheUser() throws Exception {
        Path file = directory.resolve("passwords");
        batch("-c", "-b", "-I", FAST, file.toString(), "alice", "one");
        batch("-b", "-I", FAST, file.toString(), "bob", "two");

        Result result = batch("-D", file.toString(), "alice");

        assertThat(result.status()).isZero();
        assertThat(PasswordFile.load(file).usernames()).containsExactly("bob");
    }

    @Test
    void deletingAnUnknownUserIsAWarningWithStatusOneLikeMosquittoPasswd() throws Exception {
        Path file = directory.resolve("passwords");
        batch("-c", "-b", "-I", FAST, file.toString(), "alice", "one");

        Result result = batch("-D", file.toString(), "nobody");

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).startsWith("Warning: User nobody not found in password file.");
        assertThat(PasswordFile.load(file).usernames()).containsExactly("alice");
    }

    @Test
    void changingAFileThatDoesNotExistNeedsMinusC() {
        Path file = directory.resolve("missing");

        Result result = batch("-b", file.toString(), "alice", "one");

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).startsWith("Error: Unable to open password file " + file
                + ". No such file or directory.");
        assertThat(file).doesNotExist();
    }

    @Test
    void minusUHashesAPlainTextFileInPlace() throws Exception {
        Path file = directory.resolve("passwords");
        Files.writeString(file, "# users\nalice:one\nbob:two:three\n");

        Result result = batch("-U", "-I", FAST, file.toString());

        assertThat(result.status()).isZero();
        assertThat(Files.readString(file)).startsWith("# users\nalice:$7$5$");
        assertThat(verifies(file, "alice", "one")).isTrue();
        assertThat(verifies(file, "bob", "two:three")).isTrue();
    }

    @Test
    void minusUOnAHashedFileIsRefusedAndLeavesItAlone() throws Exception {
        Path file = directory.resolve("passwords");
        batch("-c", "-b", "-I", FAST, file.toString(), "alice", "one");
        String before = Files.readString(file);

        Result result = batch("-U", file.toString());

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).startsWith("Error: ");
        assertThat(Files.readString(file)).isEqualTo(before);
    }

    @Test
    void minusHSha512WritesAMosquitto1Hash() throws Exception {
        Path file = directory.resolve("passwords");

        batch("-c", "-b", "-H", "sha512", file.toString(), "alice", "one");

        assertThat(Files.readString(file)).startsWith("alice:$6$");
        assertThat(verifies(file, "alice", "one")).isTrue();
    }

    @Test
    void scramWritesAScramSha256EntryThatChecksPlainPasswords() throws Exception {
        Path file = directory.resolve("passwords");

        Result result = batch("-c", "-b", "--scram", file.toString(), "alice", "one");

        assertThat(result.status()).isZero();
        assertThat(Files.readString(file)).startsWith("alice:$scram-sha-256$" + PasswdCommand.SCRAM_DEFAULT_ITERATIONS
                + "$");
        PasswordHash hash = PasswordFile.load(file).hashOf("alice").orElseThrow();
        assertThat(hash.scramCredential()).isPresent();
        assertThat(verifies(file, "alice", "one")).isTrue();
    }

    @Test
    void anUnknownHashTypeIsRefused() {
        Result result = batch("-c", "-b", "-H", "md5", directory.resolve("p").toString(), "alice", "one");

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).startsWith("Error: Unknown hash type 'md5'");
    }

    @Test
    void iterationsMustBeAPositiveNumber() {
        Result zero = batch("-c", "-b", "-I", "0", directory.resolve("p").toString(), "alice", "one");
        Result text = batch("-c", "-b", "-I", "many", directory.resolve("p").toString(), "alice", "one");

        assertThat(List.of(zero.status(), text.status())).containsOnly(1);
        assertThat(zero.err()).startsWith("Error: Number of iterations must be > 0.");
        assertThat(text.err()).startsWith("Error: Number of iterations must be > 0.");
    }

    @Test
    void createAndDeleteTogetherAreRefused() {
        Result result = batch("-c", "-D", directory.resolve("p").toString(), "alice");

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).startsWith("Error: -c and -D cannot be used together.");
    }

    @Test
    void aUsernameWithAColonIsRefused() {
        Result result = batch("-c", "-b", directory.resolve("p").toString(), "a:b", "one");

        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).startsWith("Error: Username must not contain the ':' character.");
    }

    @Test
    void missingArgumentsAreAUsageErrorWithStatusOne() {
        Result create = batch("-c", "-b", directory.resolve("p").toString(), "alice");
        Result plain = batch(directory.resolve("p").toString());
        Result unknownOption = batch("-x", directory.resolve("p").toString(), "alice");

        assertThat(create.err()).startsWith(
                "Error: -c argument given but password file, username, or password missing.");
        assertThat(List.of(create.status(), plain.status(), unknownOption.status())).containsOnly(1);
        assertThat(unknownOption.err()).startsWith("Error: Unknown option '-x'.");
    }

    @Test
    void aFileWrittenByEstafetaPasswdAuthenticatesAgainstEstafetasBroker() throws Exception {
        Path file = directory.resolve("passwords");
        batch("-c", "-b", "-I", FAST, file.toString(), "alice", "secret");
        batch("-b", "--scram", file.toString(), "bob", "other");

        BrokerConfig config = BrokerConfig.builder().persistence(false).localOnlyPort(0).allowAnonymous(false)
                .passwordFile(file).build();
        try (Broker broker = Broker.start(config)) {
            String uri = "tcp://127.0.0.1:" + broker.boundAddresses().get(0).getPort();
            assertThat(connects(uri, "alice", "secret")).isTrue();
            assertThat(connects(uri, "bob", "other")).isTrue();
            assertThatThrownBy(() -> connects(uri, "alice", "wrong")).isInstanceOf(MqttException.class);
        }
    }

    @Test
    void mosquittoPasswdCanUpdateAFileWrittenByEstafetaPasswd() throws Exception {
        assumeTrue(Files.isExecutable(MOSQUITTO_PASSWD), "mosquitto_passwd is not installed");
        Path file = directory.resolve("passwords");
        batch("-c", "-b", "-I", FAST, file.toString(), "alice", "secret");

        Process process = new ProcessBuilder(MOSQUITTO_PASSWD.toString(), "-b", file.toString(), "bob", "other")
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).isZero();
        assertThat(verifies(file, "alice", "secret")).isTrue();
        assertThat(verifies(file, "bob", "other")).isTrue();
    }

    @Test
    void mosquittoAcceptsAFileWrittenByEstafetaPasswd() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/mosquitto")), "mosquitto is not installed");
        Path file = directory.resolve("passwords");
        batch("-c", "-b", "-I", FAST, file.toString(), "alice", "secret");

        try (MosquittoBroker mosquitto = MosquittoBroker.start(directory,
                List.of(STAY_ROOT, "allow_anonymous false", "password_file " + file))) {
            String uri = "tcp://" + mosquitto.host() + ":" + mosquitto.port();
            assertThat(connects(uri, "alice", "secret")).isTrue();
            assertThatThrownBy(() -> connects(uri, "alice", "wrong")).isInstanceOf(MqttException.class);
        }
    }

    private static boolean connects(String uri, String username, String password) throws MqttException {
        MqttClient client = new MqttClient(uri, "passwd-test-" + username, new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setUserName(username);
        options.setPassword(password.toCharArray());
        options.setCleanSession(true);
        try {
            client.connect(options);
            boolean connected = client.isConnected();
            client.disconnect();
            return connected;
        } finally {
            client.close();
        }
    }
}
