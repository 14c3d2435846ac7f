package io.estafeta.cli.client;

import io.estafeta.client.MessageProperties;
import io.estafeta.client.ReceivedMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.StringPair;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * How {@code estafeta sub} prints a message: the payload; {@code -v} topic and payload; or the
 * {@code -F} format of mosquitto_sub ({@code %} fields, {@code @} date/time fields, {@code \} escapes).
 * Payloads are written as raw bytes.
 */
final class MessagePrinter {

    private static final byte[] NEW_LINE = {'\n'};
    private static final DateTimeFormatter ISO_8601 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ");
    private static final DateTimeFormatter JSON_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final int NANOS_DIGITS = 9;
    private static final String FIELD_CODES = "%ACDEFIijJlmPpqRrStUxX";
    private static final String ESCAPE_CODES = "\\0aenrtv";

    private final String format;
    private final boolean verbose;
    private final boolean endOfLine;
    private final boolean pretty;
    private final PrintStream out;
    private final PrintWriter err;

    /**
     * @param format    the {@code -F} format, or null
     * @param endOfLine false with {@code -N}
     * @param err       where {@code %J} reports a payload that is not JSON
     */
    MessagePrinter(String format, boolean verbose, boolean endOfLine, boolean pretty, PrintStream out,
                   PrintWriter err) {
        this.format = format;
        this.verbose = verbose;
        this.endOfLine = endOfLine;
        this.pretty = pretty;
        this.out = out;
        this.err = err;
    }

    /**
     * Checks a {@code -F} format before anything is printed, with mosquitto_sub's messages.
     *
     * @throws UsageException for an unknown or incomplete field or escape
     */
    static void check(String format) {
        int length = format.length();
        for (int i = 0; i < length; i++) {
            char c = format.charAt(i);
            if (c == '%') {
                int j = i + 1;
                if (j < length && (format.charAt(j) == '-' || format.charAt(j) == '0')) {
                    j++;
                }
                while (j < length && Character.isDigit(format.charAt(j))) {
                    j++;
                }
                if (j < length && format.charAt(j) == '.') {
                    j++;
                    while (j < length && Character.isDigit(format.charAt(j))) {
                        j++;
                    }
                }
                if (j >= length) {
                    throw new UsageException("Error: Incomplete format specifier.");
                }
                if (FIELD_CODES.indexOf(format.charAt(j)) < 0) {
                    throw new UsageException("Error: Invalid format specifier '" + format.charAt(j) + "'.");
                }
                i = j;
            } else if (c == '@') {
                if (i == length - 1) {
                    throw new UsageException("Error: Incomplete format specifier.");
                }
                i++;
            } else if (c == '\\') {
                if (i == length - 1) {
                    throw new UsageException("Error: Incomplete escape specifier.");
                }
                if (ESCAPE_CODES.indexOf(format.charAt(i + 1)) < 0) {
                    throw new UsageException("Error: Invalid escape specifier '" + format.charAt(i + 1) + "'.");
                }
                i++;
            }
        }
    }

