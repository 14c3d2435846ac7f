package io.estafeta.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One MQTT connection of the generator: CONNECT (and SUBSCRIBE, for a subscriber) through Netty's codec,
 * then the lean path of {@link InboundFrames}. Counts what it receives, acknowledges it at its QoS, and
 * passes acknowledgements and writability changes to its {@link PublishPump}, if it publishes.
 * Confined to its channel's event loop, except {@link #ready()}.
 */
final class BenchConnection extends ChannelInboundHandlerAdapter implements InboundFrames.FrameListener {

    static final String ENCODER = "encoder";
    static final String DECODER = "decoder";
    static final String CONNECTION = "connection";

    /** Keep-alive 0: the broker watches nothing and the connection sends no PINGREQ. */
    static final int NO_KEEP_ALIVE = 0;
    /** How long a persistent subscriber's MQTT 5 session outlives the run (3.1.1 has no expiry to set). */
    static final int PERSISTENT_SESSION_EXPIRY_SECONDS = 60;
    private static final int SUBSCRIBE_PACKET_ID = 1;
    /** SUBACK return codes from 0x80 are failures (MQTT 3.1.1 section 3.9.3, MQTT 5.0 section 3.9.3). */
    private static final int FIRST_FAILURE_CODE = 0x80;
    private static final int ACK_LENGTH = 4;
    private static final int REMAINING_LENGTH_OF_ACK = 2;
    private static final int PUBACK_BYTE = 0x40;
    private static final int PUBREC_BYTE = 0x50;
    /** PUBREL has the fixed header flags 0010 ([MQTT-3.6.1-1]). */
    private static final int PUBREL_BYTE = 0x62;
    private static final int PUBCOMP_BYTE = 0x70;
    private static final int PINGREQ_BYTE = 0xC0;
    private static final int PINGREQ_LENGTH = 2;

    private final String clientId;
    private final MqttVersion version;
    private final String subscribeFilter;
    private final int qos;
    private final DeliveryLatency latency;
    private final boolean persistentSession;
    private final int keepAliveSeconds;
    private final CompletableFuture<BenchConnection> ready = new CompletableFuture<>();
    private ScheduledFuture<?> pinging;

    private ChannelHandlerContext context;
    private int receiveMaximum = PacketIds.MAX_PACKET_ID;
    private PublishPump pump;
    private boolean flushNeeded;
    private long received;
    private long refusedAcknowledgements;
    private volatile String closeReason;

    /**
     * @param subscribeFilter the filter to subscribe to at {@code qos}, or null for a publisher only
     * @param latency         where received timestamps become latencies, or null
     * @param persistentSession connect with Clean Session 0 (MQTT 5: Clean Start 0 and a Session Expiry)
     * @param keepAliveSeconds  the keep-alive in CONNECT; above 0 the connection sends a PINGREQ that often
     *                          once ready ({@link #NO_KEEP_ALIVE}: none)
     */
    BenchConnection(String clientId, MqttVersion version, String subscribeFilter, int qos, DeliveryLatency latency,
                    boolean persistentSession, int keepAliveSeconds) {
        this.clientId = clientId;
        this.keepAliveSeconds = keepAliveSeconds;
        this.persistentSession = persistentSession;
        this.version = version;
        this.subscribeFilter = subscribeFilter;
        this.qos = qos;
        this.latency = latency;
    }

    /** Completes once connected (and subscribed), or fails with the broker's refusal. Any thread. */
    CompletableFuture<BenchConnection> ready() {
        return ready;
    }

    String clientId() {
        return clientId;
    }

    Channel channel() {
        return context.channel();
    }

    /** The broker's MQTT 5 Receive Maximum, or 65,535 when it sets none. */
    int receiveMaximum() {
        return receiveMaximum;
    }

    /** Publishes through this pump from now on. Event loop. */
    void attach(PublishPump publishPump) {
        this.pump = publishPump;
    }

    /** PUBLISH packets received. Event loop. */
    long received() {
        return received;
    }

    /** Acknowledgements with a failure reason code (MQTT 5). Event loop. */
    long refusedAcknowledgements() {
        return refusedAcknowledgements;
    }

    /** Why the connection closed before we closed it, or null. Any thread. */
    String closeReason() {
        return closeReason;
    }

    /** Sends DISCONNECT and closes. Any thread. */
    void disconnect() {
        Channel channel = context == null ? null : context.channel();
        if (channel == null || !channel.isActive()) {
            return;
        }
        channel.eventLoop().execute(() -> {
            closeReason = closeReason == null ? "closed by the generator" : closeReason;
            channel.writeAndFlush(MqttMessage.DISCONNECT).addListener(future -> channel.close());
        });
    }

