package io.estafeta.broker.transport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import org.slf4j.spi.LoggingEventBuilder;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The log lines of a connection's life: connected, disconnected (with why), refused (bad credentials and
 * every other refusing CONNACK). Each is a readable message plus key-value pairs ({@code event},
 * {@code clientId}, {@code remoteAddress}, ...) that a structured encoder (the command line's
 * {@code log_format json}) writes as fields. Connects and disconnects are at INFO, or at DEBUG with
 * {@code connection_messages false}; refusals are always at INFO. The logger is {@link MqttConnection}'s.
 * The remote address is always the socket's, whatever the transport (TCP, TLS, WebSocket).
 */
final class ConnectionLog {

    private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);

    private static final ConnectionLog AT_INFO = new ConnectionLog(Level.INFO);
    private static final ConnectionLog AT_DEBUG = new ConnectionLog(Level.DEBUG);

    private final Level connectionLevel;

    private ConnectionLog(Level connectionLevel) {
        this.connectionLevel = connectionLevel;
    }

    /** The log for {@code connection_messages} true or false; shared by every connection (it has no state). */
    static ConnectionLog of(boolean connectionMessages) {
        return connectionMessages ? AT_INFO : AT_DEBUG;
    }

    void connected(String clientId, SocketAddress remoteAddress, String protocol, boolean cleanStart,
                   int keepAliveSeconds, boolean sessionPresent, String username) {
        if (!LOG.isEnabledForLevel(connectionLevel)) {
            return;
        }
        LoggingEventBuilder event = LOG.atLevel(connectionLevel)
                .setMessage("client {} connected from {} (MQTT {}, {}, keep-alive {}s{})")
                .addArgument(clientId).addArgument(remoteAddress).addArgument(protocol)
                .addArgument(cleanStart ? "clean start" : "resume if present").addArgument(keepAliveSeconds)
                .addArgument(sessionPresent ? ", session resumed" : "")
                .addKeyValue("event", "connected")
                .addKeyValue("clientId", clientId)
                .addKeyValue("remoteAddress", field(remoteAddress))
                .addKeyValue("protocol", protocol)
                .addKeyValue("cleanStart", cleanStart)
                .addKeyValue("keepAlive", keepAliveSeconds)
                .addKeyValue("sessionPresent", sessionPresent);
        withUsername(event, username).log();
    }

    void disconnected(String clientId, SocketAddress remoteAddress, String reason) {
        if (!LOG.isEnabledForLevel(connectionLevel)) {
            return;
        }
        LOG.atLevel(connectionLevel)
                .setMessage("client {} disconnected ({}): {}")
                .addArgument(clientId).addArgument(remoteAddress).addArgument(reason)
                .addKeyValue("event", "disconnected")
                .addKeyValue("clientId", clientId)
                .addKeyValue("remoteAddress", field(remoteAddress))
                .addKeyValue("reason", reason)
                .log();
    }

    void refused(String clientId, SocketAddress remoteAddress, String username, String returnCode, String why) {
        LoggingEventBuilder event = LOG.atInfo()
                .setMessage("refused connection from {} (client id {}{}): {} ({})")
                .addArgument(remoteAddress).addArgument(clientId)
                .addArgument(username == null ? "" : ", username " + username)
                .addArgument(returnCode).addArgument(why)
                .addKeyValue("event", "refused")
                .addKeyValue("clientId", clientId)
                .addKeyValue("remoteAddress", field(remoteAddress))
                .addKeyValue("returnCode", returnCode)
                .addKeyValue("reason", why);
        withUsername(event, username).log();
    }

    private static LoggingEventBuilder withUsername(LoggingEventBuilder event, String username) {
        return username == null ? event : event.addKeyValue("username", username);
    }

    /** {@code 127.0.0.1:50312} or {@code [::1]:50312}, without the slash of InetSocketAddress.toString(). */
    private static String field(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
            String host = inet.getAddress().getHostAddress();
            return (inet.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
