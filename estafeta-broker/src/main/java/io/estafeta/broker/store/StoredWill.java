package io.estafeta.broker.store;

import io.estafeta.broker.message.ApplicationMessage;

import java.util.Objects;

/**
 * A will waiting for its Will Delay Interval (MQTT 5, [MQTT-3.1.3-9]).
 *
 * @param clientId       the session it belongs to
 * @param will           the will message
 * @param publishAtMillis when it is due (epoch millis); earlier if the session ends first
 */
public record StoredWill(String clientId, ApplicationMessage will, long publishAtMillis) {

    public StoredWill {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(will, "will");
    }
}
