package io.estafeta.broker.auth;

import io.estafeta.broker.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class AclFileTest {

    private static final String SOURCE = "acl";

    private static AclFile parse(String... lines) throws ConfigException {
        return AclFile.parse(String.join("\n", lines), SOURCE);
    }

    private static String error(String... lines) {
        Throwable thrown = catchThrowable(() -> parse(lines));
        assertThat(thrown).isInstanceOf(ConfigException.class);
        return thrown.getMessage();
    }

    private static List<String> described(List<AclRule> rules) {
        return rules.stream().map(rule -> rule.access().keyword() + " " + rule.filter()).toList();
    }

    @Test
    void topicLinesBeforeAnyUserLineAreForClientsWithoutAUsername() throws ConfigException {
        AclFile acl = parse("# anonymous", "topic read public/#", "user alice", "topic alice/#");

        assertThat(described(acl.rulesFor(null))).containsExactly("read public/#");
        assertThat(described(acl.rulesFor("alice"))).containsExactly("readwrite alice/#");
        assertThat(acl.rulesFor("bob")).isEmpty();
    }

    @Test
    void patternLinesApplyToEveryoneWhereverTheyStand() throws ConfigException {
        AclFile acl = parse("user alice", "topic alice/#", "pattern write devices/%c/status", "user bob",
                "pattern read users/%u/#");

        assertThat(described(acl.patternRules())).containsExactly("write devices/%c/status", "read users/%u/#");
        assertThat(described(acl.rulesFor("alice"))).containsExactly("readwrite alice/#");
        assertThat(acl.rulesFor("bob")).isEmpty();
    }

    @Test
    void denyLinesAreCheckedFirstAsInMosquitto() throws ConfigException {
        AclFile acl = parse("topic read a/#", "topic deny a/secret", "topic write b", "topic deny b/x");

        assertThat(described(acl.rulesFor(null)))
                .containsExactly("deny a/secret", "deny b/x", "read a/#", "write b");
    }

    @Test
    void aUserInSeveralSectionsCollectsAllItsRules() throws ConfigException {
        AclFile acl = parse("user alice", "topic read a", "user bob", "topic read b", "user alice", "topic read c");

        assertThat(described(acl.rulesFor("alice"))).containsExactly("read a", "read c");
        assertThat(acl.usernames()).containsExactly("alice", "bob");
    }

    @Test
    void aTopicMayContainSpacesAfterTheAccessWord() throws ConfigException {
        AclFile acl = parse("topic read  my topic/with spaces  ");

        assertThat(described(acl.rulesFor(null))).containsExactly("read my topic/with spaces");
    }

    @Test
    void usernamesMayContainSpaces() throws ConfigException {
        AclFile acl = parse("user Jane Doe", "topic read jane/#");

        assertThat(acl.rulesFor("Jane Doe")).hasSize(1);
    }

    @Test
    void indentationTabsCrlfAndAByteOrderMarkAreAccepted() throws ConfigException {
        AclFile acl = AclFile.parse("\uFEFF  topic\tread\tx/#\r\n\t# comment\r\n", SOURCE);

        assertThat(described(acl.rulesFor(null))).containsExactly("read x/#");
    }

    @Test
    void anEmptyFileGrantsNothing() throws ConfigException {
        assertThat(parse("# nothing", "").isEmpty()).isTrue();
        assertThat(parse("user alice").isEmpty()).isTrue();
        assertThat(parse("pattern read %c").isEmpty()).isFalse();
    }

    @Test
    void patternPlaceholdersAreRecognisedAsWholeLevels() throws ConfigException {
        AclRule rule = parse("pattern readwrite %u/%c/#").patternRules().getFirst();

        assertThat(rule.usesClientId()).isTrue();
        assertThat(rule.usesUsername()).isTrue();
        assertThat(rule.expand("dev1", "alice")).isEqualTo("alice/dev1/#");
    }

    @Test
    void topicLinesAreNeverSubstituted() throws ConfigException {
        AclRule rule = parse("topic read devices/%c").rulesFor(null).getFirst();

        assertThat(rule.usesClientId()).isFalse();
        assertThat(rule.expand("dev1", "alice")).isEqualTo("devices/%c");
    }

    static Stream<Arguments> malformedLines() {
        String expectation = "[read|write|readwrite|deny] TOPIC";
        String accessWords = " (the access must be read, write, readwrite or deny)";
        return Stream.of(
                Arguments.of("topic", "acl:1: topic expects " + expectation + ", got nothing"),
                Arguments.of("pattern", "acl:1: pattern expects " + expectation + ", got nothing"),
                Arguments.of("topic readonly a/b",
                        "acl:1: topic expects " + expectation + ", got 'readonly a/b'" + accessWords),
                Arguments.of("topic READ a/b",
                        "acl:1: topic expects " + expectation + ", got 'READ a/b'" + accessWords),
                Arguments.of("topic read a/#/b", "acl:1: 'a/#/b' is not a valid topic filter"),
                Arguments.of("topic read a+", "acl:1: 'a+' is not a valid topic filter"),
                Arguments.of("user", "acl:1: user expects a username, got nothing"),
                Arguments.of("users alice", "acl:1: expected topic, pattern or user, got 'users'"),
                Arguments.of("pattern read dev-%c/status", "acl:1: in 'dev-%c/status', %c and %u must each be a"
                        + " whole topic level (as in devices/%c/status), not part of 'dev-%c'"));
    }

    @ParameterizedTest
    @MethodSource("malformedLines")
    void malformedLinesAreErrorsNamingFileAndLine(String line, String message) {
        assertThat(error(line)).isEqualTo(message);
    }

    @Test
    void theLineNumberIsThatOfTheFaultyLine() {
        assertThat(error("# one", "topic read ok", "", "topic maybe x")).startsWith("acl:4: ");
    }

    @Test
    void aFileOnDiskIsReadAndNamedInErrors(@TempDir Path dir) throws IOException, ConfigException {
        Path good = dir.resolve("acl");
        Files.writeString(good, "topic read x\n");
        Path bad = dir.resolve("bad.acl");
        Files.writeString(bad, "nonsense\n");

        assertThat(AclFile.load(good).rulesFor(null)).hasSize(1);
        assertThatThrownBy(() -> AclFile.load(bad)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(bad + ":1: ");
        assertThatThrownBy(() -> AclFile.load(dir.resolve("missing"))).isInstanceOf(ConfigException.class)
                .hasMessage("cannot read ACL file " + dir.resolve("missing") + ": no such file");
    }
}
