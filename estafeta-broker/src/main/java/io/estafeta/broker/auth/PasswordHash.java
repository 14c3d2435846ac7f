package io.estafeta.broker.auth;

import io.estafeta.broker.auth.scram.ScramCredential;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * One salted password hash in Mosquitto's password-file notation, so that files written by
 * {@code mosquitto_passwd} work here and files written here work in Mosquitto:
 *
 * <ul>
 *   <li>{@code $7$ITERATIONS$SALT$HASH}: PBKDF2-HMAC-SHA512 with a 64-byte result (Mosquitto 2's
 *       default, with 101 iterations);</li>
 *   <li>{@code $6$SALT$HASH}: one SHA-512 over the password bytes followed by the salt bytes (Mosquitto
 *       1.x's default; weak, read for compatibility).</li>
 * </ul>
 *
 * SALT and HASH are standard Base64 with padding. Mosquitto 2.0 reads 12-byte salts only (later versions
 * also 64-byte ones), so new hashes get a 12-byte random salt and {@value #DEFAULT_ITERATIONS} PBKDF2
 * iterations. Password bytes are hashed as they are; Mosquitto hashes them as a C string, so a password
 * containing a zero byte is refused when creating a hash.
 *
 * <p>Immutable and safe to share between threads. Neither {@link #toString()} nor any error message shows
 * the salt or the hash.
 */
public final class PasswordHash {

    /** OWASP's figure for PBKDF2-HMAC-SHA512 (Password Storage Cheat Sheet, 2023). */
    public static final int DEFAULT_ITERATIONS = 210_000;
    /** What {@code mosquitto_passwd} 2.0 uses unless told otherwise ({@code -I}). */
    public static final int MOSQUITTO_DEFAULT_ITERATIONS = 101;
    /** The salt length Mosquitto 2.0 writes and the only one it reads. */
    public static final int SALT_BYTES = 12;
    /** The other salt length later Mosquitto versions write; read, never written here. */
    public static final int LONG_SALT_BYTES = 64;
    /** SHA-512 output; also the PBKDF2 output length Mosquitto uses. */
    public static final int HASH_BYTES = 64;

    private static final String SEPARATOR = "$";
    private static final String SEPARATOR_PATTERN = "\\$";
    /** {@code $7$ITERATIONS$SALT$HASH} split at '$': the empty text before the first '$', then four fields. */
    private static final int PBKDF2_FIELDS = 5;
    /** {@code $6$SALT$HASH} split at '$'. */
    private static final int SHA512_FIELDS = 4;
    private static final String ARGON2ID = "argon2id";
    private static final String HMAC_SHA512 = "HmacSHA512";
    private static final String SHA512 = "SHA-512";
    /** PBKDF2's block index: one block of HMAC-SHA512 output is the whole 64-byte result (RFC 8018 5.2). */
    private static final byte[] FIRST_BLOCK = {0, 0, 0, 1};
    /**
     * HMAC pads a short key with zero bytes to its block size, so an empty key and a single zero byte give
     * the same MAC; Java refuses empty keys, so an empty password is keyed with the zero byte.
     */
    private static final byte[] EMPTY_KEY_EQUIVALENT = {0};
    private static final byte ZERO_BYTE = 0;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * The two hash types of Mosquitto's password file, by the number that opens them, and Estafeta's own
     * SCRAM-SHA-256 credential, which also serves MQTT 5 enhanced authentication.
     */
    public enum Algorithm {
        /** {@code $6$}: SHA-512(password || salt). */
        SHA512("6"),
        /** {@code $7$}: PBKDF2-HMAC-SHA512. */
        SHA512_PBKDF2("7"),
        /**
         * {@code $scram-sha-256$ITERATIONS$SALT$STOREDKEY$SERVERKEY}: RFC 5802/7677 (Estafeta only; Mosquitto
         * cannot read it).
         */
        SCRAM_SHA_256("scram-sha-256");

        private final String id;

        Algorithm(String id) {
            this.id = id;
        }

        /** The number between the first two {@code $} signs. */
        public String id() {
            return id;
        }
    }

    /**
     * What a hash costs to check: the algorithm and, for PBKDF2, the iteration count (1 for SHA-512).
     */
    public record Parameters(Algorithm algorithm, int iterations) {

        public Parameters {
            Objects.requireNonNull(algorithm, "algorithm");
            if (iterations < 1) {
                throw new IllegalArgumentException("iterations must be at least 1: " + iterations);
            }
        }
    }

    /** {@code $scram-sha-256$ITERATIONS$SALT$STOREDKEY$SERVERKEY} split at '$'. */
    private static final int SCRAM_FIELDS = 6;
    private static final int SCRAM_KEY_BYTES = 32;

    private final Parameters parameters;
    private final byte[] salt;
    private final byte[] hash;
    /** For {@link Algorithm#SCRAM_SHA_256} only; {@link #hash} is then its StoredKey. */
    private final ScramCredential scram;

    private PasswordHash(Parameters parameters, byte[] salt, byte[] hash) {
        this(parameters, salt, hash, null);
    }

    private PasswordHash(Parameters parameters, byte[] salt, byte[] hash, ScramCredential scram) {
        this.parameters = parameters;
        this.salt = salt;
        this.hash = hash;
        this.scram = scram;
    }

    private static PasswordHash ofScram(ScramCredential credential) {
        return new PasswordHash(new Parameters(Algorithm.SCRAM_SHA_256, credential.iterations()), credential.salt(),
                credential.storedKey(), credential);
    }

    /**
     * A new SCRAM-SHA-256 credential: checks plain passwords like the others and also lets a client log in
     * with MQTT 5 enhanced authentication without sending its password.
     */
    public static PasswordHash createScram(byte[] password, int iterations) {
        if (containsZeroByte(password)) {
            throw new IllegalArgumentException("a password must not contain a zero byte (U+0000)");
        }
        byte[] salt = new byte[SCRAM_SALT_BYTES];
        RANDOM.nextBytes(salt);
        return ofScram(ScramCredential.derive(utf8Chars(password), salt, iterations));
    }

    /** The SCRAM credential, for a {@code $scram-sha-256$} entry. */
    public Optional<ScramCredential> scramCredential() {
        return Optional.ofNullable(scram);
    }

    private static final int SCRAM_SALT_BYTES = 16;

    private static char[] utf8Chars(byte[] password) {
        return new String(password, java.nio.charset.StandardCharsets.UTF_8).toCharArray();
    }

    /**
     * Reads one hash as it stands after the {@code :} of a password-file line.
     *
     * @throws IllegalArgumentException if it is not a {@code $6$} or {@code $7$} hash with a 12- or
     *                                  64-byte salt and a 64-byte hash; the message never quotes the text
     */
    public static PasswordHash parse(String encoded) {
        Objects.requireNonNull(encoded, "encoded");
        if (!encoded.startsWith(SEPARATOR)) {
            throw new IllegalArgumentException("not a hash: it should start with $7$ or $6$"
                    + " (a plain-text password file must be hashed first)");
        }
        String[] fields = encoded.split(SEPARATOR_PATTERN, -1);
        // fields[0] is the empty text before the leading '$'.
        String type = fields.length > 1 ? fields[1] : "";
        if (type.equals(Algorithm.SHA512_PBKDF2.id())) {
            requireFieldCount(fields, PBKDF2_FIELDS, "$7$ITERATIONS$SALT$HASH");
            return decode(new Parameters(Algorithm.SHA512_PBKDF2, iterations(fields[2])), fields[3], fields[4]);
        }
        if (type.equals(Algorithm.SHA512.id())) {
            requireFieldCount(fields, SHA512_FIELDS, "$6$SALT$HASH");
            return decode(new Parameters(Algorithm.SHA512, 1), fields[2], fields[3]);
        }
        if (type.equals(Algorithm.SCRAM_SHA_256.id())) {
            requireFieldCount(fields, SCRAM_FIELDS, "$scram-sha-256$ITERATIONS$SALT$STOREDKEY$SERVERKEY");
            byte[] salt = base64(fields[3], "salt");
            byte[] storedKey = base64(fields[4], "stored key");
            byte[] serverKey = base64(fields[5], "server key");
            if (salt.length == 0 || storedKey.length != SCRAM_KEY_BYTES || serverKey.length != SCRAM_KEY_BYTES) {
                throw new IllegalArgumentException("malformed hash: a SCRAM-SHA-256 entry needs a salt and two "
                        + SCRAM_KEY_BYTES + "-byte keys");
            }
            return ofScram(new ScramCredential(salt, iterations(fields[2]), storedKey, serverKey));
        }
        if (type.equals(ARGON2ID)) {
            throw new IllegalArgumentException("argon2id hashes are not supported; use $7$ (PBKDF2-SHA512)");
        }
        throw new IllegalArgumentException("unknown hash type; expected $7$ (PBKDF2-SHA512) or $6$ (SHA-512)");
    }

    /** A new {@code $7$} hash with {@value #DEFAULT_ITERATIONS} iterations and a random salt. */
    public static PasswordHash create(byte[] password) {
        return create(password, DEFAULT_ITERATIONS);
    }

    /** A new {@code $7$} hash with the given iteration count and a random salt. */
    public static PasswordHash create(byte[] password, int iterations) {
        return create(new Parameters(Algorithm.SHA512_PBKDF2, iterations), password);
    }

    /**
     * A new hash of the given kind with a random {@value #SALT_BYTES}-byte salt. {@code $6$} is weak (one
     * SHA-512); it exists for brokers that only read Mosquitto 1.x files.
     *
     * @throws IllegalArgumentException if the password contains a zero byte, which Mosquitto cannot check
     */
    public static PasswordHash create(Parameters parameters, byte[] password) {
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(password, "password");
        if (containsZeroByte(password)) {
            throw new IllegalArgumentException("a password must not contain a zero byte (U+0000):"
                    + " Mosquitto would compare only what comes before it");
        }
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new PasswordHash(parameters, salt, digest(parameters, salt, password));
    }

    /**
     * A hash no password is known for, costing what a real hash with these parameters costs to check:
     * what an unknown username is checked against, so that it takes as long as a wrong password.
     */
    static PasswordHash unmatchable(Parameters parameters) {
        byte[] salt = new byte[SALT_BYTES];
        byte[] hash = new byte[HASH_BYTES];
        RANDOM.nextBytes(salt);
        RANDOM.nextBytes(hash);
        if (parameters.algorithm() == Algorithm.SCRAM_SHA_256) {
            byte[] serverKey = new byte[SCRAM_KEY_BYTES];
            RANDOM.nextBytes(serverKey);
            return ofScram(new ScramCredential(salt, parameters.iterations(),
                    java.util.Arrays.copyOf(hash, SCRAM_KEY_BYTES), serverKey));
        }
        return new PasswordHash(parameters, salt, hash);
    }

    /**
     * Whether {@code password} is the one this hash was made from; the comparison takes constant time.
     *
     * <p>A password containing a zero byte never matches. No stored hash can come from one (Mosquitto
     * hashes C strings; {@link #create} refuses them), and HMAC pads a short key with zero bytes, so without
     * this rule {@code "secret\0"} would pass for {@code "secret"}.
     */
    public boolean verify(byte[] password) {
        Objects.requireNonNull(password, "password");
        boolean equal = MessageDigest.isEqual(hash, digest(parameters, salt, password));
        return equal & !containsZeroByte(password);
    }

    /** The algorithm and iteration count. */
    public Parameters parameters() {
        return parameters;
    }

    /** The hash as written after {@code username:} in a password file. */
    public String encoded() {
        Base64.Encoder base64 = Base64.getEncoder();
        StringBuilder text = new StringBuilder(SEPARATOR).append(parameters.algorithm().id()).append(SEPARATOR);
        if (scram != null) {
            return text.append(parameters.iterations()).append(SEPARATOR).append(base64.encodeToString(salt))
                    .append(SEPARATOR).append(base64.encodeToString(scram.storedKey())).append(SEPARATOR)
                    .append(base64.encodeToString(scram.serverKey())).toString();
        }
        if (parameters.algorithm() == Algorithm.SHA512_PBKDF2) {
            text.append(parameters.iterations()).append(SEPARATOR);
        }
        return text.append(base64.encodeToString(salt)).append(SEPARATOR).append(base64.encodeToString(hash))
                .toString();
    }

    /** Names the algorithm and iteration count only: salt and hash stay out of logs. */
    @Override
    public String toString() {
        return "PasswordHash[$" + parameters.algorithm().id() + "$, " + parameters.iterations() + " iterations]";
    }

    private static boolean containsZeroByte(byte[] password) {
        for (byte b : password) {
            if (b == ZERO_BYTE) {
                return true;
            }
        }
        return false;
    }

    private static void requireFieldCount(String[] fields, int count, String form) {
        if (fields.length != count) {
            throw new IllegalArgumentException("malformed hash: expected the form " + form);
        }
    }

    private static int iterations(String field) {
        // Digits only: Mosquitto's atoi would read "12abc" as 12, which hides a damaged file.
        if (field.isEmpty() || field.length() > String.valueOf(Integer.MAX_VALUE).length()
                || !field.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("malformed hash: the iteration count is not a whole number");
        }
        long iterations = Long.parseLong(field);
        if (iterations < 1 || iterations > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("malformed hash: the iteration count must be from 1 to "
                    + Integer.MAX_VALUE);
        }
        return (int) iterations;
    }

    private static PasswordHash decode(Parameters parameters, String saltField, String hashField) {
        byte[] salt = base64(saltField, "salt");
        if (salt.length != SALT_BYTES && salt.length != LONG_SALT_BYTES) {
            throw new IllegalArgumentException("malformed hash: the salt must be " + SALT_BYTES + " or "
                    + LONG_SALT_BYTES + " bytes, not " + salt.length);
        }
        byte[] hash = base64(hashField, "hash");
        if (hash.length != HASH_BYTES) {
            throw new IllegalArgumentException("malformed hash: the hash must be " + HASH_BYTES + " bytes, not "
                    + hash.length);
        }
        return new PasswordHash(parameters, salt, hash);
    }

    private static byte[] base64(String field, String what) {
        try {
            return Base64.getDecoder().decode(field);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed hash: the " + what + " is not valid Base64");
        }
    }

    private static byte[] digest(Parameters parameters, byte[] salt, byte[] password) {
        return switch (parameters.algorithm()) {
            case SHA512 -> sha512(salt, password);
            case SHA512_PBKDF2 -> pbkdf2HmacSha512(salt, password, parameters.iterations());
            case SCRAM_SHA_256 -> ScramCredential.derive(utf8Chars(password), salt, parameters.iterations()).storedKey();
        };
    }

    /** Mosquitto's {@code $6$}: the password bytes, then the salt bytes, through one SHA-512. */
    private static byte[] sha512(byte[] salt, byte[] password) {
        MessageDigest sha512;
        try {
            sha512 = MessageDigest.getInstance(SHA512);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-512", e);
        }
        sha512.update(password);
        sha512.update(salt);
        return sha512.digest();
    }

    /**
     * PBKDF2 (RFC 8018 section 5.2) with HMAC-SHA512 and a 64-byte result, written out because the JDK's
     * {@code PBKDF2WithHmacSHA512} takes the password as characters, and MQTT passwords are bytes.
     */
    private static byte[] pbkdf2HmacSha512(byte[] salt, byte[] password, int iterations) {
        try {
            Mac hmac = Mac.getInstance(HMAC_SHA512);
            byte[] key = password.length == 0 ? EMPTY_KEY_EQUIVALENT : password;
            hmac.init(new SecretKeySpec(key, HMAC_SHA512));
            byte[] u = new byte[HASH_BYTES];
            hmac.update(salt);
            hmac.update(FIRST_BLOCK);
            hmac.doFinal(u, 0);
            byte[] result = u.clone();
            for (int i = 1; i < iterations; i++) {
                hmac.update(u);
                hmac.doFinal(u, 0);
                for (int j = 0; j < HASH_BYTES; j++) {
                    result[j] ^= u[j];
                }
            }
            return result;
        } catch (ShortBufferException e) {
            throw new IllegalStateException("HMAC-SHA512 output is " + HASH_BYTES + " bytes", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HMAC-SHA512", e);
        }
    }
}
