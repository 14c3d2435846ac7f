package io.estafeta.broker.transport;

import io.estafeta.broker.config.ListenerConfig;
import io.estafeta.protocol.codec.MqttPacketDecoder;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pipeline of one listener's MQTT connections: [outbound byte counter,] [TLS,] decoder, encoder,
 * [publish rate limiter,] protocol handler; and the connection limits (the listener's
 * {@code max_connections}, the broker's total and per address), checked right after accept.
 */
final class MqttChannelInitializer extends ChannelInitializer<SocketChannel> {

    private static final Logger LOG = LoggerFactory.getLogger(MqttChannelInitializer.class);
    /** MQTT 3.1 allows client identifiers of at most 23 characters; 3.1.1 lets servers accept more. */
    private static final int MQTT_3_1_MAX_CLIENT_ID_LENGTH = 23;

    private final ConnectionServices services;
    private final ListenerConfig listener;
    /** {@code null} for a plain TCP listener. */
    private final ServerTlsContext tls;
    private final ConnectionAdmission admission;
    private final OutboundMemoryBudget outboundBudget;
    private final AtomicInteger open = new AtomicInteger();

    MqttChannelInitializer(ConnectionServices services, ListenerConfig listener, ServerTlsContext tls,
                           ConnectionAdmission admission, OutboundMemoryBudget outboundBudget) {
        this.services = services;
        this.listener = listener;
        this.tls = tls;
        this.admission = admission;
        this.outboundBudget = outboundBudget;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
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
        if (outboundBudget.enabled()) {
            // First in the pipeline, so closest to the socket: it counts the bytes as sent, after TLS.
            pipeline.addLast("outboundBudget", outboundBudget.newCounter());
        }
        if (tls != null) {
            // The context current at accept time: a reloaded certificate serves new connections only.
            pipeline.addLast("tls", tls.current().newHandler(channel.alloc()));
            if (listener.tls().useIdentityAsUsername()) {
                channel.attr(CertificateIdentity.USE_AS_USERNAME).set(Boolean.TRUE);
            }
        }
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
