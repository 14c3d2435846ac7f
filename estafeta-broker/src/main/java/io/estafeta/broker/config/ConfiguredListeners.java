package io.estafeta.broker.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The listeners a configuration asks for: Mosquitto's default listener (set by the deprecated {@code port}
 * and {@code bind_address}) and any number of {@code listener} lines, each remembered with the line that
 * made it so that a duplicate can be reported at both places.
 *
 * <p>As in Mosquitto, a listener setting ({@code certfile}, {@code max_connections}, ...) belongs to the
 * {@code listener} line above it; before the first {@code listener} line it belongs to the default listener.
 */
final class ConfiguredListeners {

    /** A listener being read: its own line and the settings that followed it. */
    private static final class Draft {
        private int port;
        private String bindAddress;
        private String where;
        private int maxConnections = ListenerConfig.UNLIMITED;
        private Placed<Path> certFile;
        private Placed<Path> keyFile;
        private Placed<Secret> keyFilePassword;
        private Placed<Path> keyStore;
        private Placed<Secret> keyStorePassword;
        private Placed<Path> caFile;
        private Placed<Boolean> requireCertificate;
        private Placed<Boolean> useIdentityAsUsername;
        private Placed<List<String>> protocols;
        private Placed<List<String>> ciphers;
        private Placed<List<String>> ciphersTls13;
        private ListenerProtocol protocol = ListenerProtocol.MQTT;
        private Placed<String> websocketsPath;

        private Draft(int port, String bindAddress, String where) {
            this.port = port;
            this.bindAddress = bindAddress;
            this.where = where;
        }

        ListenerConfig resolve() throws ConfigException {
            ListenerConfig listener = new ListenerConfig(port, bindAddress, null, maxConnections, protocol,
                    websocketsPath == null ? ListenerConfig.DEFAULT_WEBSOCKETS_PATH : websocketsPath.value());
            if (websocketsPath != null && protocol != ListenerProtocol.WEBSOCKETS) {
                throw new ConfigException(websocketsPath.where() + ": websockets_path needs protocol websockets"
                        + " on the same listener (" + listener.describe() + ")");
            }
            if (certFile == null && keyFile == null && keyStore == null) {
                // require_certificate false and use_identity_as_username false ask for nothing (Mosquitto's
                // annotated example writes them out on plain listeners).
                Placed<?> stray = firstOf(caFile, enabled(requireCertificate), enabled(useIdentityAsUsername),
                        protocols, ciphers, ciphersTls13, keyFilePassword, keyStorePassword);
                if (stray != null) {
                    throw new ConfigException(stray.where() + ": " + stray.directive() + " needs certfile and keyfile"
                            + " (or keystore) on the same listener (" + listener.describe() + ")");
                }
                return listener;
            }
            if (keyStore != null) {
                Placed<?> both = firstOf(certFile, keyFile, keyFilePassword);
                if (both != null) {
                    throw new ConfigException(both.where() + ": " + both.directive() + " and keystore ("
                            + keyStore.where() + ") both give the listener's key; use one or the other");
                }
                if (keyStorePassword == null) {
                    throw new ConfigException(keyStore.where() + ": keystore needs keystore_password on the same"
                            + " listener (a PKCS#12 file without a password cannot be read)");
                }
            } else if (certFile == null || keyFile == null) {
                Placed<Path> given = certFile != null ? certFile : keyFile;
                String missing = certFile == null ? "certfile" : "keyfile";
                throw new ConfigException(given.where() + ": " + given.directive() + " needs " + missing
                        + " on the same listener (" + listener.describe() + ")");
            } else if (keyStorePassword != null) {
                throw new ConfigException(keyStorePassword.where() + ": keystore_password needs keystore on the"
                        + " same listener");
            }
            boolean require = requireCertificate != null && requireCertificate.value();
            if (require && caFile == null) {
                throw new ConfigException(requireCertificate.where()
                        + ": require_certificate true needs cafile to check client certificates against");
            }
            boolean identity = useIdentityAsUsername != null && useIdentityAsUsername.value();
            if (identity && !require) {
                // Without require_certificate no client certificate is asked for, so no client could connect.
                throw new ConfigException(useIdentityAsUsername.where()
                        + ": use_identity_as_username true needs require_certificate true on the same listener");
            }
            Placed<Secret> password = keyStore != null ? keyStorePassword : keyFilePassword;
            return listener.withTls(new TlsConfig(valueOf(certFile), valueOf(keyFile), valueOf(keyStore),
                    valueOf(caFile), require, identity,
                    protocols == null ? TlsConfig.ALL_PROTOCOLS : protocols.value(),
                    ciphers == null ? List.of() : ciphers.value(),
                    ciphersTls13 == null ? List.of() : ciphersTls13.value(), valueOf(password)));
        }

