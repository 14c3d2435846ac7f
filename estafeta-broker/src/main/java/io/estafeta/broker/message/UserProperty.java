package io.estafeta.broker.message;

import java.util.Objects;

/** An MQTT 5 User Property: a name-value pair of UTF-8 strings, passed through unchanged. */
public record UserProperty(String name, String value) {

    public UserProperty {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
