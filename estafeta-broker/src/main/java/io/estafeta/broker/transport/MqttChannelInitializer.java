package io.estafeta.broker.transport;

import io.estafeta.protocol.codec.MqttPacketDecoder;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;

/** The pipeline of a plain TCP MQTT connection: decoder, encoder, protocol handler. */
final class MqttChannelInitializer extends ChannelInitializer<SocketChannel> {

    /** MQTT 3.1 allows client identifiers of at most 23 characters; 3.1.1 lets servers accept more. */
    private static final int MQTT_3_1_MAX_CLIENT_ID_LENGTH = 23;

    private final ConnectionServices services;

    MqttChannelInitializer(ConnectionServices services) {
        this.services = services;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        // Our strict decoder: the same messages as Netty's MqttDecoder, plus the checks it skips and a
        // reason code on every failure (MqttDecodingException.reasonCodeOf).
        pipeline.addLast("decoder",
                new MqttPacketDecoder(services.config().maxPacketSize(), MQTT_3_1_MAX_CLIENT_ID_LENGTH));
        pipeline.addLast("encoder", MqttEncoder.INSTANCE);
        pipeline.addLast("mqtt", new MqttConnection(services));
    }
}
