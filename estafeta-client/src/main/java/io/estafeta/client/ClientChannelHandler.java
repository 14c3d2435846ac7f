package io.estafeta.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One connection's protocol handler, on the client's event loop: sends CONNECT, waits for CONNACK,
 * then hands packets to the {@link ClientSession}, keeps the connection alive with PINGREQ, and
 * reports how the connection ended.
 */
final class ClientChannelHandler extends ChannelInboundHandlerAdapter {

    private static final String IDLE_HANDLER = "keepAlive";

    private final MqttClient client;
    private final ClientSession session;
    private final MqttClientOptions options;
    private boolean accepted;
    private Throwable closeCause;
    private ScheduledFuture<?> pingResponseDeadline;

    ClientChannelHandler(MqttClient client, ClientSession session, MqttClientOptions options) {
        this.client = client;
        this.session = session;
        this.options = options;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        SslHandler tls = ctx.pipeline().get(SslHandler.class);
        if (tls != null) {
            tls.handshakeFuture().addListener(handshake -> {
                if (!handshake.isSuccess()) {
                    closeWith(ctx, new MqttClientException("TLS handshake failed: "
                            + handshake.cause().getMessage(), handshake.cause()));
                }
            });
        }
        // [MQTT-3.1.0-1] the first packet from the client is CONNECT. Behind TLS, SslHandler holds it
        // until the handshake is done.
        ctx.writeAndFlush(ClientPackets.connect(options)).addListener(write -> {
            if (!write.isSuccess()) {
                closeWith(ctx, write.cause());
            }
        });
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        MqttMessage message = (MqttMessage) msg;
        try {
            if (message.decoderResult().isFailure()) {
                closeWith(ctx, new MqttClientException("malformed packet from the server: "
                        + message.decoderResult().cause().getMessage(), message.decoderResult().cause()));
                return;
            }
            if (!accepted) {
                onFirstPacket(ctx, message);
            } else {
                dispatch(ctx, message);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Acknowledgements written while reading go out together.
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (accepted && ctx.channel().isWritable()) {
            session.drain();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent idle && idle.state() == IdleState.WRITER_IDLE) {
            sendPing(ctx);
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        closeWith(ctx, cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (pingResponseDeadline != null) {
            pingResponseDeadline.cancel(false);
        }
        client.connectionClosed(ctx.channel(), closeCause);
        ctx.fireChannelInactive();
    }

    /** Closes the connection; the first cause given is the one reported. */
    void closeWith(ChannelHandlerContext ctx, Throwable cause) {
        if (closeCause == null) {
            closeCause = cause;
        }
        ctx.close();
    }

    private void onFirstPacket(ChannelHandlerContext ctx, MqttMessage message) {
        if (message.fixedHeader().messageType() != MqttMessageType.CONNACK) {
            // [MQTT-3.2.0-1] the first packet from the server is CONNACK.
            closeWith(ctx, new MqttClientException("protocol error: " + message.fixedHeader().messageType()
                    + " from the server before CONNACK"));
            return;
        }
        MqttConnAckMessage connAckMessage = (MqttConnAckMessage) message;
        ConnAck connAck = new ConnAck(options.version(),
                connAckMessage.variableHeader().connectReturnCode().byteValue() & 0xFF,
                connAckMessage.variableHeader().isSessionPresent(), connAckMessage.variableHeader().properties());
        if (connAck.isAccepted()) {
            accepted = true;
            // [MQTT-3.2.2-21] (5.0) a Server Keep Alive replaces the keep-alive the client asked for.
            startKeepAlive(ctx, connAck.serverKeepAlive().orElse((int) options.keepAlive().toSeconds()));
        }
        client.connAckReceived(ctx.channel(), connAck);
    }

    private void dispatch(ChannelHandlerContext ctx, MqttMessage message) {
        switch (message.fixedHeader().messageType()) {
            case PUBLISH -> session.onPublish((MqttPublishMessage) message);
            case PUBACK -> session.onPubAck((MqttMessageIdVariableHeader) message.variableHeader());
            case PUBREC -> session.onPubRec((MqttMessageIdVariableHeader) message.variableHeader());
            case PUBREL -> session.onPubRel((MqttMessageIdVariableHeader) message.variableHeader());
            case PUBCOMP -> session.onPubComp((MqttMessageIdVariableHeader) message.variableHeader());
            case SUBACK -> {
                MqttSubAckMessage subAck = (MqttSubAckMessage) message;
                session.onSubAck(subAck.variableHeader().messageId(), subAck.payload().reasonCodes(),
                        propertiesOf(subAck.idAndPropertiesVariableHeader()));
            }
            case UNSUBACK -> {
                MqttUnsubAckMessage unsubAck = (MqttUnsubAckMessage) message;
                MqttUnsubAckPayload payload = unsubAck.payload();
                List<Integer> codes = payload == null ? List.of()
                        : payload.unsubscribeReasonCodes().stream().map(code -> code & 0xFF).toList();
                session.onUnsubAck(unsubAck.variableHeader().messageId(),
                        options.version() == MqttVersion.MQTT_5 ? codes : List.of(),
                        propertiesOf(unsubAck.idAndPropertiesVariableHeader()));
            }
            case PINGRESP -> {
                if (pingResponseDeadline != null) {
                    pingResponseDeadline.cancel(false);
                    pingResponseDeadline = null;
                }
            }
            case DISCONNECT -> {
                // 5.0: the server says why it closes ([MQTT-3.14.0-1] only in 5.0 does a server send it).
                MqttReasonCodeAndPropertiesVariableHeader header =
                        (MqttReasonCodeAndPropertiesVariableHeader) message.variableHeader();
                int reasonCode = header == null ? 0 : header.reasonCode() & 0xFF;
                String reason = header == null ? null
                        : MessageProperties.string(header.properties(), MqttProperties.REASON_STRING).orElse(null);
                closeWith(ctx, new ServerDisconnectedException(reasonCode, reason));
            }
            default -> closeWith(ctx, new MqttClientException("protocol error: unexpected "
                    + message.fixedHeader().messageType() + " from the server"));
        }
    }

    /**
     * [MQTT-3.1.2-23] the client sends a packet at least every keep-alive interval: a PINGREQ when it
     * has nothing else to send. No PINGRESP within another interval means the connection is dead.
     */
    private void startKeepAlive(ChannelHandlerContext ctx, int seconds) {
        if (seconds > 0) {
            ctx.pipeline().addBefore(ctx.name(), IDLE_HANDLER, new IdleStateHandler(0, seconds, 0, TimeUnit.SECONDS));
        }
    }

    private void sendPing(ChannelHandlerContext ctx) {
        if (pingResponseDeadline != null) {
            return;
        }
        ctx.writeAndFlush(ClientPackets.pingReq(), ctx.voidPromise());
        long seconds = ((IdleStateHandler) ctx.pipeline().get(IDLE_HANDLER)).getWriterIdleTimeInMillis();
        pingResponseDeadline = ctx.executor().schedule(
                () -> closeWith(ctx, new MqttClientException("no PINGRESP within the keep-alive interval")),
                seconds, TimeUnit.MILLISECONDS);
    }

    private static MqttProperties propertiesOf(MqttMessageIdAndPropertiesVariableHeader header) {
        return header == null ? MqttProperties.NO_PROPERTIES : header.properties();
    }
}
