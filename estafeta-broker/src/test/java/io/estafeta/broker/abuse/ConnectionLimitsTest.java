package io.estafeta.broker.abuse;

import io.estafeta.broker.Broker;
import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.config.ListenerConfig;
import io.estafeta.broker.testsupport.Packets;
import io.estafeta.broker.testsupport.RawMqttConnection;
import io.estafeta.broker.testsupport.TestBroker;
import io.estafeta.broker.testsupport.TestNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.estafeta.broker.testsupport.Waiting.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * max_connections_per_address and max_connections_total, with real sockets: a connection over a limit is
 * closed before its CONNECT is read, so it never sees a CONNACK.
 */
class ConnectionLimitsTest {

    private static final String CLIENT_MACHINE = "127.0.0.1";
    private static final String OTHER_CLIENT_MACHINE = "127.0.0.2";

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (AutoCloseable closeable : opened.reversed()) {
            closeable.close();
        }
    }

    @Test
    void aConnectionBeyondMaxConnectionsPerAddressIsClosedWithoutAConnack() {
        TestBroker broker = keep(TestBroker.start(config -> config.trafficLimits(limits ->
                limits.withMaxConnectionsPerAddress(2))));
        connectAccepted(broker, CLIENT_MACHINE);
        connectAccepted(broker, CLIENT_MACHINE);

        RawMqttConnection third = keep(RawMqttConnection.open(address(broker), CLIENT_MACHINE, 0));
        third.send(Packets.connect(TestNames.clientId("third")).build());

        assertThat(third.awaitClosed()).isEmpty();
        assertThat(broker.estafeta().orElseThrow().metrics().connectionsRefusedPerAddress()).isEqualTo(1);
    }

    @Test
    void connectionsFromAnotherAddressAreNotCountedAgainstTheFirst() {
        TestBroker broker = keep(TestBroker.start(config -> config.trafficLimits(limits ->
                limits.withMaxConnectionsPerAddress(1))));
        connectAccepted(broker, CLIENT_MACHINE);

        connectAccepted(broker, OTHER_CLIENT_MACHINE);
    }

    @Test
    void aClosedConnectionGivesItsAddressItsPlaceBack() {
        TestBroker broker = keep(TestBroker.start(config -> config.trafficLimits(limits ->
                limits.withMaxConnectionsPerAddress(1))));
        RawMqttConnection first = connectAccepted(broker, CLIENT_MACHINE);

        first.disconnect();

        // The count drops when the broker has seen the close; until then a new connection is refused.
        await().untilAsserted(() -> {
            try (RawMqttConnection next = RawMqttConnection.open(address(broker), CLIENT_MACHINE, 0)) {
                next.connectAccepted(TestNames.clientId("next"), true);
            }
        });
    }

    @Test
    void maxConnectionsTotalCountsTheConnectionsOfEveryListener() throws Exception {
        Path data = Files.createTempDirectory("estafeta-limits");
        BrokerConfig config = BrokerConfig.builder()
                .listeners(List.of(new ListenerConfig(0, CLIENT_MACHINE), new ListenerConfig(0, CLIENT_MACHINE)))
                .allowAnonymous(true)
                .persistence(false)
                .dataDirectory(data)
                .trafficLimits(limits -> limits.withMaxConnectionsTotal(2))
                .build();
        Broker broker = keep(Broker.start(config));
        InetSocketAddress first = broker.boundAddresses().get(0);
        InetSocketAddress second = broker.boundAddresses().get(1);
        keep(RawMqttConnection.open(first, null, 0)).connectAccepted(TestNames.clientId("one"), true);
        keep(RawMqttConnection.open(second, null, 0)).connectAccepted(TestNames.clientId("two"), true);

        RawMqttConnection third = keep(RawMqttConnection.open(first, null, 0));
        third.send(Packets.connect(TestNames.clientId("three")).build());

        assertThat(third.awaitClosed()).isEmpty();
        assertThat(broker.metrics().connectionsRefusedAtLimit()).isEqualTo(1);
    }

    private RawMqttConnection connectAccepted(TestBroker broker, String localAddress) {
        RawMqttConnection connection = keep(RawMqttConnection.open(address(broker), localAddress, 0));
        connection.connectAccepted(TestNames.clientId("limited"), true);
        return connection;
    }

    private static InetSocketAddress address(TestBroker broker) {
        return new InetSocketAddress(broker.host(), broker.port());
    }

    private <T extends AutoCloseable> T keep(T closeable) {
        opened.add(closeable);
        return closeable;
    }
}
