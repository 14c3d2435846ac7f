package io.estafeta.broker.config;

import java.util.Objects;

/**
 * A password from the configuration file (a key's or a keystore's). Never shown: {@link #toString()} hides
 * it, so that a configuration logged or printed in an error does not give it away.
 */
public final class Secret {

    private static final String HIDDEN = "******";

    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** The password itself, as characters for the JDK's key APIs. */
    public char[] reveal() {
        return value.toCharArray();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && secret.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return HIDDEN;
    }
}
