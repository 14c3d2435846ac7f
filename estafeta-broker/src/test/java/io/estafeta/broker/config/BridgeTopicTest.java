package io.estafeta.broker.config;

import io.estafeta.broker.config.BridgeTopic.Direction;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Mosquitto's remapping table (mosquitto.conf(5), "topic"): what each prefix combination does. */
class BridgeTopicTest {

    @Test
    void bothPrefixesAreSwappedEachWay() {
        BridgeTopic topic = new BridgeTopic("pattern/#", Direction.BOTH, 1, "L/", "R/");

        assertThat(topic.localFilter()).isEqualTo("L/pattern/#");
        assertThat(topic.remoteFilter()).isEqualTo("R/pattern/#");
        assertThat(topic.toRemote("L/pattern/a")).contains("R/pattern/a");
        assertThat(topic.toLocal("R/pattern/a")).contains("L/pattern/a");
    }

    @Test
    void onlyALocalPrefixIsRemovedGoingOutAndAddedComingIn() {
        BridgeTopic topic = new BridgeTopic("pattern", Direction.BOTH, 0, "L/", "");

        assertThat(topic.toRemote("L/pattern")).contains("pattern");
        assertThat(topic.toLocal("pattern")).contains("L/pattern");
    }

    @Test
    void onlyARemotePrefixIsAddedGoingOutAndRemovedComingIn() {
        BridgeTopic topic = new BridgeTopic("pattern", Direction.BOTH, 0, "", "R/");

        assertThat(topic.toRemote("pattern")).contains("R/pattern");
        assertThat(topic.toLocal("R/pattern")).contains("pattern");
    }

    @Test
    void emptyPatternRemapsOneTopicToAnother() {
        BridgeTopic topic = new BridgeTopic("", Direction.IN, 0, "test/mosquitto/org/clients/total",
                "$SYS/broker/clients/total");

        assertThat(topic.toLocal("$SYS/broker/clients/total")).contains("test/mosquitto/org/clients/total");
        assertThat(topic.toLocal("$SYS/broker/clients/active")).isEmpty();
    }

    @Test
    void topicOutsideTheFullFilterIsNotTaken() {
        BridgeTopic topic = new BridgeTopic("sensors/+", Direction.OUT, 0, "site/", "hq/");

        assertThat(topic.toRemote("site/sensors/a/b")).isEmpty();
        assertThat(topic.toRemote("other/sensors/a")).isEmpty();
    }
}
