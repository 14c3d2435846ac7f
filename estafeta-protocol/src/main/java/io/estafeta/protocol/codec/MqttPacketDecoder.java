package io.estafeta.protocol.codec;

import static io.estafeta.protocol.codec.MqttDecodingException.malformed;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageFactory;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import io.netty.util.AttributeMap;

import java.util.List;
import java.util.Objects;

/**
 * Decodes MQTT 3.1, 3.1.1 and 5.0 packets into the same Netty message objects as Netty's
 * {@link MqttDecoder}, so that code written for that decoder keeps working, but checks them as strictly
 * as the specifications require.
 *
 * <p>Framing: the fixed header is checked as soon as its first byte arrives; the packet size is checked
 * as soon as the Remaining Length is known, so a packet above {@code maxPacketSize} is refused before
 * its body is read or buffered; then the decoder waits, without parsing, until the whole packet is in
 * the buffer and decodes it in one pass over a bounded range. Nothing is parsed twice, however slowly
 * the bytes arrive (Netty's decoder is a {@code ReplayingDecoder} and re-parses a packet on every read).
 *
 * <p>Failures: a packet that breaks a rule becomes one message whose {@code decoderResult()} is a
 * failure, with the fixed header (and the variable header, if the failure is in the payload), as from
 * Netty's decoder; the cause is an {@link MqttDecodingException} with the reason code to report, except
 * for Netty's own {@code MqttUnacceptableProtocolVersionException} and
 * {@code MqttIdentifierRejectedException} for CONNECT (see {@link MqttDecodingException}). Everything
 * after a failed packet is discarded: the connection is about to be closed.
 *
 * <p>Protocol version: the first CONNECT sets it on the channel under the attribute Netty's codec uses,
 * so {@link MqttEncoder} encodes in the client's version; every other packet is read in that version
 * (MQTT 3.1.1 until a CONNECT has been seen, as in Netty). Unlike Netty, a second CONNECT does not
 * change it.
 *
 * <p>Left to the receiver of the messages: rules that need connection state or configuration (first
 * packet CONNECT, Topic Alias above the maximum, QoS above Maximum QoS, ...) and the meaning of CONNECT's
 * flags taken together (will QoS and retain without the will flag, a password without a user name in
 * 3.1.1, a will QoS of 3), which a broker answers with CONNACK return codes of its own choosing.
 */
public final class MqttPacketDecoder extends ByteToMessageDecoder {

    /** The peer whose packets a decoder reads, which decides the packets and properties it accepts. */
    public enum Peer {
        /** Packets sent by a client: the decoder of a server. */
        CLIENT,
        /** Packets sent by a server: the decoder of a client. */
        SERVER
    }

    /**
     * Netty's codec keeps the connection's protocol version under this name (in its package-private
     * {@code MqttCodecUtil}); {@link AttributeKey#valueOf(String)} returns the same key for the same name.
     */
    static final AttributeKey<MqttVersion> MQTT_VERSION_KEY = AttributeKey.valueOf("NETTY_CODEC_MQTT_VERSION");

    /**
     * The protocol version a channel's CONNECT announced (set as soon as the decoder read it, even if the
     * rest of the CONNECT was refused), or null before any CONNECT.
     */
    public static MqttVersion protocolVersion(io.netty.channel.Channel channel) {
        return channel.attr(MQTT_VERSION_KEY).get();
    }

    /** Set when the CONNECT's Protocol Level carried the bridge mark (see {@link #announcedBridge}). */
    static final AttributeKey<Boolean> BRIDGE_KEY = AttributeKey.valueOf("ESTAFETA_BRIDGE_CONNECT");

    /**
     * Whether the channel's CONNECT had the top bit of its 3.1 or 3.1.1 Protocol Level set (0x83, 0x84):
     * Mosquitto's mark for a bridge ({@code try_private}), outside the specification. The level is read
     * without the mark.
     */
    public static boolean announcedBridge(io.netty.channel.Channel channel) {
        // hasAttr first: attr() would give every channel an attribute, and idle connections are many.
        return channel.hasAttr(BRIDGE_KEY) && Boolean.TRUE.equals(channel.attr(BRIDGE_KEY).get());
    }

    private static final int REMAINING_LENGTH_MAX_BYTES = 4;
    private static final int VALUE_BITS_PER_BYTE = 7;
    private static final int VALUE_MASK = 0x7F;
    private static final int CONTINUATION_BIT = 0x80;
    private static final int FIRST_BYTE = 1;

    private final int maxPacketSize;
    private final int mqtt31MaxClientIdLength;
    private final PacketInProgress packet;
    private boolean discarding;

    /**
     * A decoder for a server: it reads the packets clients send.
     *
     * @param maxPacketSize           the largest packet accepted, in bytes, fixed header included (the
     *                                "packet size" of MQTT 5.0 section 2.1.4)
     * @param mqtt31MaxClientIdLength the longest client identifier accepted from an MQTT 3.1 client (3.1
     *                                allows 1 to 23 characters; 3.1.1 and 5.0 leave it to the server)
     */
    public MqttPacketDecoder(int maxPacketSize, int mqtt31MaxClientIdLength) {
        this(Peer.CLIENT, maxPacketSize, mqtt31MaxClientIdLength);
    }

