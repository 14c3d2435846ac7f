package io.estafeta.broker.store.rocksdb;

import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.message.MessageProperties;
import io.estafeta.broker.message.UserProperty;

import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of an {@link ApplicationMessage}:
 *
 * <pre>
 * version  1 byte (1)
 * flags    1 byte: bits 0-1 QoS, bit 2 RETAIN, bit 3 publisher present, bit 4 expires, bit 5 properties present
 * topic    string
 * payload  byte string
 * [publisher id]                        string, if flagged
 * [expiry deadline, epoch millis]       unsigned number, if flagged
 * [properties]                          if flagged: payload format indicator + 1 (0: unspecified),
 *                                       content type, response topic (nullable strings), correlation data
 *                                       (nullable byte string), user property count, then name and value
 *                                       strings
 * </pre>
 *
 * Strings are UTF-8 with an unsigned variable-length length ({@link RecordWriter}). Written by hand
 * rather than with a serialization library: the record is small and fixed, the format must stay readable
 * by later versions (hence the version byte), and the payload is copied once, with no intermediate
 * objects.
 */
final class MessageCodec {

    static final int VERSION = 1;

    private static final int QOS_MASK = 0b11;
    private static final int RETAIN = 1 << 2;
    private static final int HAS_PUBLISHER = 1 << 3;
    private static final int EXPIRES = 1 << 4;
    private static final int HAS_PROPERTIES = 1 << 5;
    private static final int KNOWN_FLAGS = QOS_MASK | RETAIN | HAS_PUBLISHER | EXPIRES | HAS_PROPERTIES;
    /** Version, flags, and a few length bytes. */
    private static final int FIXED_OVERHEAD = 16;
    /** Capacity to start a list of user properties with: a count read from disk is not trusted for more. */
    private static final int USUAL_USER_PROPERTIES = 4;

    private MessageCodec() {
    }

    static byte[] encode(ApplicationMessage message) {
        RecordWriter out = new RecordWriter(FIXED_OVERHEAD + message.topic().length() + message.payloadSize());
        write(message, out);
        return out.toByteArray();
    }

    static void write(ApplicationMessage message, RecordWriter out) {
        MessageProperties properties = message.properties();
        boolean expires = message.expiresAtMillis() != ApplicationMessage.NEVER_EXPIRES;
        int flags = message.qos()
                | (message.retain() ? RETAIN : 0)
                | (message.publisherId() != null ? HAS_PUBLISHER : 0)
                | (expires ? EXPIRES : 0)
                | (properties.isEmpty() ? 0 : HAS_PROPERTIES);
        out.writeByte(VERSION).writeByte(flags).writeString(message.topic()).writeBytes(message.payload());
        if (message.publisherId() != null) {
            out.writeString(message.publisherId());
        }
        if (expires) {
            out.writeVarLong(message.expiresAtMillis());
        }
        if (!properties.isEmpty()) {
            writeProperties(properties, out);
        }
    }

    static ApplicationMessage decode(byte[] bytes, String what) {
        RecordReader in = new RecordReader(bytes, what);
        ApplicationMessage message = read(in);
        in.requireEnd();
        return message;
    }

    static ApplicationMessage read(RecordReader in) {
        int version = in.readByte();
        if (version != VERSION) {
            throw in.malformed("unknown message format version " + version);
        }
        int flags = in.readByte();
        int qos = flags & QOS_MASK;
        if ((flags & ~KNOWN_FLAGS) != 0 || qos > 2) {
            throw in.malformed("invalid message flags " + Integer.toBinaryString(flags));
        }
        String topic = in.readString();
        byte[] payload = in.readBytes();
        String publisher = (flags & HAS_PUBLISHER) != 0 ? in.readString() : null;
        long expiresAt = ApplicationMessage.NEVER_EXPIRES;
        if ((flags & EXPIRES) != 0) {
            expiresAt = in.readVarLong();
            if (expiresAt == ApplicationMessage.NEVER_EXPIRES) {
                throw in.malformed("an expiry deadline of 0");
            }
        }
        MessageProperties properties = (flags & HAS_PROPERTIES) != 0 ? readProperties(in) : MessageProperties.NONE;
        return new ApplicationMessage(topic, payload, qos, (flags & RETAIN) != 0, publisher, properties, expiresAt);
    }

    private static void writeProperties(MessageProperties properties, RecordWriter out) {
        out.writeVarInt(properties.payloadFormatIndicator() - MessageProperties.UNSPECIFIED)
                .writeNullableString(properties.contentType())
                .writeNullableString(properties.responseTopic())
                .writeNullableBytes(properties.correlationData())
                .writeVarInt(properties.userProperties().size());
        for (UserProperty property : properties.userProperties()) {
            out.writeString(property.name()).writeString(property.value());
        }
    }

    private static MessageProperties readProperties(RecordReader in) {
        int payloadFormatIndicator = in.readVarInt() + MessageProperties.UNSPECIFIED;
        String contentType = in.readNullableString();
        String responseTopic = in.readNullableString();
        byte[] correlationData = in.readNullableBytes();
        int count = in.readVarInt();
        List<UserProperty> userProperties = new ArrayList<>(Math.min(count, USUAL_USER_PROPERTIES));
        for (int i = 0; i < count; i++) {
            userProperties.add(new UserProperty(in.readString(), in.readString()));
        }
        return new MessageProperties(payloadFormatIndicator, contentType, responseTopic, correlationData,
                userProperties);
    }
}
