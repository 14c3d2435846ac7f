package io.estafeta.broker;

import io.estafeta.broker.config.BrokerConfig;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Broker#builder()}, {@link Broker#port()} and {@link Broker#uri()}: what an embedding program uses. */
class BrokerBuilderTest {

    @TempDir
    Path directory;

    @Test
    void portZeroStartsALoopbackBrokerThatAClientReachesAtItsUri() throws Exception {
        try (Broker broker = Broker.builder().port(0).dataDirectory(directory).start()) {
            assertThat(broker.port()).isPositive();
            assertThat(broker.uri()).isEqualTo("tcp://127.0.0.1:" + broker.port());

            MqttClient client = new MqttClient(broker.uri(), "builder-test", new MemoryPersistence());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setCleanSession(true);
            client.connect(options);
            assertThat(client.isConnected()).isTrue();
            client.disconnect();
            client.close();
        }
    }

    @Test
    void aConfigurationFileIsReadAndThePortReplacesItsListenerKeepingItsAddress() throws Exception {
        Path file = directory.resolve("estafeta.conf");
        Files.writeString(file, "listener 1883 127.0.0.1\nallow_anonymous true\nmax_inflight_messages 7\n");

        BrokerConfig config = Broker.builder().config(file).port(0).buildConfig();

        assertThat(config.listeners()).singleElement().satisfies(listener -> {
            assertThat(listener.port()).isZero();
            assertThat(listener.bindAddress()).isEqualTo("127.0.0.1");
        });
        assertThat(config.maxInflightMessages()).isEqualTo(7);
    }

    @Test
    void theDataDirectoryAndOtherSettingsApplyOnTopOfAGivenConfiguration() {
        BrokerConfig base = BrokerConfig.builder().localOnlyPort(0).maxInflightMessages(5).build();
        Path data = directory.resolve("data");

        BrokerConfig config = Broker.builder().config(base).dataDirectory(data)
                .configure(builder -> builder.maxQueuedMessages(3)).buildConfig();

        assertThat(config.dataDirectory()).isEqualTo(data);
        assertThat(config.maxInflightMessages()).isEqualTo(5);
        assertThat(config.maxQueuedMessages()).isEqualTo(3);
    }

    @Test
    void anInvalidConfigurationFileStopsTheStartNamingTheFile() throws Exception {
        Path file = directory.resolve("broken.conf");
        Files.writeString(file, "max_inflight_messages lots\n");

        assertThatThrownBy(() -> Broker.builder().config(file).port(0).start())
                .isInstanceOf(BrokerStartException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void withoutAnyOptionTheBuilderGivesTheDefaultConfiguration() {
        assertThat(Broker.builder().buildConfig()).isEqualTo(BrokerConfig.defaults());
    }
}
