package io.estafeta.broker.auth.scram;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The server side of one SCRAM-SHA-256 exchange (RFC 5802 with RFC 7677), without channel binding:
 * client-first -> server-first -> client-final -> server-final. One instance per authentication; not
 * thread-safe (it lives on a connection's event loop).
 */
public final class ScramServerExchange {

    public static final String MECHANISM = "SCRAM-SHA-256";
    private static final int NONCE_BYTES = 18;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int UNKNOWN_USER_SALT_BYTES = 16;
    private static final byte[] UNKNOWN_USER_SECRET = randomBytes(32);
    private static final byte[] UNKNOWN_USER_KEY = randomBytes(32);

    /** What the exchange says next. */
    public sealed interface Step {
    }

    /** Send this to the client and wait for its next message. */
    public record Challenge(byte[] data) implements Step {
    }

    /** The client proved it knows the password; send this (server-final) with the success. */
    public record Success(String username, byte[] data) implements Step {
    }

    /** Authentication failed; the reason is for the log, never for the client. */
    public record Failure(String reason) implements Step {
    }

    private enum State { AWAITING_CLIENT_FIRST, AWAITING_CLIENT_FINAL, DONE }

    private final Function<String, ScramCredential> credentials;
    private final Supplier<String> nonces;
    private State state = State.AWAITING_CLIENT_FIRST;
    private String username;
    private ScramCredential credential;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;

    /**
     * @param credentials the credential of a username, or null if unknown
     */
    public ScramServerExchange(Function<String, ScramCredential> credentials) {
        this(credentials, ScramServerExchange::randomNonce);
    }

    ScramServerExchange(Function<String, ScramCredential> credentials, Supplier<String> nonces) {
        this.credentials = credentials;
        this.nonces = nonces;
    }

    /** Takes the client's next message. */
    public Step next(byte[] clientMessage) {
        String message = clientMessage == null ? "" : new String(clientMessage, StandardCharsets.UTF_8);
        return switch (state) {
            case AWAITING_CLIENT_FIRST -> clientFirst(message);
            case AWAITING_CLIENT_FINAL -> clientFinal(message);
            case DONE -> fail("the exchange is already over");
        };
    }

    private Step clientFirst(String message) {
        // gs2-header: "n,," (no channel binding) or "y,," (client could bind, thinks we cannot).
        if (!message.startsWith("n,") && !message.startsWith("y,")) {
            return fail("unsupported GS2 header (channel binding is not offered)");
        }
        int bareStart = message.indexOf(',', 2);
        if (bareStart < 0 || bareStart != 2 && !message.substring(2, bareStart).startsWith("a=")) {
            return fail("malformed client-first-message");
        }
        clientFirstBare = message.substring(bareStart + 1);
        String rawName = attribute(clientFirstBare, 'n');
        String clientNonce = attribute(clientFirstBare, 'r');
        if (rawName == null || clientNonce == null || clientNonce.isEmpty()) {
            return fail("client-first-message lacks n= or r=");
        }
        username = rawName.replace("=2C", ",").replace("=3D", "=");
        credential = credentials.apply(username);
        if (credential == null) {
            // Go on with a made-up credential, so an unknown user looks like a wrong password: its salt is
            // the same on every attempt for the same name, as a real user's would be.
            credential = unknownUserCredential(username);
            username = null;
        }
        nonce = clientNonce + nonces.get();
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(credential.salt())
                + ",i=" + credential.iterations();
        state = State.AWAITING_CLIENT_FINAL;
        return new Challenge(serverFirst.getBytes(StandardCharsets.UTF_8));
    }

    private Step clientFinal(String message) {
        state = State.DONE;
        int proofAt = message.lastIndexOf(",p=");
        if (proofAt < 0) {
            return fail("client-final-message lacks p=");
        }
        String withoutProof = message.substring(0, proofAt);
        String channelBinding = attribute(withoutProof, 'c');
        if (!"biws".equals(channelBinding) && !"eSws".equals(channelBinding)) {
            return fail("unexpected channel binding data");
        }
        if (!nonce.equals(attribute(withoutProof, 'r'))) {
            return fail("nonce mismatch");
        }
        byte[] proof;
        try {
            proof = Base64.getDecoder().decode(message.substring(proofAt + 3));
        } catch (IllegalArgumentException e) {
            return fail("proof is not base64");
        }
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + withoutProof)
                .getBytes(StandardCharsets.UTF_8);
        byte[] clientSignature = ScramCredential.hmac(credential.storedKey(), authMessage);
        if (proof.length != clientSignature.length) {
            return fail("proof has the wrong length");
        }
        byte[] clientKey = new byte[proof.length];
        for (int i = 0; i < proof.length; i++) {
            clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
        }
        boolean valid = MessageDigest.isEqual(ScramCredential.sha256(clientKey), credential.storedKey());
        if (!valid || username == null) {
            return fail("wrong password or unknown user");
        }
        byte[] serverSignature = ScramCredential.hmac(credential.serverKey(), authMessage);
        String serverFinal = "v=" + Base64.getEncoder().encodeToString(serverSignature);
        return new Success(username, serverFinal.getBytes(StandardCharsets.UTF_8));
    }

    private Step fail(String reason) {
        state = State.DONE;
        return new Failure(reason);
    }

    /** The value of {@code key=} in a comma-separated SCRAM message, or null. */
    private static String attribute(String message, char key) {
        for (String part : message.split(",", -1)) {
            if (part.length() >= 2 && part.charAt(0) == key && part.charAt(1) == '=') {
                return part.substring(2);
            }
        }
        return null;
    }

    private static String randomNonce() {
        byte[] bytes = new byte[NONCE_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().withoutPadding().encodeToString(bytes).replace(',', '-');
    }

    private static ScramCredential unknownUserCredential(String name) {
        byte[] salt = Arrays.copyOf(ScramCredential.hmac(UNKNOWN_USER_SECRET, name.getBytes(StandardCharsets.UTF_8)),
                UNKNOWN_USER_SALT_BYTES);
        return new ScramCredential(salt, ScramCredential.MIN_ITERATIONS, UNKNOWN_USER_KEY, UNKNOWN_USER_KEY);
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
