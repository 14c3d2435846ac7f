package io.estafeta.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The walkthrough MQTT tutorials teach, typed as a user would, every step a separate `estafeta` process:
 * hash a plain `juan:123` file with `passwd -U`, start the broker with `allow_anonymous false` and that
 * `password_file`, then `sub -u juan -P 123` receives what `pub -u juan -P 123` sends, and a client
 * without the password is refused.
 */
class TutorialWalkthroughTest {

    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    private Path step(String name) throws Exception {
        return Files.createDirectories(dir.resolve(name));
    }

    @Test
    void passwordProtectedBrokerFromAPlainPasswordFile() throws Exception {
        Path passwords = Files.writeString(dir.resolve("passwords"), "juan:123\n");
        try (BrokerProcess passwd = BrokerProcess.start(step("passwd"), "passwd", "-U", passwords.toString())) {
            assertThat(passwd.awaitExit()).as(passwd.stderr()).isZero();
        }
        assertThat(Files.readString(passwords)).startsWith("juan:$7$").doesNotContain("123\n");

        Path config = Files.writeString(dir.resolve("estafeta.conf"), String.join("\n",
                "listener 0 127.0.0.1",
                "allow_anonymous false",
                "password_file " + passwords,
                ""));
        try (BrokerProcess broker = BrokerProcess.start(step("broker"), "broker", "-c", config.toString())) {
            Matcher listening = broker.awaitLog(LISTENING);
            String port = listening.group(1);

            try (BrokerProcess sub = BrokerProcess.start(step("sub"), "sub", "-h", "127.0.0.1", "-p", port,
                    "-t", "tutorial/#", "-v", "-C", "1", "-W", "30", "-u", "juan", "-P", "123")) {
                broker.awaitLog(Pattern.compile("client \\S+ connected"));
                // Retained (-r), so the message reaches the subscriber even if its SUBSCRIBE is still on
                // the way when the publisher's process gets there first.
                try (BrokerProcess pub = BrokerProcess.start(step("pub"), "pub", "-h", "127.0.0.1", "-p", port,
                        "-t", "tutorial/hello", "-m", "hola", "-r", "-u", "juan", "-P", "123")) {
                    assertThat(pub.awaitExit()).as(pub.stderr()).isZero();
                }
                assertThat(sub.awaitExit()).as(sub.stderr()).isZero();
                assertThat(sub.stdout()).isEqualTo("tutorial/hello hola\n");
            }

            try (BrokerProcess intruder = BrokerProcess.start(step("intruder"), "pub", "-h", "127.0.0.1",
                    "-p", port, "-t", "tutorial/hello", "-m", "forged")) {
                assertThat(intruder.awaitExit()).isNotZero();
                assertThat(intruder.stderr()).contains("not authorised");
            }
            broker.terminate();
            assertThat(broker.awaitExit()).isZero();
        }
    }
}
