package io.estafeta.broker.transport;

import io.estafeta.broker.metrics.BrokerMetrics.RefusalCause;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;

/** Groups CONNACK refusal codes (3.1.1 and 5.0 alike) into the causes the metrics count. */
final class RefusalCauses {

    private RefusalCauses() {
    }

    static RefusalCause of(MqttConnectReturnCode code) {
        return switch (code) {
            case CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD, CONNECTION_REFUSED_NOT_AUTHORIZED,
                 CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD, CONNECTION_REFUSED_NOT_AUTHORIZED_5,
                 CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD, CONNECTION_REFUSED_BANNED ->
                    RefusalCause.NOT_AUTHORIZED;
            case CONNECTION_REFUSED_IDENTIFIER_REJECTED, CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID ->
                    RefusalCause.IDENTIFIER_REJECTED;
            case CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION, CONNECTION_REFUSED_UNSUPPORTED_PROTOCOL_VERSION ->
                    RefusalCause.UNSUPPORTED_PROTOCOL_VERSION;
            case CONNECTION_REFUSED_SERVER_UNAVAILABLE, CONNECTION_REFUSED_SERVER_UNAVAILABLE_5,
                 CONNECTION_REFUSED_SERVER_BUSY, CONNECTION_REFUSED_CONNECTION_RATE_EXCEEDED ->
                    RefusalCause.SERVER_UNAVAILABLE;
            default -> RefusalCause.OTHER;
        };
    }
}
