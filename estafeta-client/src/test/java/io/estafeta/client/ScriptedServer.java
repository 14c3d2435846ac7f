package io.estafeta.client;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnAckVariableHeader;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.buffer.Unpooled;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fake MQTT server for flows a real broker will not show on demand (a lost PUBCOMP, a DUP PUBLISH,
 * a silent CONNACK): it records every packet a client sends and sends exactly what the test says.
 */
final class ScriptedServer implements AutoCloseable {

    /** One packet from the client, copied out of Netty's buffers. */
    record Packet(MqttMessageType type, boolean dup, MqttQoS qos, int packetId, String topic, byte[] payload) {
    }

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int MAX_PACKET = 1024 * 1024;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final BlockingQueue<Packet> packets = new LinkedBlockingQueue<>();
    private final Channel listener;
    private volatile Channel connection;

    ScriptedServer() {
        listener = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new MqttDecoder(MAX_PACKET), MqttEncoder.INSTANCE, new Recorder());
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).syncUninterruptibly().channel();
    }

    int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** The next packet from the client; fails the test if none comes. */
    Packet next() throws InterruptedException {
        Packet packet = packets.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (packet == null) {
            throw new AssertionError("no packet from the client within " + WAIT);
        }
        return packet;
    }

    /** The next packet, which must be of {@code type}. */
    Packet expect(MqttMessageType type) throws InterruptedException {
        Packet packet = next();
        if (packet.type() != type) {
            throw new AssertionError("expected " + type + " but the client sent " + packet);
        }
        return packet;
    }

    void connAck(boolean sessionPresent) {
        send(new MqttConnAckMessage(header(MqttMessageType.CONNACK, MqttQoS.AT_MOST_ONCE),
                new MqttConnAckVariableHeader(MqttConnectReturnCode.CONNECTION_ACCEPTED, sessionPresent)));
    }

    void reply(MqttMessageType type, int packetId) {
        MqttQoS flags = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
        send(new MqttMessage(header(type, flags), MqttMessageIdVariableHeader.from(packetId)));
    }

    void replyWithReason(MqttMessageType type, int packetId, int reasonCode) {
        send(new MqttMessage(header(type, MqttQoS.AT_MOST_ONCE),
                new MqttPubReplyMessageVariableHeader(packetId, (byte) reasonCode, MqttProperties.NO_PROPERTIES)));
    }

    void publish(String topic, String payload, MqttQoS qos, boolean dup, int packetId) {
        send(new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, dup, qos, false, 0),
                new MqttPublishVariableHeader(topic, packetId), Unpooled.copiedBuffer(payload.getBytes())));
    }

    void disconnect(int reasonCode) {
        send(new MqttMessage(header(MqttMessageType.DISCONNECT, MqttQoS.AT_MOST_ONCE),
                new MqttReasonCodeAndPropertiesVariableHeader((byte) reasonCode, MqttProperties.NO_PROPERTIES)));
    }

    /** Stops or resumes reading from the client (TCP backpressure towards it). */
    void reading(boolean on) {
        connection.config().setAutoRead(on);
    }

    /** Closes the client's connection without a word, as a failing network would. */
    void dropConnection() {
        connection.close().syncUninterruptibly();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private void send(MqttMessage message) {
        connection.writeAndFlush(message).syncUninterruptibly();
    }

    private static MqttFixedHeader header(MqttMessageType type, MqttQoS flags) {
        return new MqttFixedHeader(type, false, flags, false, 0);
    }

    private final class Recorder extends SimpleChannelInboundHandler<MqttMessage> {

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            connection = ctx.channel();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, MqttMessage message) {
            int packetId = -1;
            String topic = null;
            byte[] payload = null;
            if (message instanceof MqttPublishMessage publish) {
                packetId = publish.variableHeader().packetId();
                topic = publish.variableHeader().topicName();
                payload = ByteBufUtil.getBytes(publish.payload());
            } else if (message.variableHeader() instanceof MqttMessageIdVariableHeader id) {
                packetId = id.messageId();
            }
            packets.add(new Packet(message.fixedHeader().messageType(), message.fixedHeader().isDup(),
                    message.fixedHeader().qosLevel(), packetId, topic, payload));
        }
    }
}
