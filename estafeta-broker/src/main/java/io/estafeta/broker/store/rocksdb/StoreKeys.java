package io.estafeta.broker.store.rocksdb;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Key formats. Everything of a session starts with its <em>client key</em>: the client id's UTF-8 length
 * in two bytes, big-endian, then the bytes. The length makes client keys prefix-free ({@code "ab"} is not
 * a prefix of {@code "abc"}'s key), so one prefix scan or one range delete covers exactly one session.
 * Numbers in keys are big-endian, so that keys sort as the numbers do.
 *
 * <pre>
 * sessions       client key
 * subscriptions  client key + client filter (UTF-8, as written in SUBSCRIBE: $share/... for shared ones)
 * deliveries     client key + delivery id (8 bytes)
 * inbound_qos2   client key + packet id (2 bytes)
 * wills          client key
 * messages       message id (8 bytes)
 * retained       topic (UTF-8)
 * meta           a name (UTF-8)
 * </pre>
 */
final class StoreKeys {

    /** The largest client id a two-byte length can hold: also the protocol's limit for any string. */
    static final int MAX_CLIENT_ID_BYTES = 0xFFFF;
    private static final int LENGTH_BYTES = Short.BYTES;
    private static final int BYTE_MASK = 0xFF;
    private static final int BITS_PER_BYTE = 8;

    private StoreKeys() {
    }

    static byte[] client(String clientId) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        if (id.length > MAX_CLIENT_ID_BYTES) {
            throw new IllegalArgumentException("client id longer than " + MAX_CLIENT_ID_BYTES + " bytes");
        }
        byte[] key = new byte[LENGTH_BYTES + id.length];
        key[0] = (byte) (id.length >>> BITS_PER_BYTE);
        key[1] = (byte) id.length;
        System.arraycopy(id, 0, key, LENGTH_BYTES, id.length);
        return key;
    }

    static byte[] subscription(String clientId, String clientFilter) {
        return new RecordWriter().writeRaw(client(clientId))
                .writeRaw(clientFilter.getBytes(StandardCharsets.UTF_8)).toByteArray();
    }

    static byte[] delivery(String clientId, long deliveryId) {
        return new RecordWriter().writeRaw(client(clientId)).writeLong(deliveryId).toByteArray();
    }

    static byte[] inboundQos2(String clientId, int packetId) {
        return new RecordWriter().writeRaw(client(clientId)).writeShort(packetId).toByteArray();
    }

    static byte[] message(long messageId) {
        return new RecordWriter(Long.BYTES).writeLong(messageId).toByteArray();
    }

    static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The first key after every key that starts with {@code prefix}: the end (exclusive) of a range delete
     * or a scan of one session's keys.
     */
    static byte[] endOfPrefix(byte[] prefix) {
        int last = prefix.length - 1;
        while (last >= 0 && (prefix[last] & BYTE_MASK) == BYTE_MASK) {
            last--;
        }
        if (last < 0) {
            throw new IllegalArgumentException("a prefix of only 0xFF bytes has no end");
        }
        byte[] end = Arrays.copyOf(prefix, last + 1);
        end[last]++;
        return end;
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Reads the client key at the start of a key. */
    static String readClient(RecordReader in) {
        int length = in.readShort();
        return new String(in.readRaw(length), StandardCharsets.UTF_8);
    }
}