    /**
     * A decoder for the packets of {@code sender}: {@link Peer#CLIENT} in a server, {@link Peer#SERVER} in
     * a client.
     */
    public MqttPacketDecoder(Peer sender, int maxPacketSize, int mqtt31MaxClientIdLength) {
        this.packet = new PacketInProgress(Objects.requireNonNull(sender, "sender"));
        this.maxPacketSize = requirePositive(maxPacketSize, "maxPacketSize");
        this.mqtt31MaxClientIdLength = requirePositive(mqtt31MaxClientIdLength, "mqtt31MaxClientIdLength");
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (discarding) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int start = in.readerIndex();
        int available = in.readableBytes();
        if (available == 0) {
            return;
        }
        Attribute<MqttVersion> versionAttribute = ctx.channel().attr(MQTT_VERSION_KEY);
        MqttVersion version = versionAttribute.get();
        if (version == null) {
            version = MqttVersion.MQTT_3_1_1;
        }
        int firstByte = in.getUnsignedByte(start);
        MqttMessageType type;
        try {
            type = FixedHeaderRules.check(firstByte, version, packet.sender());
        } catch (DecoderException failure) {
            fail(in, out, failure);
            return;
        }

        int remainingLength = 0;
        int lengthBytes = 0;
        int digit;
        do {
            if (lengthBytes == REMAINING_LENGTH_MAX_BYTES) {
                fail(in, out, malformed("Remaining Length longer than four bytes ("
                        + (version == MqttVersion.MQTT_5 ? "section 1.5.5" : "section 2.2.3") + ")"));
                return;
            }
            if (available < FIRST_BYTE + lengthBytes + 1) {
                return;
            }
            digit = in.getUnsignedByte(start + FIRST_BYTE + lengthBytes);
            remainingLength |= (digit & VALUE_MASK) << (VALUE_BITS_PER_BYTE * lengthBytes);
            lengthBytes++;
        } while ((digit & CONTINUATION_BIT) != 0);
        boolean minimalLength = lengthBytes == 1 || digit != 0;

        MqttFixedHeader fixedHeader = FixedHeaderRules.fixedHeader(type, firstByte, remainingLength);
        packet.start(fixedHeader, version, minimalLength);
        long packetSize = (long) FIRST_BYTE + lengthBytes + remainingLength;
        if (packetSize > maxPacketSize) {
            // Refused before the body is read: a large packet is never buffered.
            fail(in, out, new MqttPacketTooLargeException(packetSize, maxPacketSize));
            return;
        }
        if (available < packetSize) {
            packet.reset();
            return;
        }
        int bodyStart = start + FIRST_BYTE + lengthBytes;
        int end = bodyStart + remainingLength;
        try {
            if (version == MqttVersion.MQTT_5 && !minimalLength && type != MqttMessageType.CONNECT) {
                throw malformed("the Remaining Length of " + type
                        + " is not encoded in the minimum number of bytes [MQTT-1.5.5-1]");
            }
            PacketReader reader = new PacketReader(in, bodyStart, end, version == MqttVersion.MQTT_5);
            MqttMessage message = parse(type, reader, versionAttribute, ctx.channel());
            in.readerIndex(end);
            packet.reset();
            out.add(message);
        } catch (DecoderException failure) {
            fail(in, out, failure);
        }
    }

    private MqttMessage parse(MqttMessageType type, PacketReader reader, Attribute<MqttVersion> versionAttribute,
                              AttributeMap channel) {
        return switch (type) {
            case CONNECT -> ConnectPacketParser.parse(reader, packet, versionAttribute, channel,
                    mqtt31MaxClientIdLength);
            case CONNACK -> ResponsePacketParser.parseConnack(reader, packet);
            case PUBLISH -> PublishPacketParser.parse(reader, packet);
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> ResponsePacketParser.parsePublishResponse(reader, packet);
            case SUBSCRIBE -> SubscriptionPacketParser.parseSubscribe(reader, packet);
            case SUBACK -> SubscriptionPacketParser.parseSuback(reader, packet);
            case UNSUBSCRIBE -> SubscriptionPacketParser.parseUnsubscribe(reader, packet);
            case UNSUBACK -> SubscriptionPacketParser.parseUnsuback(reader, packet);
            case PINGREQ, PINGRESP -> ResponsePacketParser.parsePing(reader, packet);
            case DISCONNECT, AUTH -> ResponsePacketParser.parseDisconnectOrAuth(reader, packet);
        };
    }

    private static int requirePositive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, not " + value);
        }
        return value;
    }

    /** Emits the failed packet and discards everything after it: the connection is going to be closed. */
    private void fail(ByteBuf in, List<Object> out, DecoderException cause) {
        discarding = true;
        in.skipBytes(in.readableBytes());
        out.add(MqttMessageFactory.newInvalidMessage(packet.fixedHeader(), packet.variableHeader(), cause));
        packet.reset();
    }
}
