package io.estafeta.junit;

import io.estafeta.broker.Broker;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * When the extension starts and stops brokers: the fixture classes below are run with the JUnit launcher
 * (surefire does not pick up nested classes), and record the brokers they were given.
 */
class EstafetaExtensionLifecycleTest {

    private static final List<Broker> SEEN = new CopyOnWriteArrayList<>();

    @ExtendWith(EstafetaExtension.class)
    static class SharedBroker {
        @Test
        void first(Broker broker) {
            SEEN.add(broker);
        }

        @Test
        void second(Broker broker) {
            SEEN.add(broker);
        }
    }

    @ExtendWith(EstafetaExtension.class)
    @EstafetaConfig(perTest = true)
    static class BrokerPerTest {
        @Test
        void first(Broker broker) {
            SEEN.add(broker);
        }

        @Test
        void second(Broker broker) {
            SEEN.add(broker);
        }
    }

    @ExtendWith(EstafetaExtension.class)
    @EstafetaConfig(allowAnonymous = false)
    static class NoAnonymousClients {
        @Test
        void refused(Broker broker) {
            SEEN.add(broker);
            assertThatThrownBy(() -> Clients.connect(broker.uri())).isInstanceOf(MqttException.class);
        }
    }

    private static TestExecutionSummary run(Class<?> testClass) {
        SEEN.clear();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build(),
                listener);
        return listener.getSummary();
    }

    @Test
    void theTestsOfAClassShareOneBrokerThatIsStoppedAfterThem() {
        TestExecutionSummary summary = run(SharedBroker.class);

        assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
        assertThat(SEEN).hasSize(2);
        assertThat(SEEN.get(0)).isSameAs(SEEN.get(1));
        assertThat(Clients.listening(SEEN.get(0).port())).isFalse();
    }

    @Test
    void perTestGivesEachTestANewBrokerAndStopsEachOne() {
        TestExecutionSummary summary = run(BrokerPerTest.class);

        assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
        assertThat(SEEN).hasSize(2);
        assertThat(SEEN.get(0)).isNotSameAs(SEEN.get(1));
        assertThat(SEEN).noneMatch(broker -> Clients.listening(broker.port()));
    }

    @Test
    void allowAnonymousFalseMakesTheBrokerRefuseClientsWithoutAUsername() {
        TestExecutionSummary summary = run(NoAnonymousClients.class);

        assertThat(summary.getFailures()).isEmpty();
        assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
    }
}
