package io.estafeta.broker.transport;

import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.config.ListenerConfig;
import io.estafeta.protocol.codec.MqttPacketDecoder;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.mqtt.MqttEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pipeline of one listener's connections, and the connection limits (the listener's
 * {@code max_connections}, the broker's total and per address), checked right after accept:
 *
 * <pre>
 * MQTT:       [outboundBudget tls] traffic decoder encoder [publishRate] mqtt
 * WebSocket:  [outboundBudget] [tls] http httpAggregator upgrade websocket frames traffic decoder encoder
 *             [publishRate] mqtt
 * </pre>
 *
 * Everything from {@code traffic} on is the same for both: {@link MqttConnection} reads and writes MQTT
 * packets and never learns how they travel. On a WebSocket listener the HTTP handlers are replaced by
 * Netty's frame codec once the upgrade succeeds. The outbound budget counts bytes as the socket takes them:
 * on a plain TCP listener {@code traffic} does it, else a handler of its own closest to the socket, below
 * TLS and WebSocket frames. The publish rate limiter stops reading when a client publishes too fast.
 */
final class MqttChannelInitializer extends ChannelInitializer<SocketChannel> {

    private static final Logger LOG = LoggerFactory.getLogger(MqttChannelInitializer.class);
    /** MQTT 3.1 allows client identifiers of at most 23 characters; 3.1.1 lets servers accept more. */
    private static final int MQTT_3_1_MAX_CLIENT_ID_LENGTH = 23;
    /** The upgrade request is a GET with headers only; a body this large is not a WebSocket client. */
    private static final int MAX_UPGRADE_REQUEST_BODY_BYTES = 8192;

    private final ConnectionServices services;
    private final ListenerConfig listener;
    /** {@code null} for a plain TCP listener. */
    private final ServerTlsContext tls;
    private final ConnectionAdmission admission;
    private final OutboundMemoryBudget outboundBudget;
    private final AtomicInteger open = new AtomicInteger();
    private final TrafficCounter traffic;
    /** Whether the outbound budget needs a handler of its own, closest to the socket. */
    private final boolean budgetAtSocket;
    /** {@code null} for a listener that is not a WebSocket one. */
    private final WebSocketServerProtocolConfig websocket;

    MqttChannelInitializer(ConnectionServices services, ListenerConfig listener, ServerTlsContext tls,
                           ConnectionAdmission admission, OutboundMemoryBudget outboundBudget) {
        this.services = services;
        this.listener = listener;
        this.tls = tls;
        this.admission = admission;
        this.outboundBudget = outboundBudget;
        // Below TLS or WebSocket frames the bytes the socket takes are not the MQTT bytes traffic counts.
        this.budgetAtSocket = outboundBudget.enabled() && (tls != null || listener.isWebSocket());
        this.traffic = new TrafficCounter(services.metrics(),
                outboundBudget.enabled() && !budgetAtSocket ? outboundBudget : null);
        this.websocket = listener.isWebSocket() ? websocketConfig(listener, services.config()) : null;
    }

    private static WebSocketServerProtocolConfig websocketConfig(ListenerConfig listener, BrokerConfig config) {
        return WebSocketServerProtocolConfig.newBuilder()
                // WebSocketUpgrade has already checked the exact path; a query string is fine.
                .websocketPath(listener.websocketsPath())
                .checkStartsWith(true)
                // [MQTT-6.0.0-4] the server answers with the MQTT subprotocol the client offered.
                .subprotocols(String.join(",", WebSocketUpgrade.SUBPROTOCOLS))
                .handshakeTimeoutMillis(config.connectTimeout().toMillis())
                // A frame may hold one packet or several; one larger than the largest packet we accept is
                // refused by the frame decoder (close code 1009) before it is buffered.
                .maxFramePayloadLength(config.maxPacketSize())
                .allowExtensions(false)
                .build();
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        services.metrics().socketOpened();
        if (listener.limitsConnections()) {
            if (open.incrementAndGet() > listener.maxConnections()) {
                open.decrementAndGet();
                LOG.info("listener {}: refused a connection from {}: max_connections ({}) reached",
                        listener.describe(), channel.remoteAddress(), listener.maxConnections());
                services.metrics().connectionRefusedAtLimit();
                channel.close();
                return;
            }
            channel.closeFuture().addListener(closed -> open.decrementAndGet());
        }
        if (!admission.admit(channel)) {
            // Closing also gives back the listener's count taken above.
            channel.close();
            return;
        }
        ChannelPipeline pipeline = channel.pipeline();
        if (budgetAtSocket) {
            // First in the pipeline, so closest to the socket: it counts the bytes as sent, after TLS.
            pipeline.addLast("outboundBudget", outboundBudget.counter());
        }
        if (tls != null) {
            // The context current at accept time: a reloaded certificate serves new connections only.
            pipeline.addLast("tls", tls.current().newHandler(channel.alloc()));
            if (listener.tls().useIdentityAsUsername()) {
                channel.attr(CertificateIdentity.USE_AS_USERNAME).set(Boolean.TRUE);
            }
        }
        if (websocket != null) {
            pipeline.addLast("http", new HttpServerCodec());
            pipeline.addLast("httpAggregator", new HttpObjectAggregator(MAX_UPGRADE_REQUEST_BODY_BYTES));
            pipeline.addLast("upgrade", new WebSocketUpgrade(listener.websocketsPath()));
            pipeline.addLast("websocket", new WebSocketServerProtocolHandler(websocket));
            pipeline.addLast("frames", new WebSocketFrames(services.metrics()));
        }
        pipeline.addLast("traffic", traffic);
        // Our strict decoder: the same messages as Netty's MqttDecoder, plus the checks it skips and a
        // reason code on every failure (MqttDecodingException.reasonCodeOf).
        pipeline.addLast("decoder",
                new MqttPacketDecoder(services.config().maxPacketSize(), MQTT_3_1_MAX_CLIENT_ID_LENGTH));
        pipeline.addLast("encoder", MqttEncoder.INSTANCE);
        if (services.config().trafficLimits().limitsPublishRate()) {
            pipeline.addLast("publishRate", new PublishRateLimiter(services.config().trafficLimits(),
                    services.metrics()));
        }
        pipeline.addLast("mqtt", new MqttConnection(services));
    }
}
