package io.estafeta.cli;

import io.estafeta.broker.Broker;
import io.estafeta.broker.BrokerStartException;
import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.config.ConfigException;
import io.estafeta.broker.config.ConfigParser;
import io.estafeta.broker.config.ListenerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code estafeta broker}: runs the broker in the foreground until SIGTERM or SIGINT, with
 * Mosquitto's option names where Mosquitto has the same option.
 */
@Command(name = "broker",
        mixinStandardHelpOptions = true,
        versionProvider = EstafetaVersion.class,
        description = {
                "Runs the MQTT broker in the foreground until SIGTERM or SIGINT (Ctrl-C).",
                "Without options it listens on 127.0.0.1:1883 only and allows anonymous clients.",
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
                ExitStatus.OK_HELP,
                ExitStatus.RUNTIME_FAILURE_HELP,
                ExitStatus.USAGE_HELP,
                ExitStatus.CONFIGURATION_HELP,
                ExitStatus.CANNOT_START_HELP,
        })
public final class BrokerCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerCommand.class);
    private static final int MAX_PORT = 65535;
    /** Every listener speaks MQTT over TCP for now; TLS and WebSocket listeners will say so here. */
    private static final String MQTT = "mqtt";
    private static final String WEBSOCKETS = "websockets";
    private static final String TLS = ", tls";

    @Spec
    private CommandSpec spec;

    private Integer port;

    @Option(names = {"-c", "--config-file"}, paramLabel = "CONFIG",
            description = "Reads the configuration from this file (see docs/CONFIG.md).")
    private Path configFile;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Keeps durable state in this directory (overrides the configuration file).")
    private Path dataDirectory;

    @Option(names = {"-v", "--verbose"},
            description = "Logs Estafeta's own DEBUG messages too.")
    private boolean verbose;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT",
            description = {
                    "Listens on this port (0: any free port).",
                    "Without -c: on 127.0.0.1 only, anonymous clients allowed.",
                    "With -c: replaces the file's listeners by one on this port, bound to the first "
                            + "listener's address.",
            })
    void port(int value) {
        if (value < 0 || value > MAX_PORT) {
            throw new ParameterException(spec.commandLine(),
                    "invalid port " + value + ": must be 0.." + MAX_PORT);
        }
        port = value;
    }

    @Override
    public Integer call() {
        if (verbose) {
            Logging.verbose();
        }
        PrintWriter err = spec.commandLine().getErr();
        BrokerConfig config;
        try {
            config = resolveConfig(err);
        } catch (ConfigException e) {
            err.println("estafeta: " + e.getMessage());
            err.flush();
            return ExitStatus.CONFIGURATION;
        }
        err.flush();
        Logging.apply(config.logging());
        if (verbose) {
            Logging.verbose();
        }

        LOG.info("estafeta {} on Java {}", EstafetaVersion.current(), Runtime.version());
        Broker broker;
        try {
            broker = Broker.start(config);
        } catch (BrokerStartException e) {
            err.println("estafeta: " + describe(e));
            err.flush();
            return ExitStatus.CANNOT_START;
        }
        List<ListenerConfig> listeners = broker.config().listeners();
        for (int i = 0; i < listeners.size(); i++) {
            LOG.info("listening on {} ({})", format(broker.boundAddresses().get(i)), describeProtocol(listeners.get(i)));
        }
        return new ForegroundBroker(broker).runUntilStopped();
    }

    /** What a listener speaks, for the "listening on" line: {@code mqtt}, {@code websockets /mqtt}, {@code , tls}. */
    private static String describeProtocol(ListenerConfig listener) {
        String protocol = listener.isWebSocket() ? WEBSOCKETS + " " + listener.websocketsPath() : MQTT;
        return listener.tls() == null ? protocol : protocol + TLS;
    }

    /**
     * The configuration the options describe. Package-private for tests: it reads the file but starts
     * nothing.
     *
     * @param err where each warning of the configuration file is printed, as {@code estafeta: warning: ...}
     */
    BrokerConfig resolveConfig(PrintWriter err) throws ConfigException {
        BrokerConfig.Builder builder;
        if (configFile == null) {
            builder = BrokerConfig.builder();
            if (port != null) {
                builder.localOnlyPort(port);
            }
        } else {
            var parsed = ConfigParser.parse(configFile);
            for (String warning : parsed.warnings()) {
                err.println("estafeta: warning: " + warning);
            }
            BrokerConfig fromFile = parsed.config();
            builder = fromFile.toBuilder();
            if (port != null) {
                // Mosquitto ignores -p when the file has listeners; we let the command line win, which is
                // what someone typing -p expects, and keep the first listener's address so that a file
                // binding to one interface does not silently open the broker to all of them.
                ListenerConfig first = fromFile.listeners().get(0);
                builder.listener(port, first.bindAddress());
            }
        }
        if (dataDirectory != null) {
            builder.dataDirectory(dataDirectory);
        }
        return builder.build();
    }

    private static String describe(BrokerStartException e) {
        Throwable cause = e.getCause();
        String message = e.getMessage();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            return message + ": " + cause.getMessage();
        }
        return message;
    }

    /** {@code 127.0.0.1:1883}, {@code [::1]:1883}: the form a user can paste into a client's options. */
    static String format(InetSocketAddress address) {
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        if (address.getAddress() instanceof Inet6Address) {
            host = "[" + host + "]";
        }
        return host + ":" + address.getPort();
    }
}
