package io.estafeta.broker.config;

import java.util.List;
import java.util.Objects;

/**
 * Which client identifiers the broker accepts, and the ones it makes up, in Mosquitto's words.
 *
 * @param allowZeroLength {@code allow_zero_length_clientid}: whether a client may send an empty client id
 *                        and have one assigned ([MQTT-3.1.3-6]); if not, it is refused (CONNACK 0x02 / 0x85)
 * @param autoIdPrefix    {@code auto_id_prefix}: how assigned client ids start
 * @param requiredPrefixes {@code clientid_prefixes}: if not empty, only client ids starting with one of
 *                        these may connect (others: CONNACK not authorized, as Mosquitto answers)
 */
public record ClientIdRules(boolean allowZeroLength, String autoIdPrefix, List<String> requiredPrefixes) {

    /** Mosquitto's prefix for the client ids it assigns. */
    public static final String DEFAULT_AUTO_ID_PREFIX = "auto-";
    public static final ClientIdRules DEFAULTS = new ClientIdRules(true, DEFAULT_AUTO_ID_PREFIX, List.of());

    public ClientIdRules {
        Objects.requireNonNull(autoIdPrefix, "autoIdPrefix");
        requiredPrefixes = List.copyOf(requiredPrefixes);
    }

    /** Whether a client may use this (non-empty) client id. */
    public boolean allows(String clientId) {
        return requiredPrefixes.isEmpty() || requiredPrefixes.stream().anyMatch(clientId::startsWith);
    }

    public ClientIdRules withAllowZeroLength(boolean value) {
        return new ClientIdRules(value, autoIdPrefix, requiredPrefixes);
    }

    public ClientIdRules withAutoIdPrefix(String value) {
        return new ClientIdRules(allowZeroLength, value, requiredPrefixes);
    }

    public ClientIdRules withRequiredPrefixes(List<String> value) {
        return new ClientIdRules(allowZeroLength, autoIdPrefix, value);
    }
}
