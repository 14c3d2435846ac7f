package io.estafeta.cli;

import io.estafeta.broker.BrokerVersion;
import picocli.CommandLine.IVersionProvider;

/** What {@code estafeta --version} prints: the project version (the broker module carries it) and the JVM. */
public final class EstafetaVersion implements IVersionProvider {

    /** The version Maven built, e.g. {@code 0.1.0-SNAPSHOT}; "unknown" when not built by Maven. */
    public static String current() {
        return BrokerVersion.current();
    }

    @Override
    public String[] getVersion() {
        return new String[] {
                "estafeta " + current(),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
        };
    }
}
