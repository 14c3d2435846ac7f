package io.estafeta.broker.http.admin;

import io.estafeta.broker.auth.FailedLoginDelays;
import io.estafeta.broker.auth.PasswordFile;
import io.estafeta.broker.auth.PasswordHash;

import javax.crypto.Mac;
import java.net.InetAddress;
import java.time.Duration;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * HTTP Basic authentication (RFC 7617) of administrators against {@code admin_password_file}, a Mosquitto
 * password file.
 *
 * <p>A strong password hash costs a noticeable fraction of a CPU second, and a browser sends the credentials
 * with every request (the dashboard polls and streams): so a password is hashed once, off the HTTP event
 * loop, and a match is remembered as an HMAC of the password under a key that lives only in this process.
 * Later requests with the same credentials cost one HMAC. Checks wait in a small bounded queue; when it is
 * full a request is answered 503 rather than queueing without limit.
 */
public final class AdminAuthenticator implements AutoCloseable {

    private static final String BASIC_PREFIX = "Basic ";
    private static final String MAC_ALGORITHM = "HmacSHA256";
    private static final int MAC_KEY_BYTES = 32;
    private static final int WAITING_CHECKS = 64;

    /** The outcome of one request's credentials. */
    public enum Result { ALLOWED, DENIED, BUSY }

    private final PasswordFile passwords;
    private final byte[] macKey = new byte[MAC_KEY_BYTES];
    /** username -> HMAC of the password that was last verified for it. */
    private final Map<String, byte[]> verified = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor hashing;
    /** Checked for unknown usernames, so that they take as long as a wrong password (no username oracle). */
    private final PasswordHash decoy;
    private final FailedLoginDelays failures = new FailedLoginDelays();

    /** @param passwords the administrators, or null to let every request in (admin_allow_anonymous) */
    public AdminAuthenticator(PasswordFile passwords) {
        this.passwords = passwords;
        SecureRandom random = new SecureRandom();
        random.nextBytes(macKey);
        byte[] decoyBytes = new byte[MAC_KEY_BYTES];
        random.nextBytes(decoyBytes);
        // Base64: a password may not hold a zero byte.
        byte[] decoyPassword = Base64.getEncoder().encode(decoyBytes);
        this.decoy = passwords == null || passwords.size() == 0 ? null
                : PasswordHash.create(passwords.hashes().get(0).parameters(), decoyPassword);
        this.hashing = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(WAITING_CHECKS), runnable -> {
                    Thread thread = new Thread(runnable, "estafeta-admin-auth");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** Whether requests need credentials at all. */
    public boolean required() {
        return passwords != null;
    }

    /**
     * Checks an {@code Authorization} header value (null when absent). Completes at once for a missing,
     * malformed or already verified header; otherwise after hashing, on another thread.
     */
    public CompletableFuture<Result> check(String authorization) {
        if (passwords == null) {
            return CompletableFuture.completedFuture(Result.ALLOWED);
        }
        Optional<Credentials> credentials = Credentials.parse(authorization);
        if (credentials.isEmpty()) {
            return CompletableFuture.completedFuture(Result.DENIED);
        }
        String username = credentials.get().username();
        byte[] password = credentials.get().password();
        Optional<PasswordHash> hash = passwords.hashOf(username);
        if (hash.isEmpty()) {
            if (decoy == null) {
                return CompletableFuture.completedFuture(Result.DENIED);
            }
            return verifyOffLoop(() -> {
                decoy.verify(password);
                return Result.DENIED;
            });
        }
        byte[] mac = mac(password);
        byte[] known = verified.get(username);
        if (known != null && MessageDigest.isEqual(known, mac)) {
            return CompletableFuture.completedFuture(Result.ALLOWED);
        }
        return verifyOffLoop(() -> {
            if (!hash.get().verify(password)) {
                return Result.DENIED;
            }
            verified.put(username, mac);
            return Result.ALLOWED;
        });
    }

    private CompletableFuture<Result> verifyOffLoop(Supplier<Result> check) {
        try {
            return CompletableFuture.supplyAsync(check, hashing);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(Result.BUSY);
        }
    }

    /**
     * Records wrong credentials from an address and returns how long to hold back the 401, as for MQTT logins
     * ({@link FailedLoginDelays}: half a second after a failure, doubling, 10 s at most).
     */
    public Duration recordFailure(InetAddress address) {
        return failures.recordFailure(address);
    }

    private byte[] mac(byte[] password) {
        try {
            Mac mac = Mac.getInstance(MAC_ALGORITHM);
            mac.init(new SecretKeySpec(macKey, MAC_ALGORITHM));
            return mac.doFinal(password);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    @Override
    public void close() {
        hashing.shutdownNow();
    }

    /** The username and password of a Basic {@code Authorization} header. */
    record Credentials(String username, byte[] password) {

        static Optional<Credentials> parse(String header) {
            if (header == null || !header.regionMatches(true, 0, BASIC_PREFIX, 0, BASIC_PREFIX.length())) {
                return Optional.empty();
            }
            byte[] decoded;
            try {
                decoded = Base64.getDecoder().decode(header.substring(BASIC_PREFIX.length()).trim());
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            String text = new String(decoded, StandardCharsets.UTF_8);
            int colon = text.indexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            return Optional.of(new Credentials(text.substring(0, colon),
                    text.substring(colon + 1).getBytes(StandardCharsets.UTF_8)));
        }
    }
}
