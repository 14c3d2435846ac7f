package io.estafeta.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The project version, from a resource Maven filters at build time: bin/estafeta runs from
 * target/classes, where no jar manifest exists to carry it.
 */
public final class BrokerVersion {

    private static final String RESOURCE = "version.properties";
    private static final String UNKNOWN = "unknown";

    private BrokerVersion() {
    }

    /** The version Maven built, e.g. {@code 0.1.0-SNAPSHOT}; "unknown" when not built by Maven. */
    public static String current() {
        try (InputStream in = BrokerVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", UNKNOWN);
            // An unfiltered copy (an IDE build that skipped Maven's resource filtering) still says ${...}.
            return version.startsWith("${") ? UNKNOWN : version;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }
}
