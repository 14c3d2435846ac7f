package io.estafeta.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The broker's version, from a resource Maven filters at build time (there is no jar manifest in target/classes). */
public final class BrokerVersion {

    private static final String RESOURCE = "version.properties";
    private static final String UNKNOWN = "unknown";

    private BrokerVersion() {
    }

    /** e.g. {@code 0.1.0-SNAPSHOT}; "unknown" when the resource was not filtered by Maven. */
    public static String current() {
        try (InputStream in = BrokerVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", UNKNOWN);
            return version.startsWith("${") ? UNKNOWN : version;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
