package io.estafeta.broker.config;

import java.util.List;
import java.util.Objects;

/**
 * What {@link ConfigParser} read: the configuration, and the warnings about lines it ignored (each already
 * logged), in the order they were found.
 *
 * @param config   the configuration to run with
 * @param warnings one line each, starting with {@code FILE:LINE:}
 */
public record ParsedConfig(BrokerConfig config, List<String> warnings) {

    public ParsedConfig {
        Objects.requireNonNull(config, "config");
        warnings = List.copyOf(warnings);
    }
}
