package io.estafeta.broker.transport;

import io.estafeta.broker.testsupport.MqttPacket;
import io.estafeta.broker.testsupport.Packets;
import io.estafeta.broker.testsupport.PropertyId;
import io.estafeta.broker.testsupport.RawMqttConnection;
import io.estafeta.broker.testsupport.ReasonCodes;
import io.estafeta.broker.testsupport.TestBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** allow_zero_length_clientid, auto_id_prefix and clientid_prefixes, as a client sees them. */
class ClientIdRulesTest {

    /** MQTT 3.1.1 CONNACK return codes. */
    private static final int IDENTIFIER_REJECTED = 0x02;
    private static final int NOT_AUTHORIZED = 0x05;
    private static final int NOT_AUTHORIZED_5 = 0x87;

    private static TestBroker refusingEmptyIds;
    private static TestBroker prefixed;

    @BeforeAll
    static void startBrokers() {
        refusingEmptyIds = TestBroker.start(config -> config.clientIds(rules -> rules.withAllowZeroLength(false)));
        prefixed = TestBroker.start(config -> config.clientIds(rules -> rules.withAutoIdPrefix("gen-")
                .withRequiredPrefixes(List.of("sensor-"))));
    }

    @AfterAll
    static void stopBrokers() {
        refusingEmptyIds.close();
        prefixed.close();
    }

    @Test
    void anEmptyClientIdIsRefusedWithIdentifierRejectedWhenZeroLengthIdsAreNotAllowed() {
        // [MQTT-3.1.3-6] a server MAY allow an empty client id; with allow_zero_length_clientid false it does not.
        try (RawMqttConnection client = RawMqttConnection.open(refusingEmptyIds)) {
            MqttPacket connack = client.connect(Packets.connect("").cleanSession(true));

            assertThat(connack.returnCode()).isEqualTo(IDENTIFIER_REJECTED);
        }
    }

    @Test
    void anEmptyClientIdIsRefusedWith0x85InMqtt5WhenZeroLengthIdsAreNotAllowed() {
        try (RawMqttConnection client = RawMqttConnection.open(refusingEmptyIds)) {
            MqttPacket connack = client.connect(Packets.connect5(""));

            assertThat(connack.reasonCode()).isEqualTo(ReasonCodes.CLIENT_IDENTIFIER_NOT_VALID);
        }
    }

    @Test
    void anAssignedClientIdStartsWithAutoIdPrefix() {
        try (RawMqttConnection client = RawMqttConnection.open(prefixed)) {
            MqttPacket connack = client.connectAccepted(Packets.connect5(""));

            assertThat(connack.properties().string(PropertyId.ASSIGNED_CLIENT_IDENTIFIER)).hasValueSatisfying(
                    id -> assertThat(id).startsWith("gen-"));
        }
    }

    @Test
    void aClientIdWithoutARequiredPrefixIsNotAuthorized() {
        try (RawMqttConnection client = RawMqttConnection.open(prefixed)) {
            assertThat(client.connect(Packets.connect("laptop-1")).returnCode()).isEqualTo(NOT_AUTHORIZED);
        }
        try (RawMqttConnection client = RawMqttConnection.open(prefixed)) {
            assertThat(client.connect(Packets.connect5("laptop-1")).reasonCode()).isEqualTo(NOT_AUTHORIZED_5);
        }
    }

    @Test
    void aClientIdWithARequiredPrefixIsAccepted() {
        try (RawMqttConnection client = RawMqttConnection.open(prefixed)) {
            client.connectAccepted("sensor-7", true);
        }
    }
}
