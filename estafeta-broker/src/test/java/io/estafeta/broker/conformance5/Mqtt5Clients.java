package io.estafeta.broker.conformance5;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.estafeta.broker.testsupport.Packets;
import io.estafeta.broker.testsupport.PropertyId;
import io.estafeta.broker.testsupport.RawMqttConnection;
import io.estafeta.broker.testsupport.ReasonCodes;
import io.estafeta.broker.testsupport.TestBroker;
import io.estafeta.broker.testsupport.TestNames;

import java.nio.charset.StandardCharsets;

/** The ways this package's tests connect MQTT 5.0 clients to a test broker. */
final class Mqtt5Clients {

    /** Long enough that no test outlives it: the session stays while the test runs. */
    static final long LONG_SESSION_EXPIRY_SECONDS = 300;

    private Mqtt5Clients() {
    }

    /** A raw MQTT 5.0 connection with Clean Start and no session expiry, accepted. */
    static RawMqttConnection connected(TestBroker broker, String hint) {
        return connected(broker, Packets.connect5(TestNames.clientId(hint)));
    }

    /** A raw connection that sent the given CONNECT and was accepted. */
    static RawMqttConnection connected(TestBroker broker, Packets.Connect connect) {
        RawMqttConnection client = RawMqttConnection.open(broker);
        try {
            client.connectAccepted(connect);
            return client;
        } catch (RuntimeException | Error e) {
            client.close();
            throw e;
        }
    }

    /** An MQTT 5.0 CONNECT that asks for a session outliving the connection. */
    static Packets.Connect persistentConnect(String clientId, boolean cleanStart) {
        return Packets.connect5(clientId).cleanStart(cleanStart)
                .properties(Packets.properties().add(PropertyId.SESSION_EXPIRY_INTERVAL, LONG_SESSION_EXPIRY_SECONDS));
    }

    /** Leaves with a DISCONNECT that sets the Session Expiry Interval to 0: the session ends with it. */
    static void endSession(RawMqttConnection client) {
        client.send(Packets.disconnect5(ReasonCodes.NORMAL_DISCONNECTION,
                Packets.properties().add(PropertyId.SESSION_EXPIRY_INTERVAL, 0)));
    }

    /** An HiveMQ MQTT 5 client for the broker, not yet connected. */
    static Mqtt5BlockingClient hiveMq(TestBroker broker, String clientId) {
        return MqttClient.builder()
                .useMqttVersion5()
                .identifier(clientId)
                .serverHost(broker.host())
                .serverPort(broker.port())
                .buildBlocking();
    }

    static void disconnectQuietly(Mqtt5BlockingClient client) {
        if (client.getState().isConnected()) {
            client.disconnect();
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
