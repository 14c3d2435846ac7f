package io.estafeta.broker.http;

import io.estafeta.broker.auth.PasswordFile;
import io.estafeta.broker.auth.PasswordHash;
import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.config.HttpListenerConfig;
import io.estafeta.broker.testsupport.AdminHttpClient;
import io.estafeta.broker.testsupport.TestBroker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A test broker with its HTTP listener on a free loopback port and an admin password file with one
 * administrator, and HTTP clients for it. Close it after the test.
 */
public final class AdminHttpFixture implements AutoCloseable {

    public static final String ADMIN = "admin";
    public static final String PASSWORD = "s3cret admin";
    /** Few iterations: the tests check the protocol, not the hash's strength. */
    private static final int TEST_ITERATIONS = 10;

    private final Path passwordFile;
    private final TestBroker broker;

    private AdminHttpFixture(Path passwordFile, TestBroker broker) {
        this.passwordFile = passwordFile;
        this.broker = broker;
    }

    public static AdminHttpFixture start() {
        return start(UnaryOperator.identity());
    }

    /** Starts with further settings on top of the HTTP listener's. */
    public static AdminHttpFixture start(UnaryOperator<BrokerConfig.Builder> customizer) {
        try {
            Path file = Files.createTempFile("estafeta-admin-", ".passwd");
            PasswordFile.empty().withUser(ADMIN, PasswordHash.create(PASSWORD.getBytes(StandardCharsets.UTF_8),
                    TEST_ITERATIONS)).write(file);
            // No $SYS topics: the retained messages and the counts the tests check are their own.
            TestBroker broker = TestBroker.start(builder -> customizer.apply(
                    builder.http(HttpListenerConfig.on(0).withAdminPasswordFile(file)).sysInterval(Duration.ZERO)));
            return new AdminHttpFixture(file, broker);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public TestBroker broker() {
        return broker;
    }

    public InetSocketAddress httpAddress() {
        return broker.estafeta().orElseThrow().httpAddress();
    }

    /** A client with the administrator's credentials. */
    public AdminHttpClient admin() {
        return AdminHttpClient.of(httpAddress(), ADMIN, PASSWORD);
    }

    /** A client with the given credentials (null username: none). */
    public AdminHttpClient as(String username, String password) {
        return AdminHttpClient.of(httpAddress(), username, password);
    }

    @Override
    public void close() {
        try {
            broker.close();
        } finally {
            try {
                Files.deleteIfExists(passwordFile);
            } catch (IOException ignored) {
                // a temporary file; the OS cleans up
            }
        }
    }
}
