package io.estafeta.broker.bridge;

import io.estafeta.broker.config.BridgeConfig;
import io.estafeta.broker.session.Session;
import io.estafeta.client.ClientEventLoops;
import io.estafeta.client.MessageProperties;
import io.estafeta.client.MqttClientOptions;
import io.estafeta.client.ReconnectPolicy;
import io.estafeta.client.TlsOptions;
import io.estafeta.client.WillMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;

import javax.net.ssl.SSLException;
import java.nio.charset.StandardCharsets;

/** The client settings a bridge's configuration stands for. */
final class BridgeClientOptions {

    /** Notifications: "1" while connected, "0" otherwise, as Mosquitto publishes them. */
    static final byte[] CONNECTED = "1".getBytes(StandardCharsets.UTF_8);
    static final byte[] DISCONNECTED = "0".getBytes(StandardCharsets.UTF_8);

    private BridgeClientOptions() {
    }

    static MqttClientOptions of(BridgeConfig config, ClientEventLoops loops, int maxInflight) throws SSLException {
        MqttVersion version = version(config.protocol());
        MqttClientOptions.Builder options = MqttClientOptions.builder()
                .addresses(config.addresses())
                .clientId(config.remoteClientId())
                .version(version)
                .cleanStart(config.cleanSession())
                .keepAlive(config.keepAlive())
                .username(config.remoteUsername())
                .password(config.remotePassword())
                .maxInflight(maxInflight)
                // lazy and once: the bridge decides whether to connect again, not the client.
                .reconnect(config.start().type() == BridgeConfig.StartType.AUTOMATIC
                        ? reconnectPolicy(config.restartTimeout()) : ReconnectPolicy.disabled())
                .eventLoops(loops)
                .bridgeMode(config.tryPrivate());
        if (!config.roundRobin() && config.start().type() != BridgeConfig.StartType.ONCE) {
            // round_robin false: the first address is the main one (once never connects again, so never goes back).
            options.returnToFirstAddress(config.mainAddressProbeInterval());
        }
        if (version == MqttVersion.MQTT_5 && !config.cleanSession()) {
            // 5.0: without a Session Expiry Interval the remote would end the session with the connection.
            options.connectProperties(MessageProperties.builder().sessionExpiryInterval(Session.NEVER_EXPIRES).build());
        }
        if (config.notifications() && !config.notificationsLocalOnly()) {
            // The remote broker announces the loss itself: its copy of the state turns to 0.
            options.will(new WillMessage(config.notificationTopic(), DISCONNECTED, MqttQoS.AT_LEAST_ONCE, true));
        }
        BridgeConfig.Tls tls = config.tls();
        if (tls != null) {
            options.sslContext(new TlsOptions(tls.caFile(), tls.certFile(), tls.keyFile(), tls.insecure())
                    .toSslContext());
        }
        return options.build();
    }

    /** restart_timeout: a constant delay, or Mosquitto's decorrelated jitter from base up to cap. */
    static ReconnectPolicy reconnectPolicy(BridgeConfig.RestartTimeout timeout) {
        return timeout.isConstant() ? ReconnectPolicy.constant(timeout.base())
                : ReconnectPolicy.decorrelatedJitter(timeout.base(), timeout.cap());
    }

    private static MqttVersion version(BridgeConfig.Protocol protocol) {
        return switch (protocol) {
            case MQTT_3_1 -> MqttVersion.MQTT_3_1;
            case MQTT_3_1_1 -> MqttVersion.MQTT_3_1_1;
            case MQTT_5 -> MqttVersion.MQTT_5;
        };
    }
}
