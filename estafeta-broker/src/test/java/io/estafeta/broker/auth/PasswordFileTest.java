package io.estafeta.broker.auth;

import io.estafeta.broker.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

class PasswordFileTest {

    private static final int FEW_ITERATIONS = 10;
    private static final String SOURCE = "passwd";

    @TempDir
    Path dir;

    private static PasswordHash hash(String password) {
        return PasswordHash.create(password.getBytes(StandardCharsets.UTF_8), FEW_ITERATIONS);
    }

    private static boolean verifies(PasswordFile file, String username, String password) {
        return file.hashOf(username).orElseThrow().verify(password.getBytes(StandardCharsets.UTF_8));
    }

    private static String error(String text) {
        Throwable thrown = catchThrowable(() -> PasswordFile.parse(text, SOURCE));
        assertThat(thrown).isInstanceOf(ConfigException.class);
        return thrown.getMessage();
    }

    @Test
    void usersAreReadWithCommentsAndBlankLinesSkipped() throws ConfigException {
        String text = "# users\n\nalice:" + hash("a").encoded() + "\r\n  # indented comment\nbob:"
                + hash("b").encoded();

        PasswordFile file = PasswordFile.parse(text, SOURCE);

        assertThat(file.usernames()).containsExactly("alice", "bob");
        assertThat(verifies(file, "alice", "a")).isTrue();
        assertThat(verifies(file, "bob", "b")).isTrue();
        assertThat(file.hashOf("carol")).isEmpty();
    }

    @Test
    void blanksAroundUsernameAndHashAreIgnoredAsInMosquitto() throws ConfigException {
        PasswordFile file = PasswordFile.parse("\uFEFF alice : " + hash("a").encoded() + " \n", SOURCE);

        assertThat(file.contains("alice")).isTrue();
        assertThat(verifies(file, "alice", "a")).isTrue();
    }

    @Test
    void usernamesAreCaseSensitive() throws ConfigException {
        PasswordFile file = PasswordFile.parse("Alice:" + hash("a").encoded(), SOURCE);

        assertThat(file.contains("alice")).isFalse();
    }

    @Test
    void aLineWithoutAColonIsAnErrorNamingFileAndLine() {
        assertThat(error("# ok\nalice")).isEqualTo("passwd:2: expected USERNAME:HASH, but the line has no ':'");
    }

    @Test
    void anEmptyUsernameIsAnError() {
        assertThat(error(":" + hash("a").encoded())).isEqualTo("passwd:1: the username before ':' is empty");
    }

    @Test
    void aUserListedTwiceIsAnErrorNamingBothLines() {
        assertThat(error("alice:" + hash("a").encoded() + "\n\nalice:" + hash("b").encoded()))
                .isEqualTo("passwd:3: user 'alice' is listed twice (lines 1 and 3)");
    }

    @Test
    void aPlainTextPasswordIsAnErrorThatDoesNotShowThePassword() {
        String message = error("alice:hunter2");

        assertThat(message).startsWith("passwd:1: user 'alice': not a hash").doesNotContain("hunter2");
    }

    @Test
    void aDamagedHashIsAnErrorNamingTheUser() {
        assertThat(error("alice:$7$101$c2FsdA==$aGFzaA==")).startsWith("passwd:1: user 'alice': malformed hash");
    }

    @Test
    void aMissingFileIsAnErrorNamingIt() {
        Path missing = dir.resolve("nope");

        assertThatThrownBy(() -> PasswordFile.load(missing))
                .isInstanceOf(ConfigException.class)
                .hasMessage("cannot read password file " + missing + ": no such file");
    }

    @Test
    void withUserAddsAtTheEndAndKeepsTheOriginalUnchanged() throws ConfigException {
        PasswordFile original = PasswordFile.parse("# team\nalice:" + hash("a").encoded() + "\n", SOURCE);

        PasswordFile changed = original.withUser("bob", hash("b"));

        assertThat(changed.usernames()).containsExactly("alice", "bob");
        assertThat(original.usernames()).containsExactly("alice");
        assertThat(changed.text()).startsWith("# team\nalice:$7$").contains("\nbob:$7$").endsWith("\n");
    }

    @Test
    void withUserReplacesAListedUserInPlace() {
        PasswordFile original = PasswordFile.empty().withUser("alice", hash("old")).withUser("bob", hash("b"));

        PasswordFile changed = original.withUser("alice", hash("new"));

        assertThat(changed.usernames()).containsExactly("alice", "bob");
        assertThat(verifies(changed, "alice", "new")).isTrue();
        assertThat(verifies(changed, "alice", "old")).isFalse();
    }

