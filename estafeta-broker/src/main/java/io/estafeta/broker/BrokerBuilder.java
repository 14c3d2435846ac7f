package io.estafeta.broker;

import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.config.ConfigException;
import io.estafeta.broker.config.ConfigParser;
import io.estafeta.broker.config.ListenerConfig;
import io.estafeta.broker.config.ParsedConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Starts a broker from an embedding program in one expression, with the options the command line has:
 *
 * <pre>{@code
 * try (Broker broker = Broker.builder().port(0).dataDirectory(dir).start()) {
 *     String uri = broker.uri();   // tcp://127.0.0.1:PORT
 * }
 * }</pre>
 *
 * <p>It starts from {@link BrokerConfig#defaults()} (one listener on 127.0.0.1:1883, anonymous clients
 * allowed), or from a configuration file or {@link BrokerConfig} given with {@code config(...)}; the other
 * settings apply on top of that, whatever order they are called in. Not thread-safe; one builder, one broker
 * (or several in a row: each {@link #start()} starts a new one).
 */
public final class BrokerBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerBuilder.class);

    private BrokerConfig base;
    private Path configFile;
    private Integer port;
    private Path dataDirectory;
    private Consumer<BrokerConfig.Builder> changes = builder -> { };

    BrokerBuilder() {
    }

    /** Starts from this configuration (replaces an earlier {@code config(...)}). */
    public BrokerBuilder config(BrokerConfig config) {
        this.base = Objects.requireNonNull(config, "config");
        this.configFile = null;
        return this;
    }

    /**
     * Starts from this configuration file (see docs/CONFIG.md), read by {@link #start()}; replaces an earlier
     * {@code config(...)}. Its warnings are logged.
     */
    public BrokerBuilder config(Path file) {
        this.configFile = Objects.requireNonNull(file, "file");
        this.base = null;
        return this;
    }

    /**
     * Listens on this port only (0: any free port, see {@link Broker#port()}), as {@code estafeta broker -p}
     * does: without a configuration, on 127.0.0.1 with anonymous clients allowed; with one, in place of its
     * listeners, bound to its first listener's address.
     */
    public BrokerBuilder port(int port) {
        this.port = new ListenerConfig(port, null).port();
        return this;
    }

    /** Keeps durable state in this directory. */
    public BrokerBuilder dataDirectory(Path directory) {
        this.dataDirectory = Objects.requireNonNull(directory, "directory");
        return this;
    }

    /** Any other setting, on the configuration's own builder: {@code .configure(c -> c.maxInflightMessages(10))}. */
    public BrokerBuilder configure(Consumer<BrokerConfig.Builder> change) {
        this.changes = changes.andThen(Objects.requireNonNull(change, "change"));
        return this;
    }

    /**
     * The configuration the broker would start with.
     *
     * @throws BrokerStartException if the configuration file cannot be read or is invalid
     */
    public BrokerConfig buildConfig() {
        BrokerConfig.Builder builder;
        if (configFile != null) {
            builder = read(configFile).toBuilder();
        } else if (base != null) {
            builder = base.toBuilder();
        } else {
            builder = BrokerConfig.builder();
        }
        if (port != null) {
            if (configFile == null && base == null) {
                builder.localOnlyPort(port);
            } else {
                BrokerConfig current = builder.build();
                builder.listener(port, current.listeners().get(0).bindAddress());
            }
        }
        if (dataDirectory != null) {
            builder.dataDirectory(dataDirectory);
        }
        changes.accept(builder);
        return builder.build();
    }

    /**
     * Starts the broker; returns once every listener is bound.
     *
     * @throws BrokerStartException if the configuration is invalid or a listener cannot be bound
     */
    public Broker start() {
        return Broker.start(buildConfig());
    }

    private static BrokerConfig read(Path file) {
        ParsedConfig parsed;
        try {
            parsed = ConfigParser.parse(file);
        } catch (ConfigException e) {
            throw new BrokerStartException(e.getMessage(), e);
        }
        parsed.warnings().forEach(warning -> LOG.warn("{}", warning));
        return parsed.config();
    }
}
