package io.estafeta.broker.testsupport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-built MQTT 3.1 / 3.1.1 packets, with every field settable so that a test can break exactly the
 * rule it is about. Nothing here validates: a builder writes what it is told.
 */
public final class Packets {

    /** Fixed-header flags the specification requires for PUBREL, SUBSCRIBE and UNSUBSCRIBE [MQTT-2.2.2-1]. */
    public static final int REQUIRED_FLAGS_0010 = 0b0010;
    private static final int MAX_REMAINING_LENGTH_BYTES = 4;
    private static final int CONTINUATION_BIT = 0x80;
    private static final int SEVEN_BITS = 0x7F;

    private Packets() {
    }

    public static Connect connect(String clientId) {
        return new Connect(clientId);
    }

    public static Publish publish(String topic) {
        return new Publish(topic);
    }

    public static Subscribe subscribe(int packetId) {
        return new Subscribe(packetId);
    }

    public static byte[] subscribe(int packetId, String filter, int qos) {
        return subscribe(packetId).filter(filter, qos).build();
    }

    public static byte[] unsubscribe(int packetId, String... filters) {
        return unsubscribeWithFlags(REQUIRED_FLAGS_0010, packetId, filters);
    }

    /** UNSUBSCRIBE with the given fixed-header flags (0010 is the only valid value). */
    public static byte[] unsubscribeWithFlags(int flags, int packetId, String... filters) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeShort(body, packetId);
        for (String filter : filters) {
            writeString(body, filter);
        }
        return packet(PacketType.UNSUBSCRIBE, flags, body.toByteArray());
    }

    public static byte[] puback(int packetId) {
        return packetWithId(PacketType.PUBACK, 0, packetId);
    }

    public static byte[] pubrec(int packetId) {
        return packetWithId(PacketType.PUBREC, 0, packetId);
    }

    public static byte[] pubrel(int packetId) {
        return packetWithId(PacketType.PUBREL, REQUIRED_FLAGS_0010, packetId);
    }

    public static byte[] pubcomp(int packetId) {
        return packetWithId(PacketType.PUBCOMP, 0, packetId);
    }

    public static byte[] pingreq() {
        return packet(PacketType.PINGREQ, 0, new byte[0]);
    }

    public static byte[] disconnect() {
        return packet(PacketType.DISCONNECT, 0, new byte[0]);
    }

    /** Any packet: fixed header (type, flags, Remaining Length) followed by the body as given. */
    public static byte[] packet(PacketType type, int flags, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 5);
        out.write((type.code() << 4) | (flags & 0x0F));
        out.writeBytes(remainingLength(body.length));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** The variable-length encoding of a Remaining Length (1 to 4 bytes for valid values). */
    public static byte[] remainingLength(int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(MAX_REMAINING_LENGTH_BYTES);
        int value = length;
        do {
            int digit = value & SEVEN_BITS;
            value >>>= 7;
            out.write(value > 0 ? digit | CONTINUATION_BIT : digit);
        } while (value > 0);
        return out.toByteArray();
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** A packet whose whole body is a packet identifier (PUBACK, PUBREC, PUBREL, PUBCOMP), flags as given. */
    public static byte[] packetWithId(PacketType type, int flags, int packetId) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(2);
        writeShort(body, packetId);
        return packet(type, flags, body.toByteArray());
    }

    static void writeShort(ByteArrayOutputStream out, int value) {
        out.write((value >> 8) & 0xFF);
        out.write(value & 0xFF);
    }

    static void writeString(ByteArrayOutputStream out, String value) {
        writeBinary(out, value.getBytes(StandardCharsets.UTF_8));
    }

    static void writeBinary(ByteArrayOutputStream out, byte[] value) {
        writeShort(out, value.length);
        out.writeBytes(value);
    }

    /**
     * CONNECT. The connect flags are computed from the fields that are set (a will topic sets the will
     * flag, a username the username flag, a password the password flag); {@link #orFlags} ORs extra bits
     * in to break the rules about flag combinations.
     */
    public static final class Connect {
        private static final int CLEAN_SESSION = 0x02;
        private static final int WILL_FLAG = 0x04;
        private static final int WILL_QOS_SHIFT = 3;
        private static final int WILL_RETAIN = 0x20;
        private static final int PASSWORD = 0x40;
        private static final int USERNAME = 0x80;

        private String protocolName = "MQTT";
        private int protocolLevel = 4;
        private boolean cleanSession = true;
        private int keepAlive = 60;
        private final String clientId;
        private String willTopic;
        private byte[] willMessage;
        private int willQos;
        private boolean willRetain;
        private String username;
        private byte[] password;
        private int extraFlags;

        private Connect(String clientId) {
            this.clientId = clientId;
        }

        /** The protocol name and level: ("MQTT", 4) is 3.1.1 (the default), ("MQIsdp", 3) is 3.1. */
        public Connect protocol(String name, int level) {
            protocolName = name;
            protocolLevel = level;
            return this;
        }

        public Connect cleanSession(boolean value) {
            cleanSession = value;
            return this;
        }

        public Connect keepAlive(int seconds) {
            keepAlive = seconds;
            return this;
        }

        public Connect will(String topic, String message, int qos, boolean retain) {
            willTopic = topic;
            willMessage = message.getBytes(StandardCharsets.UTF_8);
            willQos = qos;
            willRetain = retain;
            return this;
        }

        public Connect username(String value) {
            username = value;
            return this;
        }

        public Connect password(String value) {
            password = value.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /** Bits ORed into the computed connect flags (reserved bit, will bits without a will, ...). */
        public Connect orFlags(int bits) {
            extraFlags |= bits;
            return this;
        }

        public byte[] build() {
            int flags = extraFlags;
            if (cleanSession) {
                flags |= CLEAN_SESSION;
            }
            if (willTopic != null) {
                flags |= WILL_FLAG | (willQos << WILL_QOS_SHIFT) | (willRetain ? WILL_RETAIN : 0);
            }
            if (username != null) {
                flags |= USERNAME;
            }
            if (password != null) {
                flags |= PASSWORD;
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            writeString(body, protocolName);
            body.write(protocolLevel);
            body.write(flags);
            writeShort(body, keepAlive);
            writeString(body, clientId);
            if (willTopic != null) {
                writeString(body, willTopic);
                writeBinary(body, willMessage);
            }
            if (username != null) {
                writeString(body, username);
            }
            if (password != null) {
                writeBinary(body, password);
            }
            return packet(PacketType.CONNECT, 0, body.toByteArray());
        }
    }

    /** The connect flag bits, for tests that OR them in on their own. */
    public static final class ConnectFlags {
        public static final int RESERVED = 0x01;
        public static final int WILL_FLAG = 0x04;
        public static final int WILL_QOS_1 = 0x08;
        public static final int WILL_QOS_2 = 0x10;
        public static final int WILL_RETAIN = 0x20;

        private ConnectFlags() {
        }
    }

    /**
     * PUBLISH. {@link #qos} takes the raw two QoS bits, so 3 writes the forbidden 11; a packet identifier
     * is written whenever those bits are not 00, whatever its value (0 included).
     */
    public static final class Publish {
        private final String topic;
        private byte[] payload = new byte[0];
        private int qos;
        private boolean retain;
        private boolean dup;
        private int packetId;

        private Publish(String topic) {
            this.topic = topic;
        }

        public Publish payload(String value) {
            payload = value.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        public Publish payload(byte[] value) {
            payload = value.clone();
            return this;
        }

        public Publish qos(int bits) {
            qos = bits;
            return this;
        }

        public Publish retain(boolean value) {
            retain = value;
            return this;
        }

        public Publish dup(boolean value) {
            dup = value;
            return this;
        }

        public Publish packetId(int value) {
            packetId = value;
            return this;
        }

        public byte[] build() {
            int flags = (dup ? 0b1000 : 0) | (qos << 1) | (retain ? 1 : 0);
            ByteArrayOutputStream body = new ByteArrayOutputStream(payload.length + topic.length() + 4);
            writeString(body, topic);
            if (qos != 0) {
                writeShort(body, packetId);
            }
            body.writeBytes(payload);
            return packet(PacketType.PUBLISH, flags, body.toByteArray());
        }
    }

    /** SUBSCRIBE with any number of filters (none included) and settable fixed-header flags. */
    public static final class Subscribe {
        private final int packetId;
        private final List<String> filters = new ArrayList<>();
        private final List<Integer> qos = new ArrayList<>();
        private int flags = REQUIRED_FLAGS_0010;

        private Subscribe(int packetId) {
            this.packetId = packetId;
        }

        public Subscribe filter(String filter, int requestedQos) {
            filters.add(filter);
            qos.add(requestedQos);
            return this;
        }

        public Subscribe flags(int value) {
            flags = value;
            return this;
        }

        public byte[] build() {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            writeShort(body, packetId);
            for (int i = 0; i < filters.size(); i++) {
                writeString(body, filters.get(i));
                body.write(qos.get(i));
            }
            return packet(PacketType.SUBSCRIBE, flags, body.toByteArray());
        }
    }
}