    @Test
    void withoutUserRemovesOnlyThatUserAndKeepsComments() throws ConfigException {
        PasswordFile original = PasswordFile.parse("# keep me\nalice:" + hash("a").encoded() + "\nbob:"
                + hash("b").encoded() + "\n", SOURCE);

        PasswordFile changed = original.withoutUser("alice");

        assertThat(changed.usernames()).containsExactly("bob");
        assertThat(changed.text()).startsWith("# keep me\nbob:");
    }

    @Test
    void removingAnUnknownUserIsAnError() {
        assertThatThrownBy(() -> PasswordFile.empty().withoutUser("ghost"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("user 'ghost' is not in the password file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a:b", "tab\there", "new\nline", " lead", "trail ", "#comment"})
    void usernamesThatCannotBeReadBackAreRefused(String username) {
        assertThat(PasswordFile.usernameProblem(username)).isPresent();
        assertThatThrownBy(() -> PasswordFile.empty().withUser(username, hash("x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "user name", "ünïcödé", "a#b", "x@example.com"})
    void ordinaryUsernamesAreAccepted(String username) {
        assertThat(PasswordFile.usernameProblem(username)).isEmpty();
    }

    @Test
    void aWrittenFileReadsBackTheSame() throws IOException, ConfigException {
        PasswordFile file = PasswordFile.parse("# comment\n\nalice:" + hash("a").encoded() + "\n", SOURCE)
                .withUser("bob", hash("b"));
        Path target = dir.resolve("passwd");

        file.write(target);

        PasswordFile read = PasswordFile.load(target);
        assertThat(read.text()).isEqualTo(file.text());
        assertThat(verifies(read, "bob", "b")).isTrue();
    }

    @Test
    void rewritingALoadedFileChangesNothing() throws IOException, ConfigException {
        Path target = dir.resolve("passwd");
        Files.writeString(target, "# c\n\nalice:" + hash("a").encoded() + "\n");
        PasswordFile first = PasswordFile.load(target);

        first.write(target);

        assertThat(Files.readString(target)).isEqualTo(first.text()).startsWith("# c\n\nalice:");
    }

    @Test
    void aNewFileIsReadableByItsOwnerOnly() throws IOException {
        Path target = dir.resolve("passwd");

        PasswordFile.empty().withUser("alice", hash("a")).write(target);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
    }

    @Test
    void anExistingFileIsReplacedAndKeepsItsPermissions() throws IOException, ConfigException {
        Path target = dir.resolve("passwd");
        Files.writeString(target, "old:" + hash("old").encoded() + "\n");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r-----"));

        PasswordFile.empty().withUser("new", hash("n")).write(target);

        assertThat(PasswordFile.load(target).usernames()).containsExactly("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r-----");
    }

    @Test
    void writingLeavesNoTemporaryFileBehind() throws IOException {
        Path target = dir.resolve("passwd");

        PasswordFile.empty().withUser("alice", hash("a")).write(target);
        PasswordFile.empty().withUser("bob", hash("b")).write(target);

        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void aSymbolicLinkIsFollowedAndStaysALink() throws IOException, ConfigException {
        Path real = Files.createDirectory(dir.resolve("secrets")).resolve("passwd");
        Files.writeString(real, "");
        Path link = Files.createSymbolicLink(dir.resolve("passwd"), real);

        PasswordFile.empty().withUser("alice", hash("a")).write(link);

        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(PasswordFile.load(real).usernames()).containsExactly("alice");
    }

    @Test
    void aPlainTextFileIsHashedLineByLine() throws ConfigException {
        PasswordFile file = PasswordFile.parsePlaintext("# plain\nalice:s3cret\nbob: with:colon \n", SOURCE,
                password -> PasswordHash.create(password, FEW_ITERATIONS));

        assertThat(file.usernames()).containsExactly("alice", "bob");
        assertThat(verifies(file, "alice", "s3cret")).isTrue();
        assertThat(verifies(file, "bob", "with:colon")).isTrue();
        assertThat(file.text()).startsWith("# plain\nalice:$7$10$");
    }

    @Test
    void aPlainTextFileThatIsAlreadyHashedIsRefusedSoNobodyIsLockedOut() {
        String hashed = "alice:" + hash("a").encoded();

        assertThatThrownBy(() -> PasswordFile.parsePlaintext(hashed, SOURCE, PasswordHash::create))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("passwd:1: user 'alice' already has a hashed password");
    }

    @Test
    void anEmptyPlainTextPasswordIsRefused() {
        assertThatThrownBy(() -> PasswordFile.parsePlaintext("alice:\n", SOURCE, PasswordHash::create))
                .isInstanceOf(ConfigException.class)
                .hasMessage("passwd:1: user 'alice' has an empty password");
    }
}
