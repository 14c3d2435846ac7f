package io.estafeta.broker.config;

import java.util.Map;
import java.util.Optional;

/**
 * Mosquitto directives that a real {@code mosquitto.conf} often holds and that Estafeta accepts without
 * acting on them. None of them protects the broker (those stop it: see ConfigParser), so a file that uses
 * them still starts a broker. A value that asks for what Estafeta does anyway is taken silently; any other
 * value is a warning saying it is accepted but not implemented, and why.
 */
final class UnimplementedDirectives {

    /**
     * @param harmlessValue the value that matches Estafeta's behaviour (no warning), or null if every value
     *                      warns
     * @param why           what Estafeta does instead
     */
    private record Directive(String harmlessValue, String why) {
    }

    private static final String LOGBACK = "Estafeta logs through SLF4J/Logback; set the destination and format"
            + " in logback.xml";
    private static final String SERVICE_MANAGER = "start Estafeta from a service manager (systemd) that writes the"
            + " pid file and runs it as the user you want";
    private static final String WRITES_AS_IT_GOES = "Estafeta writes each change to its store as it happens"
            + " (persistence_mode)";

    private static final Map<String, Directive> DIRECTIVES = Map.ofEntries(
            Map.entry("pid_file", new Directive(null, SERVICE_MANAGER)),
            Map.entry("user", new Directive(null, SERVICE_MANAGER)),
            Map.entry("log_dest", new Directive(null, LOGBACK)),
            Map.entry("log_facility", new Directive(null, LOGBACK)),
            Map.entry("log_timestamp", new Directive(null, LOGBACK)),
            Map.entry("log_timestamp_format", new Directive(null, LOGBACK)),
            Map.entry("autosave_interval", new Directive(null, WRITES_AS_IT_GOES)),
            Map.entry("autosave_on_changes", new Directive(null, WRITES_AS_IT_GOES)),
            Map.entry("persistence_file", new Directive(null, "Estafeta's store is a RocksDB database in the"
                    + " 'store' sub-directory of persistence_location / data_directory")),
            Map.entry("set_tcp_nodelay", new Directive("true", "Estafeta always sets TCP_NODELAY (Nagle's"
                    + " algorithm off)")),
            Map.entry("upgrade_outgoing_qos", new Directive("false", "messages are delivered at the lower of"
                    + " the published and the subscribed QoS")),
            Map.entry("check_retain_source", new Directive("false", "a retained message is checked against the"
                    + " publisher's write access when it is published, and against each subscriber's read"
                    + " access when it is delivered")),
            Map.entry("memory_limit", new Directive("0", "see outbound_memory_budget and the queue limits for"
                    + " Estafeta's bounds on memory")),
            Map.entry("max_inflight_bytes", new Directive("0", "in-flight messages are bounded by"
                    + " max_inflight_messages")),
            Map.entry("max_qos", new Directive("2", "every QoS is supported")));

    private UnimplementedDirectives() {
    }

    /** Whether the directive is one of these. */
    static boolean contains(String directive) {
        return DIRECTIVES.containsKey(directive);
    }

    /** The warning for this line, or empty if its value is what Estafeta does anyway. */
    static Optional<String> warning(ConfigLine line) {
        Directive directive = DIRECTIVES.get(line.directive());
        if (directive.harmlessValue() != null && directive.harmlessValue().equals(line.value())) {
            return Optional.empty();
        }
        return Optional.of("'" + line.directive() + "' is accepted but not implemented (ignored): "
                + directive.why());
    }
}
