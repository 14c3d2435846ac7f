package io.estafeta.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttVersion;

import java.io.ByteArrayOutputStream;

/** Netty's {@link MqttEncoder} as a function from messages to bytes. */
final class Encoding {

    private Encoding() {
    }

    /**
     * The bytes of {@code messages} as Netty's encoder writes them on a channel speaking {@code version}
     * (or the version a CONNECT among them sets). The encoder releases the messages.
     */
    static byte[] encode(MqttVersion version, MqttMessage... messages) {
        EmbeddedChannel channel = new EmbeddedChannel(MqttEncoder.INSTANCE);
        if (version != null) {
            channel.attr(DecoderChannel.VERSION).set(version);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            for (MqttMessage message : messages) {
                channel.writeOutbound(message);
                ByteBuf encoded;
                while ((encoded = channel.readOutbound()) != null) {
                    bytes.writeBytes(ByteBufUtil.getBytes(encoded));
                    encoded.release();
                }
            }
        } finally {
            channel.finishAndReleaseAll();
        }
        return bytes.toByteArray();
    }
}