    void print(ReceivedMessage message) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        byte[] payload = message.payload();
        if (format != null) {
            formatted(line, message, ZonedDateTime.now());
            if (endOfLine) {
                line.writeBytes(NEW_LINE);
            }
        } else if (verbose) {
            if (payload.length > 0) {
                line.writeBytes(utf8(message.topic() + " "));
                line.writeBytes(payload);
                if (endOfLine) {
                    line.writeBytes(NEW_LINE);
                }
            } else if (endOfLine) {
                line.writeBytes(utf8(message.topic() + " (null)\n"));
            }
        } else if (payload.length > 0) {
            // An empty payload prints nothing at all, not even a line break (as mosquitto_sub).
            line.writeBytes(payload);
            if (endOfLine) {
                line.writeBytes(NEW_LINE);
            }
        }
        if (line.size() > 0) {
            out.write(line.toByteArray(), 0, line.size());
            out.flush();
        }
    }

    // ---- -F ----

    private void formatted(ByteArrayOutputStream line, ReceivedMessage message, ZonedDateTime now) {
        int length = format.length();
        for (int i = 0; i < length; i++) {
            char c = format.charAt(i);
            if (c == '%' && i < length - 1) {
                Field field = new Field();
                i++;
                if (format.charAt(i) == '-') {
                    field.leftAligned = true;
                    i++;
                }
                if (format.charAt(i) == '0') {
                    field.zeroPadded = true;
                    i++;
                }
                while (Character.isDigit(format.charAt(i))) {
                    field.width = field.width * 10 + (format.charAt(i) - '0');
                    i++;
                }
                if (format.charAt(i) == '.') {
                    i++;
                    field.precision = 0;
                    while (Character.isDigit(format.charAt(i))) {
                        field.precision = field.precision * 10 + (format.charAt(i) - '0');
                        i++;
                    }
                }
                field(line, format.charAt(i), field, message, now);
            } else if (c == '@' && i < length - 1) {
                i++;
                line.writeBytes(utf8(dateField(format.charAt(i), now)));
            } else if (c == '\\' && i < length - 1) {
                i++;
                line.write(escape(format.charAt(i)));
            } else {
                line.writeBytes(utf8(String.valueOf(c)));
            }
        }
    }

    /** Alignment, padding, width and precision of one {@code %} field (printf style). */
    private static final class Field {
        boolean leftAligned;
        boolean zeroPadded;
        int width;
        int precision = -1;

        String text(String value) {
            String cut = precision >= 0 && value.length() > precision ? value.substring(0, precision) : value;
            return pad(cut, ' ');
        }

        String number(long value) {
            return pad(Long.toString(value), zeroPadded && !leftAligned ? '0' : ' ');
        }

        String blank() {
            return String.valueOf(zeroPadded ? '0' : ' ').repeat(width);
        }

        private String pad(String value, char padding) {
            if (value.length() >= width) {
                return value;
            }
            String fill = String.valueOf(padding).repeat(width - value.length());
            return leftAligned ? value + fill.replace('0', ' ') : fill + value;
        }
    }

    private void field(ByteArrayOutputStream line, char code, Field field, ReceivedMessage message,
                       ZonedDateTime now) {
        MqttProperties properties = message.properties();
        switch (code) {
            case '%' -> line.write('%');
            case 'A' -> line.writeBytes(utf8(integer(properties, MqttProperties.TOPIC_ALIAS, field)));
            case 'C' -> line.writeBytes(utf8(MessageProperties.string(properties, MqttProperties.CONTENT_TYPE)
                    .map(field::text).orElseGet(() -> " ".repeat(field.width))));
            case 'D' -> MessageProperties.binary(properties, MqttProperties.CORRELATION_DATA).ifPresent(line::writeBytes);
            case 'E' -> line.writeBytes(utf8(integer(properties, MqttProperties.PUBLICATION_EXPIRY_INTERVAL, field)));
            case 'F' -> line.writeBytes(utf8(integer(properties, MqttProperties.PAYLOAD_FORMAT_INDICATOR, field)));
            case 'I' -> line.writeBytes(utf8(field.text(ISO_8601.format(now))));
            case 'j' -> line.writeBytes(utf8(Json.write(json(message, now, false), pretty)));
            case 'J' -> {
                Map<String, Object> document = json(message, now, true);
                if (document != null) {
                    line.writeBytes(utf8(Json.write(document, pretty)));
                }
            }
            case 'l' -> line.writeBytes(utf8(field.number(message.payload().length)));
            // %i is not one of mosquitto_sub's codes; Estafeta reads it as the packet identifier, like %m.
            case 'm', 'i' -> line.writeBytes(utf8(field.number(message.packetId())));
            case 'P' -> line.writeBytes(utf8(userProperties(properties)));
            case 'p' -> {
                byte[] payload = message.payload();
                int padding = Math.max(0, field.width - payload.length);
                if (!field.leftAligned) {
                    line.writeBytes(utf8(String.valueOf(field.zeroPadded ? '0' : ' ').repeat(padding)));
                }
                line.writeBytes(payload);
                if (field.leftAligned) {
                    line.writeBytes(utf8(" ".repeat(padding)));
                }
            }
            case 'q' -> line.writeBytes(utf8(String.valueOf(message.qos().value())));
            case 'R' -> MessageProperties.string(properties, MqttProperties.RESPONSE_TOPIC)
                    .ifPresent(topic -> line.writeBytes(utf8(field.text(topic))));
            case 'r' -> line.write(message.retain() ? '1' : '0');
            case 'S' -> line.writeBytes(utf8(integer(properties, MqttProperties.SUBSCRIPTION_IDENTIFIER, field)));
            case 't' -> line.writeBytes(utf8(field.text(message.topic())));
            case 'U' -> {
                Instant instant = now.toInstant();
                line.writeBytes(utf8(instant.getEpochSecond() + "."
                        + String.format("%0" + NANOS_DIGITS + "d", instant.getNano())));
            }
            case 'x' -> line.writeBytes(utf8(field.text(HexFormat.of().formatHex(message.payload()))));
            case 'X' -> line.writeBytes(utf8(field.text(HexFormat.of().withUpperCase().formatHex(message.payload()))));
            default -> {
                // checked before the first message: cannot happen
            }
        }
    }

    private static String integer(MqttProperties properties, int id, Field field) {
        OptionalInt value = MessageProperties.integer(properties, id);
        return value.isPresent() ? field.number(Integer.toUnsignedLong(value.getAsInt())) : field.blank();
    }

    private static String userProperties(MqttProperties properties) {
        StringBuilder text = new StringBuilder();
        for (StringPair pair : MessageProperties.userProperties(properties)) {
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append(pair.key).append(':').append(pair.value);
        }
        return text.toString();
    }

    /**
     * The {@code %j} / {@code %J} document; null (after reporting on stderr) when {@code %J} finds a
     * payload that is not JSON.
     */
    private Map<String, Object> json(ReceivedMessage message, ZonedDateTime now, boolean payloadAsJson) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("tst", JSON_TIME.format(now.toInstant()));
        document.put("topic", message.topic());
        document.put("qos", message.qos().value());
        document.put("retain", message.retain() ? 1 : 0);
        document.put("payloadlen", message.payload().length);
        if (message.qos().value() > 0) {
            document.put("mid", message.packetId());
        }
        Map<String, Object> properties = jsonProperties(message.properties());
        if (!properties.isEmpty()) {
            document.put("properties", properties);
        }
        String text = new String(message.payload(), StandardCharsets.UTF_8);
        if (message.payload().length == 0) {
            document.put("payload", null);
        } else if (!payloadAsJson) {
            document.put("payload", text);
        } else {
            Optional<Object> parsed = Json.parse(text);
            if (parsed.isEmpty()) {
                err.println("Error: Message payload is not valid JSON on topic " + message.topic() + ".");
                err.flush();
                return null;
            }
            document.put("payload", parsed.get());
        }
        return document;
    }

    private static Map<String, Object> jsonProperties(MqttProperties properties) {
        Map<String, Object> json = new LinkedHashMap<>();
        List<StringPair> userProperties = MessageProperties.userProperties(properties);
        if (!userProperties.isEmpty()) {
            Map<String, Object> pairs = new LinkedHashMap<>();
            userProperties.forEach(pair -> pairs.put(pair.key, pair.value));
            json.put("user-properties", pairs);
        }
        MessageProperties.string(properties, MqttProperties.CONTENT_TYPE)
                .ifPresent(value -> json.put("content-type", value));
        MessageProperties.integer(properties, MqttProperties.PAYLOAD_FORMAT_INDICATOR)
                .ifPresent(value -> json.put("payload-format-indicator", value));
        MessageProperties.string(properties, MqttProperties.RESPONSE_TOPIC)
                .ifPresent(value -> json.put("response-topic", value));
        MessageProperties.binary(properties, MqttProperties.CORRELATION_DATA)
                .ifPresent(value -> json.put("correlation-data", new String(value, StandardCharsets.UTF_8)));
        MessageProperties.integer(properties, MqttProperties.PUBLICATION_EXPIRY_INTERVAL)
                .ifPresent(value -> json.put("message-expiry-interval", Integer.toUnsignedLong(value)));
        MessageProperties.integer(properties, MqttProperties.SUBSCRIPTION_IDENTIFIER)
                .ifPresent(value -> json.put("subscription-identifier", value));
        MessageProperties.integer(properties, MqttProperties.TOPIC_ALIAS)
                .ifPresent(value -> json.put("topic-alias", value));
        return json;
    }

    /** {@code @X}: the strftime conversion X of the local time; {@code @N} nanoseconds, {@code @@} an @. */
    private static String dateField(char code, ZonedDateTime now) {
        return switch (code) {
            case '@' -> "@";
            case 'N' -> String.format("%0" + NANOS_DIGITS + "d", now.getNano());
            case 'Y' -> pattern("yyyy", now);
            case 'y' -> pattern("yy", now);
            case 'm' -> pattern("MM", now);
            case 'd' -> pattern("dd", now);
            case 'e' -> String.format("%2d", now.getDayOfMonth());
            case 'H' -> pattern("HH", now);
            case 'I' -> pattern("hh", now);
            case 'M' -> pattern("mm", now);
            case 'S' -> pattern("ss", now);
            case 'p' -> pattern("a", now);
            case 'j' -> pattern("DDD", now);
            case 'a' -> pattern("EEE", now);
            case 'A' -> pattern("EEEE", now);
            case 'b', 'h' -> pattern("MMM", now);
            case 'B' -> pattern("MMMM", now);
            case 'z' -> pattern("Z", now);
            case 'Z' -> now.getZone().getDisplayName(java.time.format.TextStyle.SHORT, Locale.ROOT);
            case 's' -> Long.toString(now.toEpochSecond());
            case 'F' -> pattern("yyyy-MM-dd", now);
            case 'T' -> pattern("HH:mm:ss", now);
            case 'D' -> pattern("MM/dd/yy", now);
            case 'R' -> pattern("HH:mm", now);
            case 'n' -> "\n";
            case 't' -> "\t";
            case '%' -> "%";
            default -> "";
        };
    }

    private static String pattern(String pattern, ZonedDateTime now) {
        return DateTimeFormatter.ofPattern(pattern, Locale.ROOT).format(now);
    }

    private static int escape(char code) {
        return switch (code) {
            case '\\' -> '\\';
            case '0' -> 0;
            case 'a' -> 7;
            case 'e' -> 0x1B;
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'v' -> 0x0B;
            default -> code;
        };
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
