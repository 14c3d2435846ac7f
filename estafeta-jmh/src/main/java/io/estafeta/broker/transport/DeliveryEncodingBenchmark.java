package io.estafeta.broker.transport;

import io.estafeta.broker.message.ApplicationMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One delivered PUBLISH (QoS 0) made into bytes, as {@code MqttConnection.sendPublish} did before (an
 * {@link MqttPublishMessage} encoded by Netty's {@link MqttEncoder}; for 5.0 with the properties of
 * {@link Mqtt5Properties#forDelivery}) and as it does now ({@link MessageBytes} and {@link PublishPacket}, the
 * payload copied into the packet or shared). Each goes through an {@link EmbeddedChannel} holding the
 * {@link MqttEncoder}, as in the broker's pipeline, where our buffer passes it untouched.
 *
 * <p>{@code deliveriesPerMessage}: 1 is fan-in (every delivery a new message: the topic is encoded and a shared
 * payload copied each time), 100 is fan-out (the 100 deliveries of a message share them). Netty's path caches
 * nothing, so the parameter changes nothing for it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DeliveryEncodingBenchmark {

    private static final AttributeKey<MqttVersion> NETTY_VERSION = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");
    private static final String TOPIC = "sensors/building-7/floor-3/temperature";

    @Param({"64", "1024", "16384"})
    public int payloadSize;

    @Param({"3.1.1", "5"})
    public String protocol;

    @Param({"1", "100"})
    public int deliveriesPerMessage;

    private EmbeddedChannel channel;
    private byte[] payload;
    private ApplicationMessage message;
    private int deliveriesLeft;
    private boolean mqtt5;

    @Setup
    public void setUp() {
        mqtt5 = protocol.equals("5");
        channel = new EmbeddedChannel(MqttEncoder.INSTANCE);
        channel.attr(NETTY_VERSION).set(mqtt5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1);
        payload = new byte[payloadSize];
    }

    @TearDown
    public void tearDown() {
        channel.runPendingTasks();
        channel.finishAndReleaseAll();
    }

    /** The message of this delivery: a new one every {@code deliveriesPerMessage} deliveries. */
    private ApplicationMessage nextMessage() {
        if (deliveriesLeft == 0) {
            message = new ApplicationMessage(TOPIC, payload, 0, false, "publisher");
            deliveriesLeft = deliveriesPerMessage;
        }
        deliveriesLeft--;
        return message;
    }

    private int write(Object packet) {
        channel.writeOutbound(packet);
        ByteBuf out = channel.readOutbound();
        int bytes = out.readableBytes();
        out.release();
        // What a loop does between tasks: here, MessageBytes giving back a shared payload.
        channel.runPendingTasks();
        return bytes;
    }

    @Benchmark
    public int nettyMqttEncoder() {
        ApplicationMessage delivered = nextMessage();
        MqttProperties properties = mqtt5
                ? Mqtt5Properties.forDelivery(delivered, System.currentTimeMillis(), PublishPacket.NO_SUBSCRIPTION_IDS, 0)
                : MqttProperties.NO_PROPERTIES;
        return write(new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttPublishVariableHeader(delivered.topic(), 0, properties),
                Unpooled.wrappedBuffer(delivered.payload())));
    }

    @Benchmark
    public int publishPacketPayloadCopied() {
        ApplicationMessage delivered = nextMessage();
        MessageBytes shared = MessageBytes.of(delivered);
        return write(packet(delivered, shared).encode(channel.alloc(), delivered.payload()));
    }

    @Benchmark
    public int publishPacketPayloadShared() {
        ApplicationMessage delivered = nextMessage();
        MessageBytes shared = MessageBytes.of(delivered);
        return write(packet(delivered, shared).encode(channel.alloc(),
                shared.retainedPayload(channel.alloc(), channel.eventLoop())));
    }

    private PublishPacket packet(ApplicationMessage delivered, MessageBytes shared) {
        return mqtt5
                ? PublishPacket.mqtt5(shared.topic(), 0, false, false, 0, delivered,
                        delivered.remainingExpirySeconds(System.currentTimeMillis()), PublishPacket.NO_SUBSCRIPTION_IDS, 0)
                : PublishPacket.mqtt3(shared.topic(), 0, false, false, 0, delivered.payloadSize());
    }
}
