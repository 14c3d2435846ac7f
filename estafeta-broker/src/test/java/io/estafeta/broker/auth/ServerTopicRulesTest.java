package io.estafeta.broker.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ServerTopicRulesTest {

    /** Allows everything and remembers what it was asked. */
    private static final class Recording implements Authorizer {
        final List<String> asked = new ArrayList<>();

        @Override
        public boolean canPublish(String clientId, String username, String topic) {
            asked.add("publish " + topic);
            return true;
        }

        @Override
        public boolean canSubscribe(String clientId, String username, String topicFilter) {
            asked.add("subscribe " + topicFilter);
            return true;
        }

        @Override
        public boolean canReceive(String clientId, String username, String topic) {
            asked.add("receive " + topic);
            return true;
        }
    }

    private final Recording backEnd = new Recording();
    private final ServerTopicRules rules = new ServerTopicRules(backEnd);

    @ParameterizedTest
    @ValueSource(strings = {"$SYS/broker/uptime", "$SYS", "$SYSTEM/x", "$share/g/t", "$shared"})
    void clientsNeverPublishToSysOrShareTopicsWhateverTheBackEndSays(String topic) {
        assertThat(rules.canPublish("c", "admin", topic)).isFalse();
        assertThat(backEnd.asked).isEmpty();
    }

    @Test
    void otherTopicsAreForTheBackEnd() {
        assertThat(rules.canPublish("c", null, "$other/x")).isTrue();
        assertThat(rules.canPublish("c", null, "a/b")).isTrue();
        assertThat(rules.canReceive("c", null, "$SYS/broker/uptime")).isTrue();

        assertThat(backEnd.asked).containsExactly("publish $other/x", "publish a/b", "receive $SYS/broker/uptime");
    }

    @Test
    void aSharedSubscriptionIsCheckedAsItsFilter() {
        assertThat(rules.canSubscribe("c", null, "$share/workers/jobs/#")).isTrue();
        assertThat(rules.canSubscribe("c", null, "sensors/+")).isTrue();

        assertThat(backEnd.asked).containsExactly("subscribe jobs/#", "subscribe sensors/+");
    }

    @ParameterizedTest
    @ValueSource(strings = {"$share/", "$share//t", "$share/g", "$share/g/", "$share/+/t", "$share/g#/t",
            "$share/g/a/#/b"})
    void aMalformedSharedSubscriptionIsRefused(String filter) {
        assertThat(rules.canSubscribe("c", null, filter)).isFalse();
        assertThat(backEnd.asked).isEmpty();
    }

    @Test
    void withoutAnAclEverythingElseIsAllowed() {
        ServerTopicRules open = new ServerTopicRules(new AllowAllAuthorizer());

        assertThat(open.canPublish("c", null, "any/topic")).isTrue();
        assertThat(open.canSubscribe("c", null, "#")).isTrue();
        assertThat(open.canReceive("c", null, "$SYS/broker/uptime")).isTrue();
        assertThat(open.canPublish("c", null, "$SYS/broker/uptime")).isFalse();
    }
}
