package io.estafeta.broker.transport;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
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
        pipeline.addLast("decoder", new MqttDecoder(services.config().maxPacketSize(), MQTT_3_1_MAX_CLIENT_ID_LENGTH));
        pipeline.addLast("encoder", MqttEncoder.INSTANCE);
        pipeline.addLast("mqtt", new MqttConnection(services));
    }
}
