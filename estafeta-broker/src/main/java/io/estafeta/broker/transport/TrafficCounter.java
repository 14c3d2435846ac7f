package io.estafeta.broker.transport;

import io.estafeta.broker.metrics.BrokerMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;

/**
 * Counts what passes between a connection and its peer for the $SYS topics: placed before the MQTT
 * decoder it counts bytes of MQTT packets (TLS records and WebSocket frame headers not included);
 * placed after the codec it counts packets. One shared instance per position and server; a striped
 * adder per count, so the cost on the hot path is one uncontended add.
 */
@ChannelHandler.Sharable
final class TrafficCounter extends ChannelDuplexHandler {

    private final BrokerMetrics metrics;
    private final boolean countsPackets;

    private TrafficCounter(BrokerMetrics metrics, boolean countsPackets) {
        this.metrics = metrics;
        this.countsPackets = countsPackets;
    }

    /** Counts the bytes of every buffer read or written: goes right before the MQTT decoder. */
    static TrafficCounter bytes(BrokerMetrics metrics) {
        return new TrafficCounter(metrics, false);
    }

    /** Counts every decoded and every encoded packet: goes between the codec and the connection. */
    static TrafficCounter packets(BrokerMetrics metrics) {
        return new TrafficCounter(metrics, true);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (countsPackets) {
            if (msg instanceof MqttMessage packet && packet.fixedHeader() != null) {
                metrics.packetReceived(packet.fixedHeader().messageType() == MqttMessageType.CONNECT);
            }
        } else if (msg instanceof ByteBuf bytes) {
            metrics.bytesReceived(bytes.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (countsPackets) {
            // A ByteBuf here is a PUBLISH the connection encoded itself (PublishPacket): one packet too.
            if (msg instanceof MqttMessage || msg instanceof ByteBuf) {
                metrics.packetSent();
            }
        } else if (msg instanceof ByteBuf bytes) {
            metrics.bytesSent(bytes.readableBytes());
        }
        ctx.write(msg, promise);
    }
}
