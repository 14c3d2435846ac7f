package io.estafeta.broker.auth.scram;

import com.hivemq.client.mqtt.datatypes.MqttUtf8String;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig;
import com.hivemq.client.mqtt.mqtt5.auth.Mqtt5EnhancedAuthMechanism;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5Auth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5AuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5EnhancedAuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5Disconnect;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

/**
 * The client side of SCRAM-SHA-256 (RFC 5802) for the HiveMQ MQTT client, written from the RFC for the
 * tests: a real MQTT 5 client runs the AUTH exchange against the broker. It also checks the server's
 * signature, so the broker must know the password too.
 */
final class ScramClientMechanism implements Mqtt5EnhancedAuthMechanism {

    private final String username;
    private volatile String password;
    private String clientNonce;
    private String clientFirstBare;
    private byte[] expectedServerSignature;
    volatile boolean serverVerified;
    volatile boolean reauthenticated;
    volatile Mqtt5Disconnect reauthRejection;

    ScramClientMechanism(String username, String password) {
        this.username = username;
        this.password = password;
    }

    @Override
    public MqttUtf8String getMethod() {
        return MqttUtf8String.of(ScramServerExchange.MECHANISM);
    }

    @Override
    public int getTimeout() {
        return 10;
    }

    @Override
    public CompletableFuture<Void> onAuth(Mqtt5ClientConfig config, Mqtt5Connect connect, Mqtt5EnhancedAuthBuilder auth) {
        auth.data(clientFirst());
        return CompletableFuture.completedFuture(null);
    }

    /** A new exchange: a fresh nonce every time, as RFC 5802 requires. */
    private byte[] clientFirst() {
        clientNonce = "testNonce" + System.nanoTime();
        clientFirstBare = "n=" + username + ",r=" + clientNonce;
        return ("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8);
    }

    /** The password the next (re-)authentication uses. */
    void usePassword(String newPassword) {
        password = newPassword;
    }

    @Override
    public CompletableFuture<Boolean> onContinue(Mqtt5ClientConfig config, Mqtt5Auth serverAuth, Mqtt5AuthBuilder auth) {
        String serverFirst = text(serverAuth.getData().orElseThrow());
        String nonce = attribute(serverFirst, 'r');
        byte[] salt = Base64.getDecoder().decode(attribute(serverFirst, 's'));
        int iterations = Integer.parseInt(attribute(serverFirst, 'i'));
        if (!nonce.startsWith(clientNonce)) {
            return CompletableFuture.completedFuture(false);
        }
        byte[] saltedPassword = ScramCredential.saltedPassword(password.toCharArray(), salt, iterations);
        byte[] clientKey = ScramCredential.hmac(saltedPassword, bytes("Client Key"));
        byte[] storedKey = ScramCredential.sha256(clientKey);
        String withoutProof = "c=biws,r=" + nonce;
        byte[] authMessage = bytes(clientFirstBare + "," + serverFirst + "," + withoutProof);
        byte[] signature = ScramCredential.hmac(storedKey, authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        byte[] serverKey = ScramCredential.hmac(saltedPassword, bytes("Server Key"));
        expectedServerSignature = ScramCredential.hmac(serverKey, authMessage);
        auth.data(bytes(withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)));
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletableFuture<Boolean> onAuthSuccess(Mqtt5ClientConfig config, Mqtt5ConnAck connAck) {
        String serverFinal = text(connAck.getEnhancedAuth().orElseThrow().getData().orElseThrow());
        serverVerified = MessageDigest.isEqual(Base64.getDecoder().decode(attribute(serverFinal, 'v')),
                expectedServerSignature);
        return CompletableFuture.completedFuture(serverVerified);
    }

    @Override
    public CompletableFuture<Void> onReAuth(Mqtt5ClientConfig config, Mqtt5AuthBuilder auth) {
        serverVerified = false;
        auth.data(clientFirst());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Boolean> onReAuthSuccess(Mqtt5ClientConfig config, Mqtt5Auth auth) {
        String serverFinal = text(auth.getData().orElseThrow());
        serverVerified = MessageDigest.isEqual(Base64.getDecoder().decode(attribute(serverFinal, 'v')),
                expectedServerSignature);
        reauthenticated = serverVerified;
        return CompletableFuture.completedFuture(serverVerified);
    }

    @Override
    public void onAuthRejected(Mqtt5ClientConfig config, Mqtt5ConnAck connAck) {
    }

    @Override
    public void onReAuthRejected(Mqtt5ClientConfig config, Mqtt5Disconnect disconnect) {
        reauthRejection = disconnect;
    }

    @Override
    public void onAuthError(Mqtt5ClientConfig config, Throwable cause) {
    }

    @Override
    public void onReAuthError(Mqtt5ClientConfig config, Throwable cause) {
    }

    private static String attribute(String message, char key) {
        for (String part : message.split(",")) {
            if (part.charAt(0) == key && part.charAt(1) == '=') {
                return part.substring(2);
            }
        }
        throw new IllegalArgumentException("no " + key + "= in " + message);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
