package io.estafeta.broker.testsupport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The MQTT 5.0 properties of a packet the server sent, decoded in the order they were on the wire (order
 * matters for User Properties, [MQTT-3.3.2-18]). Numbers are read as unsigned values.
 */
public final class PacketProperties {

    /** One property as received: numbers as {@link Long}, strings, byte arrays, or a {@link UserProperty}. */
    public record Property(PropertyId id, Object value) {
        @Override
        public String toString() {
            return id + "=" + (value instanceof byte[] bytes ? HexFormat.of().formatHex(bytes) : value);
        }
    }

    /** A User Property: a UTF-8 string pair. */
    public record UserProperty(String name, String value) {
    }

    private final List<Property> properties;

    private PacketProperties(List<Property> properties) {
        this.properties = List.copyOf(properties);
    }

    /**
     * Reads a Property Length followed by that many bytes of properties, starting at {@code offset}.
     *
     * @return the properties and the offset of the first byte after them
     */
    static Decoded decode(byte[] body, int offset) {
        VariableByteInteger length = VariableByteInteger.read(body, offset);
        int position = offset + length.encodedLength();
        int end = position + (int) length.value();
        if (end > body.length) {
            throw new AssertionError("Property Length " + length.value() + " runs past the packet's end");
        }
        List<Property> properties = new ArrayList<>();
        while (position < end) {
            PropertyId id = PropertyId.of(body[position++] & 0xFF);
            switch (id.type()) {
                case BYTE -> {
                    properties.add(new Property(id, (long) (body[position] & 0xFF)));
                    position += 1;
                }
                case TWO_BYTE_INTEGER -> {
                    properties.add(new Property(id, (long) readShort(body, position)));
                    position += 2;
                }
                case FOUR_BYTE_INTEGER -> {
                    long value = ((long) readShort(body, position) << 16) | readShort(body, position + 2);
                    properties.add(new Property(id, value));
                    position += 4;
                }
                case VARIABLE_BYTE_INTEGER -> {
                    VariableByteInteger value = VariableByteInteger.read(body, position);
                    properties.add(new Property(id, value.value()));
                    position += value.encodedLength();
                }
                case UTF8_STRING -> {
                    String value = readString(body, position);
                    properties.add(new Property(id, value));
                    position += 2 + readShort(body, position);
                }
                case BINARY_DATA -> {
                    int size = readShort(body, position);
                    byte[] value = new byte[size];
                    System.arraycopy(body, position + 2, value, 0, size);
                    properties.add(new Property(id, value));
                    position += 2 + size;
                }
                case UTF8_STRING_PAIR -> {
                    String name = readString(body, position);
                    position += 2 + readShort(body, position);
                    String value = readString(body, position);
                    position += 2 + readShort(body, position);
                    properties.add(new Property(id, new UserProperty(name, value)));
                }
            }
        }
        if (position != end) {
            throw new AssertionError("a property runs past the Property Length");
        }
        return new Decoded(new PacketProperties(properties), end);
    }

    /** Properties and where the bytes after them start. */
    record Decoded(PacketProperties properties, int end) {
    }

    public static PacketProperties none() {
        return new PacketProperties(List.of());
    }

    public List<Property> all() {
        return properties;
    }

    public boolean has(PropertyId id) {
        return properties.stream().anyMatch(property -> property.id() == id);
    }

    /** The value of a numeric property, if present (the first one if it appears more than once). */
    public OptionalLong number(PropertyId id) {
        requireType(id, id.type().isNumeric());
        return properties.stream().filter(property -> property.id() == id)
                .mapToLong(property -> (Long) property.value()).findFirst();
    }

    /** Every value of a numeric property that may appear more than once (Subscription Identifier). */
    public List<Long> numbers(PropertyId id) {
        requireType(id, id.type().isNumeric());
        return properties.stream().filter(property -> property.id() == id)
                .map(property -> (Long) property.value()).toList();
    }

    public Optional<String> string(PropertyId id) {
        requireType(id, id.type() == PropertyId.Type.UTF8_STRING);
        return properties.stream().filter(property -> property.id() == id)
                .map(property -> (String) property.value()).findFirst();
    }

    public Optional<byte[]> binary(PropertyId id) {
        requireType(id, id.type() == PropertyId.Type.BINARY_DATA);
        return properties.stream().filter(property -> property.id() == id)
                .map(property -> (byte[]) property.value()).findFirst();
    }

    /** The User Properties in the order they were received. */
    public List<UserProperty> userProperties() {
        return properties.stream().filter(property -> property.id() == PropertyId.USER_PROPERTY)
                .map(property -> (UserProperty) property.value()).toList();
    }

    @Override
    public String toString() {
        return properties.toString();
    }

    private static void requireType(PropertyId id, boolean matches) {
        if (!matches) {
            throw new IllegalArgumentException(id + " is of type " + id.type());
        }
    }

    private static int readShort(byte[] body, int offset) {
        return ((body[offset] & 0xFF) << 8) | (body[offset + 1] & 0xFF);
    }

    private static String readString(byte[] body, int offset) {
        return new String(body, offset + 2, readShort(body, offset), StandardCharsets.UTF_8);
    }

    /** A Variable Byte Integer (section 1.5.5) as read: its value and how many bytes it took. */
    record VariableByteInteger(long value, int encodedLength) {
        private static final int MAX_BYTES = 4;
        private static final int CONTINUATION_BIT = 0x80;
        private static final int SEVEN_BITS = 0x7F;

        static VariableByteInteger read(byte[] body, int offset) {
            long value = 0;
            int multiplier = 1;
            for (int i = 0; i < MAX_BYTES; i++) {
                if (offset + i >= body.length) {
                    throw new AssertionError("a Variable Byte Integer runs past the packet's end");
                }
                int digit = body[offset + i] & 0xFF;
                value += (long) (digit & SEVEN_BITS) * multiplier;
                if ((digit & CONTINUATION_BIT) == 0) {
                    return new VariableByteInteger(value, i + 1);
                }
                multiplier *= 128;
            }
            throw new AssertionError("a Variable Byte Integer of more than 4 bytes");
        }
    }
}
