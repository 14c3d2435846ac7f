package io.estafeta.broker.auth;

import io.estafeta.testkit.MosquittoBroker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static io.estafeta.broker.auth.MosquittoTools.MOSQUITTO;
import static io.estafeta.broker.auth.MosquittoTools.MOSQUITTO_PASSWD;
import static io.estafeta.broker.auth.MosquittoTools.MOSQUITTO_PUB;
import static io.estafeta.broker.auth.MosquittoTools.assumeInstalled;
import static io.estafeta.broker.auth.MosquittoTools.run;
import static io.estafeta.broker.auth.MosquittoTools.succeed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Password files travel both ways between Mosquitto and Estafeta: files written by the real
 * {@code mosquitto_passwd} are read here, and files written here are read by {@code mosquitto_passwd} and by
 * the real {@code mosquitto} broker. Skipped where Mosquitto is not installed.
 */
class MosquittoPasswordInteropTest {

    /** Low, to keep the test fast: the format is what is checked, not the cost. */
    private static final int FEW_ITERATIONS = 1000;

    @TempDir
    Path dir;

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean verifies(PasswordFile file, String username, String password) {
        return file.hashOf(username).orElseThrow().verify(bytes(password));
    }

    @Test
    void mosquittoPasswdDefaultPbkdf2FileIsAccepted() throws Exception {
        assumeInstalled(MOSQUITTO_PASSWD);
        Path file = dir.resolve("passwd");
        succeed(MOSQUITTO_PASSWD, "-b", "-c", file.toString(), "alice", "s3cret pass!");

        PasswordFile passwords = PasswordFile.load(file);

        assertThat(passwords.hashOf("alice").orElseThrow().parameters())
                .isEqualTo(new PasswordHash.Parameters(PasswordHash.Algorithm.SHA512_PBKDF2,
                        PasswordHash.MOSQUITTO_DEFAULT_ITERATIONS));
        assertThat(verifies(passwords, "alice", "s3cret pass!")).isTrue();
        assertThat(verifies(passwords, "alice", "s3cret pass")).isFalse();
    }

    @Test
    void mosquittoPasswdSha512FileIsAccepted() throws Exception {
        assumeInstalled(MOSQUITTO_PASSWD);
        Path file = dir.resolve("passwd");
        succeed(MOSQUITTO_PASSWD, "-H", "sha512", "-b", "-c", file.toString(), "bob", "hunter2");

        PasswordFile passwords = PasswordFile.load(file);

        assertThat(passwords.hashOf("bob").orElseThrow().parameters().algorithm())
                .isEqualTo(PasswordHash.Algorithm.SHA512);
        assertThat(verifies(passwords, "bob", "hunter2")).isTrue();
        assertThat(verifies(passwords, "bob", "hunter3")).isFalse();
    }

    @Test
    void mosquittoPasswdFilesWithSeveralUsersIterationCountsAndAnEmptyPasswordAreAccepted() throws Exception {
        assumeInstalled(MOSQUITTO_PASSWD);
        Path file = dir.resolve("passwd");
        succeed(MOSQUITTO_PASSWD, "-b", "-c", file.toString(), "alice", "one");
        succeed(MOSQUITTO_PASSWD, "-I", "7", "-b", file.toString(), "bob", "two");
        succeed(MOSQUITTO_PASSWD, "-b", file.toString(), "carol", "");

        PasswordFile passwords = PasswordFile.load(file);

        assertThat(passwords.usernames()).containsExactly("alice", "bob", "carol");
        assertThat(passwords.hashOf("bob").orElseThrow().parameters().iterations()).isEqualTo(7);
        assertThat(verifies(passwords, "alice", "one")).isTrue();
        assertThat(verifies(passwords, "bob", "two")).isTrue();
        assertThat(verifies(passwords, "carol", "")).isTrue();
        assertThat(verifies(passwords, "carol", "one")).isFalse();
    }

    @Test
    void mosquittoPasswdUpdatesAndDeletesInAFileWrittenByEstafeta() throws Exception {
        assumeInstalled(MOSQUITTO_PASSWD);
        Path file = dir.resolve("passwd");
        PasswordFile.empty()
                .withUser("alice", PasswordHash.create(bytes("from-estafeta"), FEW_ITERATIONS))
                .withUser("dave", PasswordHash.create(bytes("leaving"), FEW_ITERATIONS))
                .write(file);

        succeed(MOSQUITTO_PASSWD, "-b", file.toString(), "bob", "from-mosquitto");
        succeed(MOSQUITTO_PASSWD, "-D", file.toString(), "dave");

        PasswordFile passwords = PasswordFile.load(file);
        assertThat(passwords.usernames()).containsExactly("alice", "bob");
        assertThat(verifies(passwords, "alice", "from-estafeta")).isTrue();
        assertThat(verifies(passwords, "bob", "from-mosquitto")).isTrue();
    }

    @Test
    void theMosquittoBrokerAcceptsPasswordsHashedByEstafeta() throws Exception {
        assumeInstalled(MOSQUITTO, MOSQUITTO_PUB);
        Path file = dir.resolve("passwd");
        PasswordFile.empty()
                .withUser("alice", PasswordHash.create(bytes("wonderland"), FEW_ITERATIONS))
                .withUser("bob", PasswordHash.create(new PasswordHash.Parameters(PasswordHash.Algorithm.SHA512, 1),
                        bytes("builder")))
                .write(file);

        try (MosquittoBroker mosquitto = MosquittoBroker.start(dir, List.of(MosquittoTools.STAY_ROOT,
                "allow_anonymous false", "password_file " + file))) {
            String port = String.valueOf(mosquitto.port());
            String[] publish = {"-h", "127.0.0.1", "-p", port, "-t", "interop", "-m", "x"};

            assertThat(publishAs(publish, "alice", "wonderland").exitCode()).as(mosquitto.logText()).isZero();
            assertThat(publishAs(publish, "bob", "builder").exitCode()).as(mosquitto.logText()).isZero();
            MosquittoTools.Result refused = publishAs(publish, "alice", "wrong");
            assertThat(refused.exitCode()).isNotZero();
            assertThat(refused.output()).contains("not authorised");
        }
    }

    private static MosquittoTools.Result publishAs(String[] publish, String username, String password)
            throws IOException, InterruptedException {
        String[] arguments = new String[publish.length + 4];
        System.arraycopy(publish, 0, arguments, 0, publish.length);
        arguments[publish.length] = "-u";
        arguments[publish.length + 1] = username;
        arguments[publish.length + 2] = "-P";
        arguments[publish.length + 3] = password;
        return run(MOSQUITTO_PUB, arguments);
    }
}
