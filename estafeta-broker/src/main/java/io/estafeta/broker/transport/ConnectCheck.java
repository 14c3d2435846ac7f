package io.estafeta.broker.transport;

import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.protocol.Topics;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;

/**
 * The rules a CONNECT packet must follow beyond what the decoder checks (protocol name and level,
 * the reserved flag, UTF-8, client id length for MQTT 3.1). Pure: it only reads the packet.
 *
 * @param refusal   a CONNACK return code to refuse with, or null
 * @param violation why the packet breaks the specification (the connection is closed without
 *                  CONNACK), or null
 */
record ConnectCheck(MqttConnectReturnCode refusal, String violation) {

    private static final int MQTT_3_1 = 3;
    private static final int MQTT_3_1_1 = 4;
    private static final int MQTT_5 = 5;
    private static final int MAX_QOS = 2;

    static final ConnectCheck ACCEPTABLE = new ConnectCheck(null, null);

    boolean isAcceptable() {
        return refusal == null && violation == null;
    }

    static ConnectCheck of(MqttConnectMessage connect, BrokerConfig config) {
        MqttConnectVariableHeader header = connect.variableHeader();
        MqttConnectPayload payload = connect.payload();
        int level = header.version();
        if (level == MQTT_5) {
            // MQTT 5 is not served yet. The codec already speaks 5.0 on this channel, so the refusal
            // is a 5.0 CONNACK with 0x84 Unsupported Protocol Version (MQTT 5.0 [MQTT-3.1.2-2]).
            return refuse(MqttConnectReturnCode.CONNECTION_REFUSED_UNSUPPORTED_PROTOCOL_VERSION);
        }
        if (level != MQTT_3_1 && level != MQTT_3_1_1) {
            return refuse(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION);
        }
        if (!header.isWillFlag()) {
            if (header.willQos() != 0) {
                return violation("will QoS " + header.willQos() + " without will flag [MQTT-3.1.2-13]");
            }
            if (header.isWillRetain()) {
                return violation("will retain without will flag [MQTT-3.1.2-15]");
            }
        } else {
            if (header.willQos() > MAX_QOS) {
                return violation("will QoS 3 [MQTT-3.1.2-14]");
            }
            if (!Topics.isValidTopicName(payload.willTopic())) {
                return violation("invalid will topic '" + payload.willTopic() + "'");
            }
        }
        if (header.hasPassword() && !header.hasUserName()) {
            return violation("password without username [MQTT-3.1.2-22]");
        }
        if (payload.clientIdentifier().isEmpty() && !header.isCleanSession()) {
            // [MQTT-3.1.3-8] an empty client id needs Clean Session = 1.
            return refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
        }
        if (exceedsMaxKeepalive(header.keepAliveTimeSeconds(), config.maxKeepalive())) {
            // MQTT 3.x has no way to tell the client a shorter keep-alive; refuse as Mosquitto does.
            return refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
        }
        if (header.isWillFlag() && header.isWillRetain() && !config.retainAvailable()) {
            return refuse(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        }
        return ACCEPTABLE;
    }

    /** Keep-alive 0 means "never": more than any limit the operator chose below the maximum. */
    static boolean exceedsMaxKeepalive(int keepAliveSeconds, int maxKeepalive) {
        if (maxKeepalive >= BrokerConfig.MAX_KEEPALIVE_LIMIT) {
            return false;
        }
        return keepAliveSeconds == 0 || keepAliveSeconds > maxKeepalive;
    }

    private static ConnectCheck refuse(MqttConnectReturnCode code) {
        return new ConnectCheck(code, null);
    }

    private static ConnectCheck violation(String reason) {
        return new ConnectCheck(null, reason);
    }
}
