package io.estafeta.client;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.mqtt.MqttMessage;

/** Shows a {@link PacketTrace} every packet between the codec and the protocol handler. */
final class PacketTraceHandler extends ChannelDuplexHandler {

    private final PacketTrace trace;

    PacketTraceHandler(PacketTrace trace) {
        this.trace = trace;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof MqttMessage message && message.decoderResult().isSuccess()) {
            trace.received(message);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof MqttMessage message) {
            trace.sending(message);
        }
        ctx.write(msg, promise);
    }
}