        private static Placed<Boolean> enabled(Placed<Boolean> setting) {
            return setting != null && setting.value() ? setting : null;
        }

        private static <T> T valueOf(Placed<T> setting) {
            return setting == null ? null : setting.value();
        }

        private static Placed<?> firstOf(Placed<?>... settings) {
            for (Placed<?> setting : settings) {
                if (setting != null) {
                    return setting;
                }
            }
            return null;
        }
    }

    /** A setting and the line that gave it. */
    private record Placed<T>(T value, String directive, String where) {
        static <T> Placed<T> of(T value, ConfigLine line) {
            return new Placed<>(value, line.directive(), line.where());
        }
    }

    private final List<Draft> declared = new ArrayList<>();
    private final Draft defaultListener = new Draft(BrokerConfig.DEFAULT_PORT, null, null);
    private boolean defaultListenerConfigured;
    private String firstDefaultSetting;

    void add(int port, String bindAddress, ConfigLine line) {
        declared.add(new Draft(port, bindAddress, line.where()));
    }

    /** {@code port}: a repeat replaces the earlier value, as in Mosquitto. */
    void defaultPort(int port, ConfigLine line) {
        defaultListener.port = port;
        defaultListener.where = line.where();
        defaultListenerConfigured = true;
    }

    /** {@code bind_address}: a repeat replaces the earlier value, as in Mosquitto. */
    void defaultBindAddress(String address, ConfigLine line) {
        defaultListener.bindAddress = address;
        defaultListener.where = line.where();
        defaultListenerConfigured = true;
    }

    void certFile(Path file, ConfigLine line) {
        current(line).certFile = Placed.of(file, line);
    }

    void keyFile(Path file, ConfigLine line) {
        current(line).keyFile = Placed.of(file, line);
    }

    void keyFilePassword(Secret password, ConfigLine line) {
        current(line).keyFilePassword = Placed.of(password, line);
    }

    void keyStore(Path file, ConfigLine line) {
        current(line).keyStore = Placed.of(file, line);
    }

    void keyStorePassword(Secret password, ConfigLine line) {
        current(line).keyStorePassword = Placed.of(password, line);
    }

    void caFile(Path file, ConfigLine line) {
        current(line).caFile = Placed.of(file, line);
    }

    void requireCertificate(boolean value, ConfigLine line) {
        current(line).requireCertificate = Placed.of(value, line);
    }

    void useIdentityAsUsername(boolean value, ConfigLine line) {
        current(line).useIdentityAsUsername = Placed.of(value, line);
    }

    void protocols(List<String> value, ConfigLine line) {
        current(line).protocols = Placed.of(value, line);
    }

    void ciphers(List<String> value, ConfigLine line) {
        current(line).ciphers = Placed.of(value, line);
    }

    void ciphersTls13(List<String> value, ConfigLine line) {
        current(line).ciphersTls13 = Placed.of(value, line);
    }

    void protocol(ListenerProtocol value, ConfigLine line) {
        current(line).protocol = value;
    }

    void websocketsPath(String value, ConfigLine line) {
        current(line).websocketsPath = Placed.of(value, line);
    }

    void maxConnections(int value, ConfigLine line) {
        current(line).maxConnections = value;
    }

    private Draft current(ConfigLine line) {
        if (declared.isEmpty()) {
            if (firstDefaultSetting == null) {
                firstDefaultSetting = line.where() + ": " + line.directive();
            }
            return defaultListener;
        }
        return declared.getLast();
    }

    /**
     * Every configured listener, the default listener first, then the {@code listener} lines in the order
     * they were read; empty if the configuration named none (the broker then stays in local-only mode).
     */
    List<ListenerConfig> resolve() throws ConfigException {
        List<Draft> all = new ArrayList<>();
        if (defaultListenerConfigured) {
            // Mosquitto 2 starts the default listener as soon as either port or bind_address is given.
            all.add(defaultListener);
        } else if (firstDefaultSetting != null) {
            throw new ConfigException(firstDefaultSetting + " belongs to a listener: put it after a listener line"
                    + " (or after port)");
        }
        all.addAll(declared);
        Map<String, String> seen = new HashMap<>();
        List<ListenerConfig> resolved = new ArrayList<>();
        for (Draft draft : all) {
            ListenerConfig listener = draft.resolve();
            // Port 0 asks for any free port, so two such listeners never collide.
            boolean anyFreePort = listener.port() == 0;
            String address = (listener.bindAddress() == null ? "" : listener.bindAddress()) + ":" + listener.port();
            String earlier = anyFreePort ? null : seen.putIfAbsent(address, draft.where);
            if (earlier != null) {
                throw new ConfigException(draft.where + ": the listener on " + listener.describe()
                        + " is already configured at " + earlier);
            }
            resolved.add(listener);
        }
        return resolved;
    }
}
