package io.estafeta.broker.auth;

/**
 * Decides what a connected client may do with topics. The broker core asks it; back-ends (the ACL file,
 * others through {@link io.estafeta.broker.auth.spi.AuthorizerProvider}) sit behind it. Implementations are
 * called from every event loop at once, for every PUBLISH and every delivery: they must be thread-safe,
 * quick and must not block.
 *
 * <p>Where each check belongs, following Mosquitto:
 * <ul>
 *   <li>{@link #canPublish}: a PUBLISH from the client (denied: MQTT 5 PUBACK/PUBREC 0x87; MQTT 3.1.1 has no
 *       way to say so, the message is dropped and the flow completed as usual), and the client's will
 *       message when it is about to be published (denied: not published);</li>
 *   <li>{@link #canSubscribe}: each filter of a SUBSCRIBE (denied: SUBACK 0x80 in 3.1.1, 0x87 in 5.0);</li>
 *   <li>{@link #canReceive}: each message about to be delivered to the client, retained messages
 *       included (denied: not delivered).</li>
 * </ul>
 *
 * @see ServerTopicRules the rules for {@code $SYS} and {@code $share} that apply whatever the back-end
 */
public interface Authorizer {

    /**
     * @param clientId the client identifier
     * @param username the username, or {@code null} for an anonymous client
     * @param topic    a topic name (no wildcards)
     */
    boolean canPublish(String clientId, String username, String topic);

    /**
     * @param topicFilter a valid topic filter, possibly with wildcards
     */
    boolean canSubscribe(String clientId, String username, String topicFilter);

    /**
     * @param topic the topic name of the message to deliver
     */
    boolean canReceive(String clientId, String username, String topic);
}
