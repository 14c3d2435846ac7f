package io.estafeta.broker.durability;

import io.estafeta.broker.Broker;
import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.testsupport.MqttPacket;
import io.estafeta.broker.testsupport.PacketType;
import io.estafeta.broker.testsupport.Packets;
import io.estafeta.broker.testsupport.RawMqttConnection;
import io.estafeta.broker.testsupport.ReasonCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the store's disk is (as good as) full, a QoS 1/2 message for a stored session is refused instead of
 * acknowledged and lost: MQTT 5 says so with reason code 0x97 Quota exceeded, MQTT 3.1.1 (which cannot)
 * closes the connection. The broker keeps serving: a message nobody stores is still acknowledged and
 * what was stored before is still delivered. A free-space reserve larger than any disk makes every write
 * that adds data "not fit", without filling a real disk.
 */
class DiskFullBrokerTest {

    private static final String HOST = "127.0.0.1";
    private static final long MORE_THAN_ANY_DISK = Long.MAX_VALUE;

    @TempDir
    Path dataDirectory;

    private Broker start(long minFreeBytes) {
        return Broker.start(BrokerConfig.builder().localOnlyPort(0).dataDirectory(dataDirectory)
                .persistenceMinFreeBytes(minFreeBytes).build());
    }

    /** An offline persistent session subscribed to full/#, with one message already queued and stored. */
    private void storeOfflineSubscriberWithOneMessage() {
        try (Broker roomy = start(0)) {
            try (RawMqttConnection subscriber = RawMqttConnection.open(HOST, roomy.port())) {
                subscriber.connectAccepted("stored-subscriber", false);
                subscriber.subscribe(1, "full/#", 1);
                subscriber.disconnect();
            }
            try (RawMqttConnection publisher = RawMqttConnection.open(HOST, roomy.port())) {
                publisher.connectAccepted("early-publisher", true);
                publisher.publishQos1("full/before", "stored before the disk filled up", 1);
                publisher.disconnect();
            }
        }
    }

    @Test
    void anMqtt5PublishThatCannotBeStoredGetsQuotaExceeded() {
        storeOfflineSubscriberWithOneMessage();
        try (Broker full = start(MORE_THAN_ANY_DISK);
             RawMqttConnection publisher = RawMqttConnection.open(HOST, full.port())) {
            publisher.connect5Accepted("mqtt5-publisher");
            publisher.send(Packets.publish5("full/after").qos(1).packetId(1).payload("no room").build());
            assertThat(publisher.expectAck(PacketType.PUBACK, 1).reasonCode()).isEqualTo(ReasonCodes.QUOTA_EXCEEDED);
            publisher.send(Packets.publish5("full/after").qos(2).packetId(2).payload("no room").build());
            assertThat(publisher.expectAck(PacketType.PUBREC, 2).reasonCode()).isEqualTo(ReasonCodes.QUOTA_EXCEEDED);
            assertThat(full.metrics().publishesRefusedByStore()).isEqualTo(2);

            // A message no stored session wants needs no room: acknowledged as usual.
            publisher.send(Packets.publish5("elsewhere").qos(1).packetId(3).payload("fine").build());
            assertThat(publisher.expectAck(PacketType.PUBACK, 3).reasonCode())
                    .isEqualTo(ReasonCodes.NO_MATCHING_SUBSCRIBERS);
        }
    }

    @Test
    void anMqtt311PublisherWhoseMessageCannotBeStoredIsDisconnectedNotAcknowledged() {
        storeOfflineSubscriberWithOneMessage();
        try (Broker full = start(MORE_THAN_ANY_DISK);
             RawMqttConnection publisher = RawMqttConnection.open(HOST, full.port())) {
            publisher.connectAccepted("mqtt311-publisher", true);
            publisher.send(Packets.publish("full/after").qos(1).packetId(1).payload("no room").build());
            List<MqttPacket> beforeClose = publisher.awaitClosed();
            assertThat(beforeClose).noneMatch(packet -> packet.type() == PacketType.PUBACK);
        }
    }

    @Test
    void whatWasStoredBeforeTheDiskFilledUpIsStillDelivered() {
        storeOfflineSubscriberWithOneMessage();
        try (Broker full = start(MORE_THAN_ANY_DISK);
             RawMqttConnection subscriber = RawMqttConnection.open(HOST, full.port())) {
            subscriber.connectAccepted("stored-subscriber", false);
            MqttPacket delivered = subscriber.receivePublishAndAcknowledge();
            assertThat(delivered.payloadAsString()).isEqualTo("stored before the disk filled up");
        }
    }
}
