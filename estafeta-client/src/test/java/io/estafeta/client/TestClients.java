package io.estafeta.client;

import io.estafeta.testkit.MosquittoBroker;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The clients one test makes against a broker, closed after the test; register it as an instance field
 * with {@code @RegisterExtension}.
 */
final class TestClients implements AfterEachCallback {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final long WAIT_SECONDS = WAIT.toSeconds();
    private static final AtomicInteger CLIENT_NUMBER = new AtomicInteger();

    private final List<MqttClient> clients = new CopyOnWriteArrayList<>();

    /** Options for a client of {@code broker} with a client id of its own, on the test class's event loops. */
    static MqttClientOptions.Builder options(MosquittoBroker broker, ClientEventLoops eventLoops) {
        return MqttClientOptions.builder()
                .host(broker.host())
                .port(broker.port())
                .clientId("test-" + CLIENT_NUMBER.incrementAndGet())
                .connectTimeout(WAIT)
                .eventLoops(eventLoops);
    }

    /** A client, not connected yet. */
    MqttClient client(MqttClientOptions.Builder options) {
        MqttClient client = new MqttClient(options.build());
        clients.add(client);
        return client;
    }

    /** A connected client; {@code listener} (may be null) set before it connects, so it misses nothing. */
    MqttClient connected(MqttClientOptions.Builder options, MessageListener listener) throws Exception {
        MqttClient client = client(options);
        if (listener != null) {
            client.setMessageListener(listener);
        }
        client.connect().get(WAIT_SECONDS, TimeUnit.SECONDS);
        return client;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        clients.forEach(MqttClient::close);
        clients.clear();
    }
}
