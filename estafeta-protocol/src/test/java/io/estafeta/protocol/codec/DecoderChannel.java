package io.estafeta.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.estafeta.protocol.codec.MqttPacketDecoder.Peer;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayList;
import java.util.List;

/**
 * A decoder in an {@link EmbeddedChannel} whose buffers all come from a {@link TrackingAllocator}: bytes
 * go in (whole or in chunks), decoded messages come out, and closing releases everything and fails if
 * any buffer is left unreleased.
 */
final class DecoderChannel implements AutoCloseable {

    /** Large enough for every generated packet: only the framing tests use a small limit. */
    static final int LARGE_MAX_PACKET_SIZE = 1 << 20;
    static final int MQTT_3_1_MAX_CLIENT_ID_LENGTH = 23;
    static final AttributeKey<MqttVersion> VERSION = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");

    private final TrackingAllocator allocator;
    private final EmbeddedChannel channel;
    private final List<MqttMessage> received = new ArrayList<>();

    private DecoderChannel(ChannelHandler decoder, MqttVersion version, boolean direct) {
        LeakDetection.enable();
        allocator = new TrackingAllocator(direct);
        channel = new EmbeddedChannel();
        channel.config().setAllocator(allocator);
        if (version != null) {
            channel.attr(VERSION).set(version);
        }
        channel.pipeline().addLast(decoder);
    }

    /** Our decoder, reading the packets of {@code sender}, on a channel already speaking {@code version}. */
    static DecoderChannel estafeta(Peer sender, MqttVersion version) {
        return estafeta(sender, LARGE_MAX_PACKET_SIZE, version, false);
    }

    static DecoderChannel estafeta(Peer sender, int maxPacketSize, MqttVersion version, boolean direct) {
        return new DecoderChannel(new MqttPacketDecoder(sender, maxPacketSize, MQTT_3_1_MAX_CLIENT_ID_LENGTH), version,
                direct);
    }

    /** Netty's decoder, the reference. */
    static DecoderChannel netty(MqttVersion version) {
        return new DecoderChannel(new MqttDecoder(LARGE_MAX_PACKET_SIZE, MQTT_3_1_MAX_CLIENT_ID_LENGTH), version, false);
    }

    DecoderChannel feed(byte[] bytes) {
        return feed(bytes, List.of(bytes.length));
    }

    /**
     * Feeds the bytes in reads of the given sizes, in turn and round again until all are in (a size of 1
     * is byte by byte).
     */
    DecoderChannel feed(byte[] bytes, List<Integer> chunkSizes) {
        int offset = 0;
        int next = 0;
        while (offset < bytes.length) {
            int size = Math.min(Math.max(1, chunkSizes.get(next++ % chunkSizes.size())), bytes.length - offset);
            ByteBuf chunk = allocator.buffer(size);
            chunk.writeBytes(bytes, offset, size);
            channel.writeInbound(chunk);
            offset += size;
        }
        return this;
    }

    /** Every message decoded so far. They stay owned by this channel and are released on close. */
    List<MqttMessage> messages() {
        MqttMessage message;
        while ((message = channel.readInbound()) != null) {
            received.add(message);
        }
        return List.copyOf(received);
    }

    List<String> descriptions() {
        return messages().stream().map(MessageDescription::of).toList();
    }

    /** Whether the CONNECT carried Mosquitto's bridge mark. */
    boolean announcedBridge() {
        return MqttPacketDecoder.announcedBridge(channel);
    }

    /** Whether the channel carries the bridge mark's attribute at all (set or not). */
    boolean hasBridgeAttribute() {
        return channel.hasAttr(MqttPacketDecoder.BRIDGE_KEY);
    }

    MqttVersion channelVersion() {
        return channel.attr(VERSION).get();
    }

    @Override
    public void close() {
        messages();
        received.forEach(ReferenceCountUtil::release);
        channel.finishAndReleaseAll();
        assertThat(allocator.unreleased()).as("buffers left unreleased").isEmpty();
    }
}
