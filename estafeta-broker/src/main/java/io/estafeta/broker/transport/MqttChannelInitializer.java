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
 * The pipeline of one listener's MQTT connections: [TLS,] decoder, encoder, protocol handler; and the
 * listener's {@code max_connections}, checked right after accept.
 */
final class MqttChannelInitializer extends ChannelInitializer<SocketChannel> {

    private static final Logger LOG = LoggerFactory.getLogger(MqttChannelInitializer.class);
    /** MQTT 3.1 allows client identifiers of at most 23 characters; 3.1.1 lets servers accept more. */
    private static final int MQTT_3_1_MAX_CLIENT_ID_LENGTH = 23;

    private final ConnectionServices services;
    private final ListenerConfig listener;
    /** {@code null} for a plain TCP listener. */
    private final ServerTlsContext tls;
    private final AtomicInteger open = new AtomicInteger();
    private final NetworkByteCounter byteCounter;

    MqttChannelInitializer(ConnectionServices services, ListenerConfig listener, ServerTlsContext tls) {
        this.services = services;
        this.byteCounter = new NetworkByteCounter(services.metrics());
        this.listener = listener;
        this.tls = tls;
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
        ChannelPipeline pipeline = channel.pipeline();
        if (tls != null) {
            // The context current at accept time: a reloaded certificate serves new connections only.
            pipeline.addLast("tls", tls.current().newHandler(channel.alloc()));
            if (listener.tls().useIdentityAsUsername()) {
                channel.attr(CertificateIdentity.USE_AS_USERNAME).set(Boolean.TRUE);
            }
        }
        pipeline.addLast("bytes", byteCounter);
        // Our strict decoder: the same messages as Netty's MqttDecoder, plus the checks it skips and a
        // reason code on every failure (MqttDecodingException.reasonCodeOf).
        pipeline.addLast("decoder",
                new MqttPacketDecoder(services.config().maxPacketSize(), MQTT_3_1_MAX_CLIENT_ID_LENGTH));
        pipeline.addLast("encoder", MqttEncoder.INSTANCE);
        pipeline.addLast("mqtt", new MqttConnection(services));
    }
}