    // ---------------------------------------------------------------- handshake (Netty's codec)

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.context = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        MqttMessageBuilders.ConnectBuilder builder = MqttMessageBuilders.connect()
                .clientId(clientId)
                .protocolVersion(version)
                .cleanSession(!persistentSession)
                .keepAlive(keepAliveSeconds);
        if (persistentSession && version == MqttVersion.MQTT_5) {
            MqttProperties properties = new MqttProperties();
            properties.add(new MqttProperties.IntegerProperty(
                    MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), PERSISTENT_SESSION_EXPIRY_SECONDS));
            builder.properties(properties);
        }
        MqttMessage connect = builder.build();
        ctx.writeAndFlush(connect);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof MqttConnAckMessage connAck) {
                onConnAck(ctx, connAck);
            } else if (msg instanceof MqttSubAckMessage subAck) {
                onSubAck(ctx, subAck);
            } else if (msg instanceof MqttMessage other && other.decoderResult().isFailure()) {
                fail(ctx, "undecodable packet from the broker: " + other.decoderResult().cause());
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onConnAck(ChannelHandlerContext ctx, MqttConnAckMessage connAck) {
        if (connAck.decoderResult().isFailure()) {
            fail(ctx, "undecodable CONNACK: " + connAck.decoderResult().cause());
            return;
        }
        MqttConnectReturnCode code = connAck.variableHeader().connectReturnCode();
        if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
            fail(ctx, "the broker refused the connection: " + code);
            return;
        }
        MqttProperties.MqttProperty<?> maximum = connAck.variableHeader().properties()
                .getProperty(MqttProperties.MqttPropertyType.RECEIVE_MAXIMUM.value());
        if (maximum != null && maximum.value() instanceof Integer value) {
            receiveMaximum = value;
        }
        if (subscribeFilter == null) {
            becomeReady(ctx);
        } else {
            ctx.writeAndFlush(MqttMessageBuilders.subscribe()
                    .messageId(SUBSCRIBE_PACKET_ID)
                    .addSubscription(MqttQoS.valueOf(qos), subscribeFilter)
                    .build());
        }
    }

    private void onSubAck(ChannelHandlerContext ctx, MqttSubAckMessage subAck) {
        if (subAck.decoderResult().isFailure()) {
            fail(ctx, "undecodable SUBACK: " + subAck.decoderResult().cause());
            return;
        }
        for (int code : subAck.payload().reasonCodes()) {
            if (code >= FIRST_FAILURE_CODE) {
                fail(ctx, "the broker refused the subscription to " + subscribeFilter + ": 0x"
                        + Integer.toHexString(code));
                return;
            }
        }
        becomeReady(ctx);
    }

    private void becomeReady(ChannelHandlerContext ctx) {
        // Bytes Netty's decoder holds already are handed on to the new one as it leaves the pipeline.
        ctx.pipeline().replace(DECODER, DECODER, new InboundFrames(this, version == MqttVersion.MQTT_5));
        if (keepAliveSeconds > NO_KEEP_ALIVE) {
            // [MQTT-3.1.2-23] the client sends a packet within each keep-alive; an idle one sends PINGREQ.
            pinging = ctx.executor().scheduleAtFixedRate(this::ping, keepAliveSeconds, keepAliveSeconds,
                    TimeUnit.SECONDS);
        }
        ready.complete(this);
    }

    private void fail(ChannelHandlerContext ctx, String reason) {
        closeReason = reason;
        ready.completeExceptionally(new BenchException(clientId + ": " + reason));
        ctx.close();
    }

    // ---------------------------------------------------------------- ready (the lean path)

    @Override
    public void onPublish(int publishQos, int packetId, ByteBuf in, int payloadIndex, int payloadLength) {
        received++;
        if (latency != null) {
            latency.record(in, payloadIndex, payloadLength, System.nanoTime());
        }
        if (publishQos == 1) {
            writeAck(PUBACK_BYTE, packetId);
        } else if (publishQos == 2) {
            writeAck(PUBREC_BYTE, packetId);
        }
    }

    @Override
    public void onAcknowledgement(int type, int packetId, int reasonCode) {
        boolean refused = reasonCode >= FIRST_FAILURE_CODE;
        if (refused) {
            refusedAcknowledgements++;
        }
        switch (type) {
            case InboundFrames.PUBACK, InboundFrames.PUBCOMP -> {
                if (pump != null) {
                    pump.onCompleted(packetId, refused);
                }
            }
            case InboundFrames.PUBREC -> {
                if (refused) {
                    if (pump != null) {
                        pump.onCompleted(packetId, true);
                    }
                } else {
                    writeAck(PUBREL_BYTE, packetId);
                }
            }
            case InboundFrames.PUBREL -> writeAck(PUBCOMP_BYTE, packetId);
            default -> throw new IllegalArgumentException("not an acknowledgement: " + type);
        }
    }

    @Override
    public void onOtherPacket(int type) {
        // DISCONNECT from the server, PINGRESP: nothing to count; a DISCONNECT is followed by the close.
    }

    private void ping() {
        ByteBuf pingreq = context.alloc().ioBuffer(PINGREQ_LENGTH);
        pingreq.writeByte(PINGREQ_BYTE).writeByte(0);
        context.writeAndFlush(pingreq, context.voidPromise());
    }

    private void writeAck(int firstByte, int packetId) {
        ByteBuf ack = context.alloc().ioBuffer(ACK_LENGTH);
        ack.writeByte(firstByte).writeByte(REMAINING_LENGTH_OF_ACK).writeShort(packetId);
        context.write(ack, context.voidPromise());
        flushNeeded = true;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (pump != null) {
            pump.onReadComplete();
        }
        if (flushNeeded) {
            flushNeeded = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (pump != null) {
            pump.onWritabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (pinging != null) {
            pinging.cancel(false);
        }
        if (closeReason == null) {
            closeReason = "the broker closed the connection";
        }
        ready.completeExceptionally(new BenchException(clientId + ": " + closeReason));
        if (pump != null) {
            pump.stop();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, cause.toString());
    }
}
