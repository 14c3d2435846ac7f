package io.estafeta.junit;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** What the tests do with a broker: connect Paho to it, or see whether anything still listens. */
final class Clients {

    private static final int CONNECT_TIMEOUT_MILLIS = 2000;

    private Clients() {
    }

    /** Connects and disconnects a Paho client; throws if the broker refuses it. */
    static void connect(String uri, String username, String password) throws MqttException {
        MqttClient client = new MqttClient(uri, MqttClient.generateClientId(), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        if (username != null) {
            options.setUserName(username);
            options.setPassword(password.toCharArray());
        }
        try {
            client.connect(options);
            client.disconnect();
        } finally {
            client.close();
        }
    }

    static void connect(String uri) throws MqttException {
        connect(uri, null, null);
    }

    /** Whether a TCP connection to the port on 127.0.0.1 is accepted. */
    static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MILLIS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
