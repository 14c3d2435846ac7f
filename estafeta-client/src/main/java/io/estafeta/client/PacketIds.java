package io.estafeta.client;

import java.util.BitSet;

/**
 * The packet identifiers this client has in use for its own QoS 1/2 PUBLISH, SUBSCRIBE and
 * UNSUBSCRIBE. An identifier is free again once its flow is complete ([MQTT-2.3.1-2], [MQTT-2.3.1-3]).
 * Identifiers are handed out round-robin, so one just freed is not reused at once. Confined to the
 * client's event loop.
 */
final class PacketIds {

    /** Packet identifiers are non-zero two-byte integers ([MQTT-2.3.1-1]). */
    static final int MIN = 1;
    static final int MAX = 65535;

    private final BitSet inUse = new BitSet(MAX + 1);
    private int next = MIN;
    private int used;

    /**
     * Takes a free identifier.
     *
     * @return the identifier, or 0 when all 65535 are in use
     */
    int take() {
        if (used == MAX) {
            return 0;
        }
        int id = inUse.nextClearBit(next);
        if (id > MAX) {
            id = inUse.nextClearBit(MIN);
        }
        inUse.set(id);
        used++;
        next = id == MAX ? MIN : id + 1;
        return id;
    }

    void release(int id) {
        if (inUse.get(id)) {
            inUse.clear(id);
            used--;
        }
    }

    int inUse() {
        return used;
    }
}
