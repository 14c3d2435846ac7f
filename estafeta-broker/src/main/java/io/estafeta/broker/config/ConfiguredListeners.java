package io.estafeta.broker.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The listeners a configuration asks for: Mosquitto's default listener (set by the deprecated {@code port}
 * and {@code bind_address}) and any number of {@code listener} lines, each remembered with the line that
 * made it so that a duplicate can be reported at both places.
 */
final class ConfiguredListeners {

    /** A listener and the {@code FILE:LINE} that configured it. */
    private record Placed(ListenerConfig listener, String where) {
    }

    private final List<Placed> declared = new ArrayList<>();
    private Integer defaultPort;
    private String defaultBindAddress;
    private String defaultWhere;

    void add(ListenerConfig listener, ConfigLine line) {
        declared.add(new Placed(listener, line.where()));
    }

    /** {@code port}: a repeat replaces the earlier value, as in Mosquitto. */
    void defaultPort(int port, ConfigLine line) {
        defaultPort = port;
        defaultWhere = line.where();
    }

    /** {@code bind_address}: a repeat replaces the earlier value, as in Mosquitto. */
    void defaultBindAddress(String address, ConfigLine line) {
        defaultBindAddress = address;
        defaultWhere = line.where();
    }

    /**
     * Every configured listener, the default listener first, then the {@code listener} lines in the order
     * they were read; empty if the configuration named none (the broker then stays in local-only mode).
     */
    List<ListenerConfig> resolve() throws ConfigException {
        List<Placed> all = new ArrayList<>();
        if (defaultWhere != null) {
            // Mosquitto 2 starts the default listener as soon as either port or bind_address is given.
            int port = defaultPort != null ? defaultPort : BrokerConfig.DEFAULT_PORT;
            all.add(new Placed(new ListenerConfig(port, defaultBindAddress), defaultWhere));
        }
        all.addAll(declared);
        Map<ListenerConfig, String> seen = new HashMap<>();
        for (Placed placed : all) {
            // Port 0 asks for any free port, so two such listeners never collide.
            boolean anyFreePort = placed.listener().port() == 0;
            String earlier = anyFreePort ? null : seen.putIfAbsent(placed.listener(), placed.where());
            if (earlier != null) {
                throw new ConfigException(placed.where() + ": the listener on " + placed.listener().describe()
                        + " is already configured at " + earlier);
            }
        }
        return all.stream().map(Placed::listener).toList();
    }
}
