package io.estafeta.broker.transport;

import java.util.HashMap;
import java.util.Map;

/**
 * One connection's MQTT 5 topic aliases (3.3.2.3.4), both ways. Aliases live as long as the network
 * connection: a new connection starts with none. Confined to the connection's event loop.
 */
final class TopicAliases {

    /**
     * No aliases either way: what every 3.1.1 connection and most 5.0 ones have. Shared, since with
     * both maxima 0 nothing is ever recorded ({@link #setInbound} needs a valid alias, {@link #learned}
     * an alias from {@link #outbound}, which is 0 here).
     */
    static final TopicAliases NONE = new TopicAliases(0, 0);

    /** What the client set, by alias (index 0 unused: alias 0 is never valid, [MQTT-3.3.2-8]). */
    private final String[] inbound;
    private final int outboundMaximum;
    private final Map<String, Integer> outbound = new HashMap<>();

    /**
     * @param inboundMaximum  the Topic Alias Maximum we announced in CONNACK
     * @param outboundMaximum the Topic Alias Maximum the client announced in CONNECT (0: none)
     */
    TopicAliases(int inboundMaximum, int outboundMaximum) {
        this.inbound = new String[inboundMaximum + 1];
        this.outboundMaximum = outboundMaximum;
    }

    /** The aliases for these maxima; {@link #NONE} when both are 0. */
    static TopicAliases of(int inboundMaximum, int outboundMaximum) {
        return inboundMaximum == 0 && outboundMaximum == 0 ? NONE : new TopicAliases(inboundMaximum, outboundMaximum);
    }

    /** Whether the client may use this alias: 1 up to our maximum ([MQTT-3.3.2-8], [MQTT-3.3.2-9]). */
    boolean isValidInbound(int alias) {
        return alias > 0 && alias < inbound.length;
    }

    int inboundMaximum() {
        return inbound.length - 1;
    }

    /** The topic the client set for a valid alias, or null if it never set one. */
    String inboundTopic(int alias) {
        return inbound[alias];
    }

    void setInbound(int alias, String topic) {
        inbound[alias] = topic;
    }

    /**
     * An alias for an outgoing PUBLISH: negative when the client already knows it (send an empty topic),
     * positive when it would be new (record it with {@link #learned} once the PUBLISH is sent), 0 for none.
     */
    int outbound(String topic) {
        if (outboundMaximum == 0) {
            return 0;
        }
        Integer known = outbound.get(topic);
        if (known != null) {
            return -known;
        }
        return outbound.size() < outboundMaximum ? outbound.size() + 1 : 0;
    }

    /** The client has received a PUBLISH that set this alias. */
    void learned(String topic, int alias) {
        outbound.put(topic, alias);
    }
}
