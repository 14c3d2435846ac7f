package io.estafeta.broker.fuzz;

import io.estafeta.broker.testsupport.Packets;
import io.estafeta.broker.testsupport.RawMqttConnection;
import io.estafeta.broker.testsupport.TestBroker;
import io.estafeta.broker.testsupport.TestNames;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bounded fuzz run against a live broker: valid MQTT packets, mutated (bytes flipped, cut, repeated,
 * spliced), sent over real sockets. Whatever arrives, the broker may only answer or close that one
 * connection: after every case an honest client must still connect, subscribe and get its own message
 * back, which fails if an event loop died or the broker wedged. Longer runs: see docs/SECURITY.md.
 */
class LiveBrokerFuzzTest {

    /** A short run in the suite; {@code -Destafeta.fuzz.cases=100000} for a long one. */
    private static final int CASES = Integer.getInteger("estafeta.fuzz.cases", 200);
    private static final Duration SOCKET_TIMEOUT = Duration.ofMillis(50);
    private static TestBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = TestBroker.start(config -> config.maxPacketSize(64 * 1024).connectTimeout(Duration.ofSeconds(2)));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void mutatedPacketsNeverHurtTheBrokerOrOtherClients() {
        mutatedSessions().sampleStream().limit(CASES).forEach(LiveBrokerFuzzTest::sendAndCheck);
    }

    private static void sendAndCheck(byte[] bytes) {
        try (Socket socket = new Socket("127.0.0.1", broker.port())) {
            socket.setSoTimeout((int) SOCKET_TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            try {
                out.write(bytes);
                out.flush();
                // Read whatever the broker says until it closes or goes quiet; any answer is fine.
                byte[] sink = new byte[4096];
                while (socket.getInputStream().read(sink) >= 0) {
                    // drain
                }
            } catch (IOException closedOrQuiet) {
                // The broker closing the connection (reset) or staying silent are both acceptable.
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not even connect: the broker is not accepting", e);
        }
        assertHonestClientIsServed();
    }

    private static void assertHonestClientIsServed() {
        String topic = TestNames.topic("fuzz-canary");
        try (RawMqttConnection canary = RawMqttConnection.open(broker)) {
            canary.connectAccepted(TestNames.clientId("canary"), true);
            canary.subscribe(1, topic, 0);
            canary.publishQos0(topic, "alive");
            assertThat(canary.receivePublishAndAcknowledge().payloadAsString()).isEqualTo("alive");
        }
    }

    private static Arbitrary<byte[]> mutatedSessions() {
        Arbitrary<byte[]> session = Arbitraries.of(validSessions());
        Arbitrary<Integer> position = Arbitraries.integers().between(0, 4096);
        Arbitrary<Integer> mutation = Arbitraries.integers().between(0, 4);
        Arbitrary<Byte> value = Arbitraries.bytes();
        return Combinators.combine(session, position, mutation, value).as(LiveBrokerFuzzTest::mutate);
    }

    private static byte[] mutate(byte[] valid, int position, int mutation, byte value) {
        int at = position % valid.length;
        return switch (mutation) {
            case 0 -> { // flip one byte
                byte[] copy = valid.clone();
                copy[at] = value;
                yield copy;
            }
            case 1 -> java.util.Arrays.copyOf(valid, at); // cut short
            case 2 -> Packets.concat(valid, valid); // say everything twice (second CONNECT etc.)
            case 3 -> { // insert a byte
                byte[] copy = new byte[valid.length + 1];
                System.arraycopy(valid, 0, copy, 0, at);
                copy[at] = value;
                System.arraycopy(valid, at, copy, at + 1, valid.length - at);
                yield copy;
            }
            default -> { // set the high bit of a byte (lengths, flags, UTF-8)
                byte[] copy = valid.clone();
                copy[at] = (byte) (copy[at] | 0x80);
                yield copy;
            }
        };
    }

    /** Byte streams a real client could send: a CONNECT (3.1.1 or 5.0) followed by other packets. */
    private static List<byte[]> validSessions() {
        byte[] connect311 = Packets.connect("fuzz311").build();
        byte[] connect5 = Packets.connect5("fuzz5").build();
        byte[] subscribe = Packets.subscribe(1, "fuzz/+/x", 1);
        byte[] publish = Packets.publish("fuzz/a/x").qos(1).packetId(2).payload("payload").build();
        byte[] publish5 = Packets.publish5("fuzz/a/x").qos(2).packetId(3).payload("five")
                .properties(Packets.properties()).build();
        return List.of(
                connect311,
                Packets.concat(connect311, subscribe, publish, Packets.pubrel(2), Packets.pingreq()),
                Packets.concat(connect311, publish, Packets.unsubscribe(4, "fuzz/#"), Packets.disconnect()),
                connect5,
                Packets.concat(connect5, publish5, Packets.pubrel(3), Packets.pingreq()),
                Packets.concat(connect5, Packets.subscribe5(5).filter("fuzz/#", 2).build(),
                        Packets.unsubscribe5(6, "fuzz/#")));
    }
}
