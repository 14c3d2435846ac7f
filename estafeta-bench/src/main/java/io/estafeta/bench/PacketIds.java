package io.estafeta.bench;

/**
 * Packet identifiers of one publisher's QoS 1/2 messages in flight. Confined to the connection's event loop.
 */
final class PacketIds {

    static final int MAX_PACKET_ID = 65_535;

    private final boolean[] inUse = new boolean[MAX_PACKET_ID + 1];
    private int next = 1;
    private int count;

    /** A free identifier; the caller keeps {@link #count()} below {@link #MAX_PACKET_ID}. */
    int take() {
        while (inUse[next]) {
            advance();
        }
        int id = next;
        inUse[id] = true;
        count++;
        advance();
        return id;
    }

    /** Frees an identifier; false if it was not in use (an acknowledgement we did not expect). */
    boolean release(int id) {
        if (id < 1 || id > MAX_PACKET_ID || !inUse[id]) {
            return false;
        }
        inUse[id] = false;
        count--;
        return true;
    }

    boolean isInUse(int id) {
        return id >= 1 && id <= MAX_PACKET_ID && inUse[id];
    }

    int count() {
        return count;
    }

    private void advance() {
        next = next == MAX_PACKET_ID ? 1 : next + 1;
    }
}
