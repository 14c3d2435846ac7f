package io.estafeta.broker.auth;

import io.estafeta.broker.config.ConfigException;
import io.estafeta.protocol.Topics;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mosquitto's acl_file rules (mosquitto.conf(5), and its source: security_default.c in 2.0), one table per
 * kind of check. In the tables, {@code -} stands for "no username".
 */
class AclAuthorizerTest {

    private static final String ACL = String.join("\n",
            "# clients without a username",
            "topic read public/#",
            "topic deny public/secret/#",
            "",
            "user alice",
            "topic readwrite alice/#",
            "topic deny alice/locked",
            "topic read shared/#",
            "topic write shared/alice-only",
            "",
            "user bob",
            "topic read $SYS/broker/#",
            "topic deny users/bob/private",
            "",
            "user admin",
            "topic readwrite #",
            "",
            "user eve",
            "topic read devices/+/commands/#",
            "",
            "pattern readwrite users/%u/#",
            "pattern write devices/%c/status",
            "pattern read devices/%c/commands/#",
            "pattern deny devices/%c/commands/forbidden");

    private static final AclAuthorizer AUTHORIZER = authorizer(ACL);

    private static AclAuthorizer authorizer(String text) {
        try {
            return new AclAuthorizer(AclFile.parse(text, "test.acl"));
        } catch (ConfigException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String user(String cell) {
        return cell.equals("-") ? null : cell;
    }

    @ParameterizedTest(name = "{0} ({1}) reading {2}: {3}")
    @CsvSource({
            // Lines before any 'user' line are for clients without a username only.
            "-,     anon, public/news,                     true",
            "-,     anon, public/secret/plan,              false",
            "alice, a1,   public/news,                     false",
            // A user's own section.
            "alice, a1,   alice/notes,                     true",
            "alice, a1,   shared/anything,                 true",
            "alice, a1,   shared/alice-only,               true",
            // A deny line wins over a broader grant, wherever it stands.
            "alice, a1,   alice/locked,                    false",
            "alice, a1,   bob/notes,                       false",
            // Patterns apply to everyone, after the user's own lines.
            "alice, a1,   users/alice/inbox,               true",
            "alice, a1,   users/bob/inbox,                 false",
            "alice, a1,   devices/a1/commands/reboot,      true",
            "alice, a1,   devices/a2/commands/reboot,      false",
            "alice, a1,   devices/a1/commands/forbidden,   false",
            "-,     anon, devices/anon/commands/x,         true",
            // A %u pattern does not apply to a client without a username.
            "-,     anon, users/anon/inbox,                false",
            // A username without a section still gets the patterns.
            "carol, c1,   users/carol/inbox,               true",
            "carol, c1,   public/news,                     false",
            // The user's own lines come before the patterns: a grant there beats a deny pattern.
            "eve,   e1,   devices/e1/commands/forbidden,   true",
            "bob,   b1,   users/bob/private,               false",
            "bob,   b1,   users/bob/other,                 true",
            // $ topics only through lines that start with $.
            "bob,   b1,   $SYS/broker/uptime,              true",
            "admin, ad,   $SYS/broker/uptime,              false",
            "admin, ad,   anything/at/all,                 true",
    })
    void readAccessDecidesDeliveries(String username, String clientId, String topic, boolean allowed) {
        assertThat(AUTHORIZER.canReceive(clientId, user(username), topic)).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0} ({1}) publishing to {2}: {3}")
    @CsvSource({
            "-,     anon, public/news,            false",
            "alice, a1,   alice/notes,            true",
            "alice, a1,   alice/locked,           false",
            "alice, a1,   shared/anything,        false",
            // A matching line that grants other access is passed over, not a refusal.
            "alice, a1,   shared/alice-only,      true",
            "alice, a1,   devices/a1/status,      true",
            "alice, a1,   devices/a2/status,      false",
            "alice, a1,   devices/a1/commands/x,  false",
            "carol, c1,   users/carol/outbox,     true",
            "admin, ad,   anything/at/all,        true",
    })
    void writeAccessDecidesPublishes(String username, String clientId, String topic, boolean allowed) {
        assertThat(AUTHORIZER.canPublish(clientId, user(username), topic)).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0} ({1}) subscribing to {2}: {3}")
    @CsvSource({
            // Granted when some topic of the filter may be read: deliveries are then checked one by one.
            "-,     anon, #,                          true",
            "-,     anon, public/+,                   true",
            "-,     anon, +/news,                     true",
            "alice, a1,   alice/#,                    true",
            "alice, a1,   shared/alice-only,          true",
            "alice, a1,   devices/+/commands/#,       true",
            "bob,   b1,   $SYS/#,                     true",
            "admin, ad,   #,                          true",
            // Refused when nothing of it may ever be read.
            "-,     anon, public/secret/#,            false",
            "-,     anon, public/secret/+/x,          false",
            "-,     anon, alice/#,                    false",
            "alice, a1,   alice/locked,               false",
            "alice, a1,   devices/a1/status,          false",
            "alice, a1,   devices/a2/commands/#,      false",
            "admin, ad,   $SYS/#,                     false",
            "carol, c1,   users/+/inbox,              true",
            "carol, c1,   users/dave/#,               false",
    })
    void subscriptionsAreRefusedOnlyWhenNothingCouldBeDelivered(String username, String clientId, String filter,
                                                                 boolean allowed) {
        assertThat(AUTHORIZER.canSubscribe(clientId, user(username), filter)).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "client id {0}")
    @CsvSource({"+", "#", "a/b", "devices/x"})
    void aClientIdThatIsNotOneOrdinaryLevelGainsNothingFromPatterns(String clientId) {
        AclAuthorizer authorizer = authorizer("pattern read devices/%c/#\npattern read users/%u/#");

        assertThat(authorizer.canReceive(clientId, "carol", "devices/a/b/x")).isFalse();
        assertThat(authorizer.canReceive(clientId, "carol", "devices/x/y")).isFalse();
        assertThat(authorizer.canReceive(clientId, "carol", "devices/+/y")).isFalse();
        assertThat(authorizer.canSubscribe(clientId, "carol", "devices/#")).isFalse();
        // Patterns without %c still apply.
        assertThat(authorizer.canReceive(clientId, "carol", "users/carol/x")).isTrue();
    }

    @ParameterizedTest(name = "username ''{0}''")
    @CsvSource(value = {"+", "#", "a/b", "''"}, emptyValue = "")
    void aUsernameThatIsNotOneOrdinaryLevelGainsNothingFromPatterns(String username) {
        AclAuthorizer authorizer = authorizer("pattern read users/%u/#");

        assertThat(authorizer.canReceive("c1", username, "users/a/b/x")).isFalse();
        assertThat(authorizer.canReceive("c1", username, "users//x")).isFalse();
        assertThat(authorizer.canSubscribe("c1", username, "users/#")).isFalse();
    }

    @Test
    void aDenyPatternThatCannotBeSubstitutedSafelyDeniesEverything() {
        // Skipping it could widen access: with client id "+" the deny pattern is meant to close something.
        AclAuthorizer authorizer = authorizer("pattern readwrite #\npattern deny secret/%c/#");

        assertThat(authorizer.canReceive("ok", null, "secret/other/x")).isTrue();
        assertThat(authorizer.canReceive("ok", null, "secret/ok/x")).isFalse();
        assertThat(authorizer.canReceive("+", null, "secret/other/x")).isFalse();
        assertThat(authorizer.canReceive("+", null, "public")).isFalse();
    }

    @Test
    void anEmptyAclDeniesEverything() {
        AclAuthorizer authorizer = authorizer("# nothing granted");

        assertThat(authorizer.canReceive("c", null, "a")).isFalse();
        assertThat(authorizer.canPublish("c", "alice", "a")).isFalse();
        assertThat(authorizer.canSubscribe("c", "alice", "#")).isFalse();
    }

    /** Soundness: whenever a subscription is refused, none of its topics could have been delivered. */
    @Property(tries = 400)
    void aRefusedSubscriptionWouldNeverHaveDeliveredAnything(@ForAll("clients") String[] client,
                                                             @ForAll("topics") String topic,
                                                             @ForAll("wildcardPositions") List<Integer> plusAt,
                                                             @ForAll boolean hashAtEnd) {
        String filter = filterMatching(topic, plusAt, hashAtEnd);
        assertThat(Topics.matches(filter, topic)).isTrue();
        boolean refused = !AUTHORIZER.canSubscribe(client[1], client[0], filter);
        Statistics.label("subscription refused").collect(refused);
        if (refused) {
            assertThat(AUTHORIZER.canReceive(client[1], client[0], topic))
                    .as("%s refused but %s readable", filter, topic).isFalse();
        }
    }

    /** A filter that matches {@code topic}: some levels turned into '+', maybe the tail into '#'. */
    private static String filterMatching(String topic, List<Integer> plusAt, boolean hashAtEnd) {
        List<String> levels = new ArrayList<>(List.of(topic.split("/", -1)));
        for (int position : plusAt) {
            int i = position % levels.size();
            // A wildcard first level would no longer match a $ topic ([MQTT-4.7.2-1]).
            if (!(i == 0 && topic.startsWith("$"))) {
                levels.set(i, "+");
            }
        }
        if (hashAtEnd) {
            int keep = Math.max(topic.startsWith("$") ? 1 : 0, levels.size() - 1 - plusAt.size() % levels.size());
            levels = new ArrayList<>(levels.subList(0, keep));
            levels.add("#");
        }
        return String.join("/", levels);
    }

    @Provide
    Arbitrary<String[]> clients() {
        return Arbitraries.of(
                new String[] {null, "anon"}, new String[] {"alice", "a1"}, new String[] {"bob", "b1"},
                new String[] {"admin", "ad"}, new String[] {"eve", "e1"}, new String[] {"carol", "c1"});
    }

    @Provide
    Arbitrary<String> topics() {
        Arbitrary<String> first = Arbitraries.of("public", "alice", "shared", "users", "devices", "$SYS", "x");
        Arbitrary<String> level = Arbitraries.of("secret", "alice", "bob", "carol", "a1", "e1", "anon", "commands",
                "forbidden", "locked", "alice-only", "status", "broker", "private", "x", "");
        return Combinators.combine(first, level.list().ofMinSize(0).ofMaxSize(3))
                .as((head, tail) -> tail.isEmpty() ? head : head + "/" + String.join("/", tail));
    }

    @Provide
    Arbitrary<List<Integer>> wildcardPositions() {
        return Arbitraries.integers().between(0, 3).list().ofMaxSize(2);
    }
}
