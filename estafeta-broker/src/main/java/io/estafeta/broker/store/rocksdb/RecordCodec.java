package io.estafeta.broker.store.rocksdb;

import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.routing.SharedGroup;
import io.estafeta.broker.routing.Subscription;
import io.estafeta.broker.store.DeliveryState;
import io.estafeta.broker.store.StoredSession;

/**
 * The stored form of every value but messages ({@link MessageCodec}). Each starts with a version byte,
 * so that a later Estafeta can read what this one wrote.
 *
 * <pre>
 * session       version, expiry interval (number), offline since + 1 (number; 0: online), username (nullable)
 * subscription  version, options byte (bits 0-1 QoS, bit 2 No Local, bit 3 Retain As Published),
 *               subscription id (number), topic filter, share name (nullable)
 * delivery      version, state (0 queued, 1 in flight, 2 released), QoS, packet id, message id (0 once
 *               released), subscription id count and ids, share name (nullable), [shared topic filter]
 * will          version, due time (8 bytes, epoch millis), the message ({@link MessageCodec})
 * </pre>
 */
final class RecordCodec {

    static final int VERSION = 1;
    /** A delivery that no longer refers to a message (QoS 2 past PUBREC). */
    static final long NO_MESSAGE = 0;

    private static final int QOS_MASK = 0b11;
    private static final int NO_LOCAL = 1 << 2;
    private static final int RETAIN_AS_PUBLISHED = 1 << 3;
    private static final int KNOWN_OPTIONS = QOS_MASK | NO_LOCAL | RETAIN_AS_PUBLISHED;
    private static final int MAX_QOS = 2;
    private static final int MAX_PACKET_ID = 0xFFFF;
    private static final DeliveryState[] STATES = DeliveryState.values();

    private RecordCodec() {
    }

    // ------------------------------------------------------------------ sessions

    static byte[] encodeSession(StoredSession session) {
        return new RecordWriter().writeByte(VERSION)
                .writeVarLong(session.expiryIntervalSeconds())
                .writeVarLong(session.offlineSinceMillis() + 1)
                .writeNullableString(session.username())
                .toByteArray();
    }

    static StoredSession decodeSession(String clientId, byte[] value) {
        RecordReader in = reader(value, "session of " + clientId);
        long expiry = in.readVarLong();
        long offlineSince = in.readVarLong() - 1;
        String username = in.readNullableString();
        in.requireEnd();
        return new StoredSession(clientId, expiry, offlineSince, username);
    }

    // ------------------------------------------------------------------ subscriptions

    static byte[] encodeSubscription(Subscription subscription) {
        int options = subscription.qos()
                | (subscription.noLocal() ? NO_LOCAL : 0)
                | (subscription.retainAsPublished() ? RETAIN_AS_PUBLISHED : 0);
        return new RecordWriter().writeByte(VERSION)
                .writeByte(options)
                .writeVarInt(subscription.subscriptionId())
                .writeString(subscription.topicFilter())
                .writeNullableString(subscription.shareName())
                .toByteArray();
    }

    static Subscription decodeSubscription(String clientId, byte[] value) {
        RecordReader in = reader(value, "subscription of " + clientId);
        int options = in.readByte();
        if ((options & ~KNOWN_OPTIONS) != 0 || (options & QOS_MASK) > MAX_QOS) {
            throw in.malformed("invalid subscription options " + Integer.toBinaryString(options));
        }
        int subscriptionId = in.readVarInt();
        String topicFilter = in.readString();
        String shareName = in.readNullableString();
        in.requireEnd();
        try {
            return new Subscription(clientId, topicFilter, options & QOS_MASK, (options & NO_LOCAL) != 0,
                    (options & RETAIN_AS_PUBLISHED) != 0, subscriptionId, shareName);
        } catch (IllegalArgumentException e) {
            throw in.malformed(e.getMessage());
        }
    }

    // ------------------------------------------------------------------ deliveries

    /** A delivery as stored: the message by its id. */
    record DeliveryRecord(DeliveryState state, int qos, int packetId, long messageId, int[] subscriptionIds,
                          SharedGroup sharedGroup) {
    }

    static byte[] encodeDelivery(DeliveryState state, int qos, int packetId, long messageId, int[] subscriptionIds,
                                 SharedGroup sharedGroup) {
        RecordWriter out = new RecordWriter().writeByte(VERSION)
                .writeByte(state.ordinal())
                .writeByte(qos)
                .writeVarInt(packetId)
                .writeVarLong(messageId)
                .writeVarInt(subscriptionIds.length);
        for (int id : subscriptionIds) {
            out.writeVarInt(id);
        }
        if (sharedGroup == null) {
            out.writeNullableString(null);
        } else {
            out.writeNullableString(sharedGroup.shareName()).writeString(sharedGroup.topicFilter());
        }
        return out.toByteArray();
    }

    static DeliveryRecord decodeDelivery(byte[] value, String what) {
        RecordReader in = reader(value, what);
        int stateNumber = in.readByte();
        if (stateNumber >= STATES.length) {
            throw in.malformed("unknown delivery state " + stateNumber);
        }
        DeliveryState state = STATES[stateNumber];
        int qos = in.readByte();
        int packetId = in.readVarInt();
        long messageId = in.readVarLong();
        if (qos > MAX_QOS || packetId > MAX_PACKET_ID
                || (state == DeliveryState.QUEUED) != (packetId == 0)
                || (state == DeliveryState.RELEASED) != (messageId == NO_MESSAGE)) {
            throw in.malformed("inconsistent delivery (state " + state + ", QoS " + qos + ", packet id " + packetId
                    + ", message id " + messageId + ")");
        }
        int count = in.readVarInt();
        if (count > value.length) {
            throw in.malformed("more subscription ids than bytes: " + count);
        }
        int[] subscriptionIds = new int[count];
        for (int i = 0; i < count; i++) {
            subscriptionIds[i] = in.readVarInt();
        }
        String shareName = in.readNullableString();
        SharedGroup group = shareName == null ? null : new SharedGroup(shareName, in.readString());
        in.requireEnd();
        return new DeliveryRecord(state, qos, packetId, messageId, subscriptionIds, group);
    }

    // ------------------------------------------------------------------ wills

    static byte[] encodeWill(ApplicationMessage will, long publishAtMillis) {
        RecordWriter out = new RecordWriter(will.payloadSize() + will.topic().length() + Long.BYTES * 2)
                .writeByte(VERSION).writeLong(publishAtMillis);
        MessageCodec.write(will, out);
        return out.toByteArray();
    }

    /** The will's due time and message. */
    record WillRecord(long publishAtMillis, ApplicationMessage will) {
    }

    static WillRecord decodeWill(String clientId, byte[] value) {
        RecordReader in = reader(value, "will of " + clientId);
        long publishAt = in.readLong();
        ApplicationMessage will = MessageCodec.read(in);
        in.requireEnd();
        return new WillRecord(publishAt, will);
    }

    private static RecordReader reader(byte[] value, String what) {
        RecordReader in = new RecordReader(value, what);
        int version = in.readByte();
        if (version != VERSION) {
            throw in.malformed("unknown record format version " + version);
        }
        return in;
    }
}
