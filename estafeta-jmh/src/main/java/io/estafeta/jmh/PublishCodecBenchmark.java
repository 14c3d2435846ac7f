package io.estafeta.jmh;

import io.estafeta.protocol.codec.MqttPacketDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.util.ReferenceCountUtil;
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
 * PUBLISH (MQTT 3.1.1, QoS 1) encoded by Netty's {@link MqttEncoder} and decoded by our
 * {@link MqttPacketDecoder} and, for comparison, Netty's {@link MqttDecoder}. Each goes through an
 * {@link EmbeddedChannel}, so the figures include a pipeline pass (tens of nanoseconds), as in a broker.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PublishCodecBenchmark {

    private static final int MAX_PACKET_BYTES = 1 << 20;
    private static final int MQTT31_MAX_CLIENT_ID = 23;

    @Param({"64", "1024"})
    public int payloadSize;

    private EmbeddedChannel encoder;
    private EmbeddedChannel ourDecoder;
    private EmbeddedChannel nettyDecoder;
    private ByteBuf payload;
    private ByteBuf encoded;

    @Setup
    public void setUp() {
        encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
        ourDecoder = new EmbeddedChannel(new MqttPacketDecoder(MAX_PACKET_BYTES, MQTT31_MAX_CLIENT_ID));
        nettyDecoder = new EmbeddedChannel(new MqttDecoder(MAX_PACKET_BYTES));
        payload = Unpooled.directBuffer(payloadSize).writeZero(payloadSize);
        encoder.writeOutbound(publish());
        encoded = Unpooled.directBuffer().writeBytes((ByteBuf) encoder.readOutbound());
    }

    @TearDown
    public void tearDown() {
        encoder.finishAndReleaseAll();
        ourDecoder.finishAndReleaseAll();
        nettyDecoder.finishAndReleaseAll();
        payload.release();
        encoded.release();
    }

    private MqttPublishMessage publish() {
        return new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE, false, 0),
                new MqttPublishVariableHeader("sensors/building-7/floor-3/temperature", 42),
                payload.retainedDuplicate());
    }

    @Benchmark
    public int encodeWithNettyMqttEncoder() {
        encoder.writeOutbound(publish());
        ByteBuf out = encoder.readOutbound();
        int bytes = out.readableBytes();
        out.release();
        return bytes;
    }

    @Benchmark
    public Object decodeWithMqttPacketDecoder() {
        ourDecoder.writeInbound(encoded.retainedDuplicate());
        Object message = ourDecoder.readInbound();
        ReferenceCountUtil.release(message);
        return message;
    }

    @Benchmark
    public Object decodeWithNettyMqttDecoder() {
        nettyDecoder.writeInbound(encoded.retainedDuplicate());
        Object message = nettyDecoder.readInbound();
        ReferenceCountUtil.release(message);
        return message;
    }
}
