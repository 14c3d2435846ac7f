package io.estafeta.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttVersion;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** The two times a PUBLISH carries (scheduled and actual send) and what a subscriber makes of them. */
class DeliveryLatencyTest {

    private static final long SCHEDULED = 1_000_000;
    private static final long SENT = 1_400_000;
    private static final long ARRIVED = 2_000_000;

    @ParameterizedTest(name = "payload {0} B, MQTT {1}, QoS {2}")
    @CsvSource({"64, MQTT_3_1_1, 0", "64, MQTT_3_1_1, 1", "16, MQTT_5, 1"})
    void aSubscriberMeasuresFromTheScheduledSendAndApartFromTheActualOne(int payloadSize, MqttVersion version,
                                                                          int qos) {
        DeliveryLatency latency = new DeliveryLatency();

        receive(payloadSize, version, qos, latency);

        DeliveryLatency.Interval interval = latency.interval();
        assertSingle(interval.fromSchedule(), ARRIVED - SCHEDULED);
        assertSingle(interval.fromSend(), ARRIVED - SENT);
    }

    @Test
    void aPayloadWithRoomForOneTimeCarriesOnlyTheScheduledSend() {
        DeliveryLatency latency = new DeliveryLatency();

        receive(PublishFrames.TIMESTAMP_BYTES, MqttVersion.MQTT_3_1_1, 0, latency);

        DeliveryLatency.Interval interval = latency.interval();
        assertSingle(interval.fromSchedule(), ARRIVED - SCHEDULED);
        assertThat(interval.fromSend().getTotalCount()).isZero();
    }

    @Test
    void aPayloadTooShortForATimeIsReadButNotMeasured() {
        DeliveryLatency latency = new DeliveryLatency();

        boolean received = receive(4, MqttVersion.MQTT_3_1_1, 0, latency);

        assertThat(received).isTrue();
        assertThat(latency.interval().fromSchedule().getTotalCount()).isZero();
    }

    @Test
    void eachIntervalStartsEmpty() {
        DeliveryLatency latency = new DeliveryLatency();
        receive(64, MqttVersion.MQTT_3_1_1, 0, latency);
        latency.interval();

        assertThat(latency.interval().fromSchedule().getTotalCount()).isZero();
    }

    /** Writes one PUBLISH with the generator's frames and reads it back as a subscriber does. */
    private static boolean receive(int payloadSize, MqttVersion version, int qos, DeliveryLatency latency) {
        PublishFrames frames = new PublishFrames("bench/x/latency/0", qos, payloadSize, version);
        ByteBuf frame = Unpooled.buffer();
        frames.write(frame, 7, SCHEDULED, SENT);
        AtomicBoolean published = new AtomicBoolean();
        EmbeddedChannel channel = new EmbeddedChannel(new InboundFrames(new InboundFrames.FrameListener() {
            @Override
            public void onPublish(int publishQos, int packetId, ByteBuf in, int payloadIndex, int payloadLength) {
                assertThat(payloadLength).isEqualTo(payloadSize);
                assertThat(packetId).isEqualTo(qos == 0 ? 0 : 7);
                latency.record(in, payloadIndex, payloadLength, ARRIVED);
                published.set(true);
            }

            @Override
            public void onAcknowledgement(int type, int packetId, int reasonCode) {
            }

            @Override
            public void onOtherPacket(int type) {
            }
        }, version == MqttVersion.MQTT_5));
        channel.writeInbound(frame);
        channel.finishAndReleaseAll();
        return published.get();
    }

    private static void assertSingle(Histogram histogram, long nanos) {
        assertThat(histogram.getTotalCount()).isEqualTo(1);
        assertThat(histogram.valuesAreEquivalent(histogram.getMaxValue(), nanos)).isTrue();
    }
}
