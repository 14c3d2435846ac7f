package io.estafeta.broker.transport;

import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.protocol.Topics;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;

/**
 * The rules a CONNECT packet must follow beyond what the decoder checks (protocol name and level,
 * the reserved flag, UTF-8, client id length for MQTT 3.1). Pure: it only reads the packet.
 *
 * <p>Refusal codes are given in MQTT 3.1.1's terms; {@link #forVersion} turns them into 5.0's.
 *
 * @param refusal   a CONNACK return code to refuse with, or null
 * @param violation why the packet breaks the specification, or null. MQTT 3.x: the connection is
 *                  closed without CONNACK; 5.0: CONNACK 0x82 Protocol Error, then closed.
 */
record ConnectCheck(MqttConnectReturnCode refusal, String violation) {

    static final int MQTT_3_1 = 3;
    static final int MQTT_3_1_1 = 4;
    static final int MQTT_5 = 5;
    private static final int MAX_QOS = 2;

    static final ConnectCheck ACCEPTABLE = new ConnectCheck(null, null);

    static ConnectCheck of(MqttConnectMessage connect, BrokerConfig config) {
        MqttConnectVariableHeader header = connect.variableHeader();
        MqttConnectPayload payload = connect.payload();
        int level = header.version();
        if (level != MQTT_3_1 && level != MQTT_3_1_1 && level != MQTT_5) {
            return refuse(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION);
        }
        boolean mqtt5 = level == MQTT_5;
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
        // 5.0 lets a client send a password without a username (3.1.2.9); 3.1.1 does not.
        if (!mqtt5 && header.hasPassword() && !header.hasUserName()) {
            return violation("password without username [MQTT-3.1.2-22]");
        }
        if (!mqtt5 && payload.clientIdentifier().isEmpty() && !header.isCleanSession()) {
            // [MQTT-3.1.3-8] (3.1.1) an empty client id needs Clean Session = 1.
            return refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
        }
        if (payload.clientIdentifier().isEmpty() && !config.clientIds().allowZeroLength()) {
            // allow_zero_length_clientid false: a server MAY allow an empty client id ([MQTT-3.1.3-6]), or refuse it.
            return refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
        }
        if (!payload.clientIdentifier().isEmpty() && !config.clientIds().allows(payload.clientIdentifier())) {
            // clientid_prefixes: Mosquitto answers "not authorized".
            return refuse(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
        }
        if (mqtt5) {
            MqttProperties properties = header.properties();
            if (Mqtt5Properties.intValue(properties, MqttProperties.RECEIVE_MAXIMUM, 1) == 0) {
                return violation("Receive Maximum 0: it must be at least 1 (3.1.2.11.3)");
            }
            if (Mqtt5Properties.has(properties, MqttProperties.MAXIMUM_PACKET_SIZE)
                    && Mqtt5Properties.unsignedIntValue(properties, MqttProperties.MAXIMUM_PACKET_SIZE, 1) == 0) {
                return violation("Maximum Packet Size 0: it must be at least 1 (3.1.2.11.4)");
            }
        } else if (exceedsMaxKeepalive(header.keepAliveTimeSeconds(), config.maxKeepalive())) {
            // MQTT 3.x has no way to tell the client a shorter keep-alive (5.0 has Server Keep
            // Alive); refuse as Mosquitto does.
            return refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED);
        }
        if (header.isWillFlag() && header.isWillRetain() && !config.retainAvailable()) {
            return refuse(mqtt5 ? MqttConnectReturnCode.CONNECTION_REFUSED_RETAIN_NOT_SUPPORTED
                    : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
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

    /** A 3.1.1 refusal code in the terms of the client's protocol version. */
    static MqttConnectReturnCode forVersion(MqttConnectReturnCode code, int level) {
        if (level != MQTT_5) {
            return code;
        }
        return switch (code) {
            case CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION ->
                    MqttConnectReturnCode.CONNECTION_REFUSED_UNSUPPORTED_PROTOCOL_VERSION;
            case CONNECTION_REFUSED_IDENTIFIER_REJECTED -> MqttConnectReturnCode.CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID;
            case CONNECTION_REFUSED_SERVER_UNAVAILABLE -> MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE_5;
            case CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD ->
                    MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD;
            case CONNECTION_REFUSED_NOT_AUTHORIZED -> MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED_5;
            default -> code;
        };
    }

    private static ConnectCheck refuse(MqttConnectReturnCode code) {
        return new ConnectCheck(code, null);
    }

    private static ConnectCheck violation(String reason) {
        return new ConnectCheck(null, reason);
    }
}
