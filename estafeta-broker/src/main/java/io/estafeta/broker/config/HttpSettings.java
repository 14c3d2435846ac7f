package io.estafeta.broker.config;

import java.nio.file.Path;
import java.util.function.BiConsumer;

/**
 * The HTTP listener's directives as the parser meets them, resolved into one {@link HttpListenerConfig} at
 * the end of the file (they may come in any order).
 */
final class HttpSettings {

    private ConfigLine listenerLine;
    private int port;
    private String bindAddress;
    private Path certFile;
    private ConfigLine certFileLine;
    private Path keyFile;
    private ConfigLine keyFileLine;
    private Path adminPasswordFile;
    private boolean adminWithoutPassword;
    /** The first HTTP setting other than http_listener, to warn about if there is no listener. */
    private ConfigLine firstSetting;

    void listener(ConfigLine line, int value, String address) {
        listenerLine = line;
        port = value;
        bindAddress = address;
    }

    void certFile(Path value, ConfigLine line) {
        certFile = value;
        certFileLine = line;
        noteSetting(line);
    }

    void keyFile(Path value, ConfigLine line) {
        keyFile = value;
        keyFileLine = line;
        noteSetting(line);
    }

    void adminPasswordFile(Path value, ConfigLine line) {
        adminPasswordFile = value;
        noteSetting(line);
    }

    void adminWithoutPassword(boolean value, ConfigLine line) {
        adminWithoutPassword = value;
        noteSetting(line);
    }

    private void noteSetting(ConfigLine line) {
        if (firstSetting == null) {
            firstSetting = line;
        }
    }

    /**
     * The listener, or null when no {@code http_listener} line was given.
     *
     * @param warn where a setting that has no effect is reported
     */
    HttpListenerConfig resolve(BiConsumer<ConfigLine, String> warn) throws ConfigException {
        if (listenerLine == null) {
            if (firstSetting != null) {
                warn.accept(firstSetting, firstSetting.directive() + " has no effect without http_listener");
            }
            return null;
        }
        if (certFile != null && keyFile == null) {
            throw certFileLine.problem("http_certfile needs http_keyfile too");
        }
        if (keyFile != null && certFile == null) {
            throw keyFileLine.problem("http_keyfile needs http_certfile too");
        }
        TlsConfig tls = certFile == null ? null : TlsConfig.of(certFile, keyFile);
        return new HttpListenerConfig(port, bindAddress, tls, adminPasswordFile, adminWithoutPassword);
    }
}
