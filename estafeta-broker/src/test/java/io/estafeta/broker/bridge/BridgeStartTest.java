package io.estafeta.broker.bridge;

import io.estafeta.broker.Broker;
import io.estafeta.broker.BrokerStartException;
import io.estafeta.broker.config.BridgeConfig;
import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.config.ConfigParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BridgeStartTest {

    @TempDir
    Path directory;

    @Test
    void unreadableBridgeCaFileStopsTheBrokerFromStarting() throws Exception {
        List<BridgeConfig> bridges = ConfigParser.parse(String.join("\n", "connection hq", "address 127.0.0.1:1",
                "bridge_cafile " + directory.resolve("missing-ca.pem")), "test.conf").config().bridges();
        BrokerConfig config = BrokerConfig.builder().localOnlyPort(0).dataDirectory(directory).bridges(bridges)
                .build();

        assertThatThrownBy(() -> Broker.start(config))
                .isInstanceOf(BrokerStartException.class)
                .hasMessageContaining("cannot start bridges");
    }

    @Test
    void bridgeToAnUnreachableRemoteKeepsTryingAndSaysWhy() throws Exception {
        List<BridgeConfig> bridges = ConfigParser.parse(String.join("\n", "connection hq", "address 127.0.0.1:1",
                "restart_timeout 1"), "test.conf").config().bridges();
        try (Broker broker = Broker.start(BrokerConfig.builder().localOnlyPort(0).dataDirectory(directory)
                .bridges(bridges).build())) {
            org.awaitility.Awaitility.await().until(() -> broker.bridges().getFirst().lastError() != null);

            BridgeStatus status = broker.bridges().getFirst();
            assertThat(status.name()).isEqualTo("hq");
            assertThat(status.state()).isEqualTo(BridgeState.CONNECTING);
            assertThat(status.lastError()).contains("connection failed");
        }
    }

    @Test
    void onceBridgeWhoseOnlyAttemptFailsEndsAndSaysWhy() throws Exception {
        List<BridgeConfig> bridges = ConfigParser.parse(String.join("\n", "connection hq", "address 127.0.0.1:1",
                "start_type once"), "test.conf").config().bridges();
        try (Broker broker = Broker.start(BrokerConfig.builder().localOnlyPort(0).dataDirectory(directory)
                .bridges(bridges).build())) {
            org.awaitility.Awaitility.await().until(() -> broker.bridges().getFirst().state() == BridgeState.ENDED);

            BridgeStatus status = broker.bridges().getFirst();
            assertThat(status.startType()).isEqualTo(BridgeConfig.StartType.ONCE);
            assertThat(status.lastError()).contains("connection failed");
        }
    }
}
