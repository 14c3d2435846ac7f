package io.estafeta.broker.auth;

import io.estafeta.broker.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A password file in Mosquitto's format: one {@code username:hash} line per user (see {@link PasswordHash}),
 * lines starting with {@code #} are comments, blank lines are allowed. Read once, then immutable; the
 * operations that change it ({@link #withUser}, {@link #withoutUser}) return a new instance, and
 * {@link #write} replaces a file atomically. Comments and blank lines are kept where they were.
 *
 * <p>Stricter than Mosquitto, which skips or drops lines it cannot use: here a line without {@code :}, a
 * hash that cannot be read, or a user listed twice is an error naming the file and the line, so that a
 * damaged file does not quietly lock users out (or in). Error messages never quote a hash or password.
 */
public final class PasswordFile {

    private static final Logger LOG = LoggerFactory.getLogger(PasswordFile.class);

    private static final char USERNAME_END = ':';
    private static final String COMMENT = "#";
    private static final char BYTE_ORDER_MARK = '\uFEFF';
    private static final String NEWLINE = "\n";
    /** A username is an MQTT UTF-8 Encoded String: at most 65535 bytes ([MQTT-1.5.3]). */
    private static final int MAX_USERNAME_BYTES = 65535;
    private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");
    private static final String TEMP_SUFFIX = ".tmp";

    /** One line of the file: a user, or text kept as it was (a comment or a blank line). */
    private sealed interface Line permits Entry, Verbatim {
        String text();
    }

    private record Entry(String username, PasswordHash hash) implements Line {
        @Override
        public String text() {
            return username + USERNAME_END + hash.encoded();
        }
    }

    private record Verbatim(String text) implements Line {
    }

    private final List<Line> lines;
    private final Map<String, PasswordHash> hashes;

    private PasswordFile(List<Line> lines) {
        this.lines = List.copyOf(lines);
        Map<String, PasswordHash> byName = new LinkedHashMap<>();
        for (Line line : this.lines) {
            if (line instanceof Entry entry) {
                byName.put(entry.username(), entry.hash());
            }
        }
        this.hashes = Collections.unmodifiableMap(byName);
    }

    /** A file with no users. */
    public static PasswordFile empty() {
        return new PasswordFile(List.of());
    }

    /**
     * Reads a password file (UTF-8).
     *
     * @throws ConfigException if it cannot be read or a line is not a valid {@code username:hash}
     */
    public static PasswordFile load(Path file) throws ConfigException {
        return parse(readText(file, "password file"), file.toString());
    }

    /**
     * Reads password-file text.
     *
     * @param source what messages call the text, e.g. its file's path
     * @throws ConfigException naming the source and line of the first line that is not valid
     */
    public static PasswordFile parse(String text, String source) throws ConfigException {
        return parseLines(text, source, (where, username, rest) -> {
            try {
                return PasswordHash.parse(rest);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where + ": user '" + username + "': " + e.getMessage());
            }
        });
    }

    /**
     * Reads a plain-text file of {@code username:password} lines and hashes every password, for
     * {@code passwd -U}. The password is the rest of the line after the first {@code :} without surrounding
     * blanks (it may contain {@code :}). A line whose password already reads as a hash is an error: hashing it
     * again would lock its user out.
     *
     * @param hasher turns a password (UTF-8 bytes) into its hash, e.g. {@code PasswordHash::create}
     * @throws ConfigException if it cannot be read, or a line has no username, no password, or a hash
     */
    public static PasswordFile loadPlaintext(Path file, Function<byte[], PasswordHash> hasher)
            throws ConfigException {
        return parsePlaintext(readText(file, "password file"), file.toString(), hasher);
    }

    /** {@link #loadPlaintext} on text; {@code source} names it in messages. */
    public static PasswordFile parsePlaintext(String text, String source, Function<byte[], PasswordHash> hasher)
            throws ConfigException {
        Objects.requireNonNull(hasher, "hasher");
        return parseLines(text, source, (where, username, rest) -> {
            if (rest.isEmpty()) {
                throw new ConfigException(where + ": user '" + username + "' has an empty password");
            }
            if (readsAsHash(rest)) {
                throw new ConfigException(where + ": user '" + username + "' already has a hashed password;"
                        + " the file looks hashed already");
            }
            return hasher.apply(rest.getBytes(StandardCharsets.UTF_8));
        });
    }

    /** The hash of a user's password, if the user is listed. */
    public Optional<PasswordHash> hashOf(String username) {
        return Optional.ofNullable(hashes.get(username));
    }

    public boolean contains(String username) {
        return hashes.containsKey(username);
    }

    /** The users, in file order. */
    public Set<String> usernames() {
        return hashes.keySet();
    }

    public int size() {
        return hashes.size();
    }

    /** Every hash, in file order. */
    public List<PasswordHash> hashes() {
        return List.copyOf(hashes.values());
    }

    /**
     * This file with the user's hash set: replaced in place if the user is listed, added at the end if not.
     *
     * @throws IllegalArgumentException if the username cannot be written (see {@link #usernameProblem})
     */
    public PasswordFile withUser(String username, PasswordHash hash) {
        Objects.requireNonNull(hash, "hash");
        usernameProblem(username).ifPresent(problem -> {
            throw new IllegalArgumentException(problem);
        });
        List<Line> changed = new ArrayList<>(lines.size() + 1);
        boolean replaced = false;
        for (Line line : lines) {
            if (line instanceof Entry entry && entry.username().equals(username)) {
                changed.add(new Entry(username, hash));
                replaced = true;
            } else {
                changed.add(line);
            }
        }
        if (!replaced) {
            changed.add(new Entry(username, hash));
        }
        return new PasswordFile(changed);
    }

    /**
     * This file without the user.
     *
     * @throws IllegalArgumentException if the user is not listed
     */
    public PasswordFile withoutUser(String username) {
        if (!contains(username)) {
            throw new IllegalArgumentException("user '" + username + "' is not in the password file");
        }
        return new PasswordFile(lines.stream()
                .filter(line -> !(line instanceof Entry entry && entry.username().equals(username)))
                .toList());
    }

    /**
     * Why a username cannot be stored in a password file, or empty if it can. Mosquitto's rules (not empty,
     * no {@code :}, no control characters, at most 65535 bytes) plus two of its reader's: no surrounding
     * blanks (Mosquitto strips them when reading) and no leading {@code #} (the line would be a comment).
     */
    public static Optional<String> usernameProblem(String username) {
        if (username == null || username.isEmpty()) {
            return Optional.of("a username must not be empty");
        }
        if (username.indexOf(USERNAME_END) >= 0) {
            return Optional.of("a username must not contain ':'");
        }
        if (username.codePoints().anyMatch(Character::isISOControl)) {
            return Optional.of("a username must not contain control characters");
        }
        if (!username.strip().equals(username)) {
            return Optional.of("a username must not start or end with a blank");
        }
        if (username.startsWith(COMMENT)) {
            return Optional.of("a username must not start with '#' (the line would read as a comment)");
        }
        if (username.getBytes(StandardCharsets.UTF_8).length > MAX_USERNAME_BYTES) {
            return Optional.of("a username must not be longer than " + MAX_USERNAME_BYTES + " bytes");
        }
        return Optional.empty();
    }

    /** The file's content: one line per user, comment or blank line, each ending in a newline. */
    public String text() {
        StringBuilder text = new StringBuilder();
        for (Line line : lines) {
            text.append(line.text()).append(NEWLINE);
        }
        return text.toString();
    }

    /**
     * Replaces {@code file} with this content atomically: written to a temporary file in the same directory,
     * flushed to disk, then renamed over it, so that a reader (the broker, a crash) sees the old file or the
     * new one, never half of one. A symbolic link is followed and its target replaced. A new file gets
     * permissions 0600 where the file system has POSIX permissions; an existing file keeps its permissions,
     * and its owner and group where this process may set them.
     */
    public void write(Path file) throws IOException {
        Path target = Files.isSymbolicLink(file) ? file.toRealPath() : file.toAbsolutePath();
        Path directory = target.getParent();
        boolean posix = Files.getFileAttributeView(directory, PosixFileAttributeView.class) != null;
        PosixFileAttributes existing = posix && Files.exists(target, LinkOption.NOFOLLOW_LINKS)
                ? Files.readAttributes(target, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                : null;
        FileAttribute<?>[] ownerOnly = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE)}
                : new FileAttribute<?>[0];
        Path temp = Files.createTempFile(directory, "." + target.getFileName() + ".", TEMP_SUFFIX, ownerOnly);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer content = ByteBuffer.wrap(text().getBytes(StandardCharsets.UTF_8));
                while (content.hasRemaining()) {
                    channel.write(content);
                }
                channel.force(true);
            }
            if (existing != null) {
                Files.setPosixFilePermissions(temp, existing.permissions());
                keepOwnership(existing, temp, target);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        syncDirectory(directory);
    }

    @Override
    public String toString() {
        return "PasswordFile[" + size() + " users]";
    }

    /** Reads a hash (or hashes a password) from what follows {@code username:}. */
    @FunctionalInterface
    private interface HashReader {
        PasswordHash read(String where, String username, String rest) throws ConfigException;
    }

    private static PasswordFile parseLines(String text, String source, HashReader hashReader)
            throws ConfigException {
        List<Line> lines = new ArrayList<>();
        Map<String, Integer> lineOfUser = new LinkedHashMap<>();
        String[] rawLines = text.split(NEWLINE, -1);
        // A final newline ends the last line rather than starting an empty one.
        int count = text.endsWith(NEWLINE) ? rawLines.length - 1 : rawLines.length;
        for (int i = 0; i < count; i++) {
            String raw = rawLines[i];
            if (i == 0 && !raw.isEmpty() && raw.charAt(0) == BYTE_ORDER_MARK) {
                raw = raw.substring(1);
            }
            String content = raw.strip();
            int number = i + 1;
            String where = source + ":" + number;
            if (content.isEmpty() || content.startsWith(COMMENT)) {
                lines.add(new Verbatim(content));
                continue;
            }
            int colon = content.indexOf(USERNAME_END);
            if (colon < 0) {
                throw new ConfigException(where + ": expected USERNAME:HASH, but the line has no ':'");
            }
            // Mosquitto strips blanks around both parts.
            String username = content.substring(0, colon).strip();
            if (username.isEmpty()) {
                throw new ConfigException(where + ": the username before ':' is empty");
            }
            Integer earlier = lineOfUser.putIfAbsent(username, number);
            if (earlier != null) {
                throw new ConfigException(where + ": user '" + username + "' is listed twice (lines " + earlier
                        + " and " + number + ")");
            }
            lines.add(new Entry(username, hashReader.read(where, username, content.substring(colon + 1).strip())));
        }
        return new PasswordFile(lines);
    }

    private static boolean readsAsHash(String text) {
        try {
            PasswordHash.parse(text);
            return true;
        } catch (IllegalArgumentException notAHash) {
            return false;
        }
    }

    /** A whole file as strict UTF-8 text; {@code what} names the kind of file in the error. */
    static String readText(Path file, String what) throws ConfigException {
        try {
            // Strict UTF-8: a malformed byte is an error rather than a silently replaced character.
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + what + " " + file + ": " + describe(e), e);
        }
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof CharacterCodingException) {
            return "not valid UTF-8 text";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** Best effort: only a privileged process may give a file to another owner. */
    private static void keepOwnership(PosixFileAttributes existing, Path temp, Path target) {
        PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
        try {
            if (!view.readAttributes().owner().equals(existing.owner())) {
                view.setOwner(existing.owner());
            }
            if (!view.readAttributes().group().equals(existing.group())) {
                view.setGroup(existing.group());
            }
        } catch (IOException e) {
            LOG.warn("password file {}: could not keep its owner {} and group {} ({}); check that the broker can"
                    + " still read it", target, existing.owner(), existing.group(), e.getMessage());
        }
    }

    /** Makes the rename itself durable; not every platform can open a directory, which is fine there. */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("could not sync directory {}: {}", directory, e.getMessage());
        }
    }
}
