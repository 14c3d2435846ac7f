package io.estafeta.broker.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Estafeta's HTTP listener directives in mosquitto.conf syntax (docs/CONFIG.md, docs/OPERATIONS.md). */
class HttpConfigParserTest {

    private static final String SOURCE = "test.conf";

    private static ParsedConfig parse(String... lines) throws ConfigException {
        return ConfigParser.parse(String.join("\n", lines), SOURCE);
    }

    @Test
    void theHttpListenerIsOffByDefault() throws ConfigException {
        assertThat(parse("listener 1883").config().http()).isNull();
    }

    @Test
    void anHttpListenerWithoutAddressBindsToLoopback() throws ConfigException {
        HttpListenerConfig http = parse("http_listener 8080").config().http();

        assertThat(http.port()).isEqualTo(8080);
        assertThat(http.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(http.tls()).isNull();
        assertThat(http.adminEnabled()).isFalse();
    }

    @Test
    void anHttpListenerTakesAnAddressAPasswordFileAndTls() throws ConfigException {
        HttpListenerConfig http = parse("http_listener 8443 0.0.0.0", "admin_password_file admins.passwd",
                "http_certfile cert.pem", "http_keyfile key.pem").config().http();

        assertThat(http.bindAddress()).isEqualTo("0.0.0.0");
        assertThat(http.adminPasswordFile()).isEqualTo(Path.of("admins.passwd").toAbsolutePath());
        assertThat(http.adminEnabled()).isTrue();
        assertThat(http.tls().certFile()).isEqualTo(Path.of("cert.pem").toAbsolutePath());
        assertThat(http.describe()).startsWith("https://");
    }

    @Test
    void adminAllowAnonymousMustBeExplicit() throws ConfigException {
        assertThat(parse("http_listener 8080", "admin_allow_anonymous true").config().http().adminEnabled()).isTrue();
        assertThat(parse("http_listener 8080", "admin_allow_anonymous false").config().http().adminEnabled()).isFalse();
    }

    @Test
    void malformedHttpSettingsStopTheBroker() {
        assertThatThrownBy(() -> parse("http_listener")).isInstanceOf(ConfigException.class)
                .hasMessage("test.conf:1: http_listener expects a port (a whole number from 0 to 65535) and optionally a bind address,"
                        + " got nothing");
        assertThatThrownBy(() -> parse("http_listener 70000")).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> parse("http_listener 8080", "http_certfile cert.pem"))
                .isInstanceOf(ConfigException.class).hasMessage("test.conf:2: http_certfile needs http_keyfile too");
        assertThatThrownBy(() -> parse("http_listener 8080", "admin_allow_anonymous yes"))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void httpSettingsWithoutAListenerAreAWarning() throws ConfigException {
        ParsedConfig parsed = parse("admin_password_file admins.passwd");

        assertThat(parsed.config().http()).isNull();
        assertThat(parsed.warnings()).containsExactly(
                "test.conf:1: admin_password_file has no effect without http_listener");
    }
}
