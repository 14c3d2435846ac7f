package io.estafeta.cli.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Just enough JSON for {@code sub -F %j/%J}: build a document from values, parse a payload (to check it
 * and embed it, as {@code %J} does), and write either compactly or {@code --pretty} (tabs, as cJSON).
 * Values are {@link Map} (ordered), {@link List}, {@link String}, {@link Boolean}, {@code null}, and
 * {@link Number} or {@link RawNumber} (a number kept as written).
 */
public final class Json {

    /** A number exactly as it appeared in parsed text. */
    record RawNumber(String text) {
    }

    private final String text;
    private int position;

    private Json(String text) {
        this.text = text;
    }

    /** Parses a complete JSON text, or returns empty if it is not one. */
    public static Optional<Object> parse(String text) {
        Json parser = new Json(text);
        try {
            parser.skipWhitespace();
            Object value = parser.value();
            parser.skipWhitespace();
            return parser.position == text.length() ? Optional.of(value) : Optional.empty();
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    /** Stands for a parsed JSON {@code null} inside an Optional. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "null";
        }
    };

    static String write(Object value, boolean pretty) {
        StringBuilder out = new StringBuilder();
        write(out, value, pretty, 0);
        return out.toString();
    }

    private static void write(StringBuilder out, Object value, boolean pretty, int depth) {
        if (value == null || value == NULL) {
            out.append("null");
        } else if (value instanceof String string) {
            quote(out, string);
        } else if (value instanceof RawNumber number) {
            out.append(number.text());
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            writeObject(out, map, pretty, depth);
        } else if (value instanceof List<?> list) {
            writeArray(out, list, pretty, depth);
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass());
        }
    }

    private static void writeObject(StringBuilder out, Map<?, ?> map, boolean pretty, int depth) {
        if (map.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            if (pretty) {
                out.append('\n').append("\t".repeat(depth + 1));
            }
            quote(out, String.valueOf(entry.getKey()));
            out.append(':');
            if (pretty) {
                out.append('\t');
            }
            write(out, entry.getValue(), pretty, depth + 1);
        }
        if (pretty) {
            out.append('\n').append("\t".repeat(depth));
        }
        out.append('}');
    }

    private static void writeArray(StringBuilder out, List<?> list, boolean pretty, int depth) {
        out.append('[');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                out.append(pretty ? ", " : ",");
            }
            write(out, list.get(i), pretty, depth + 1);
        }
        out.append(']');
    }

    /** A JSON string: quotes, backslashes and control characters escaped; everything else as it is. */
    static void quote(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < ' ') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    // ---- parsing (RFC 8259) ----

    private Object value() {
        char c = text.charAt(position);
        return switch (c) {
            case '{' -> object();
            case '[' -> array();
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", NULL);
            default -> number();
        };
    }

    private Map<String, Object> object() {
        Map<String, Object> map = new LinkedHashMap<>();
        position++;
        skipWhitespace();
        if (peek() == '}') {
            position++;
            return map;
        }
        while (true) {
            skipWhitespace();
            if (peek() != '"') {
                throw new IllegalArgumentException("expected a key");
            }
            String key = string();
            skipWhitespace();
            expect(':');
            skipWhitespace();
            map.put(key, value());
            skipWhitespace();
            if (peek() == ',') {
                position++;
            } else {
                expect('}');
                return map;
            }
        }
    }

    private List<Object> array() {
        List<Object> list = new ArrayList<>();
        position++;
        skipWhitespace();
        if (peek() == ']') {
            position++;
            return list;
        }
        while (true) {
            skipWhitespace();
            list.add(value());
            skipWhitespace();
            if (peek() == ',') {
                position++;
            } else {
                expect(']');
                return list;
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder value = new StringBuilder();
        while (true) {
            char c = text.charAt(position++);
            if (c == '"') {
                return value.toString();
            }
            if (c < ' ') {
                throw new IllegalArgumentException("control character in string");
            }
            if (c != '\\') {
                value.append(c);
                continue;
            }
            char escaped = text.charAt(position++);
            switch (escaped) {
                case '"', '\\', '/' -> value.append(escaped);
                case 'b' -> value.append('\b');
                case 'f' -> value.append('\f');
                case 'n' -> value.append('\n');
                case 'r' -> value.append('\r');
                case 't' -> value.append('\t');
                case 'u' -> {
                    value.append((char) Integer.parseInt(text.substring(position, position + 4), 16));
                    position += 4;
                }
                default -> throw new IllegalArgumentException("bad escape");
            }
        }
    }

    private RawNumber number() {
        int start = position;
        if (peek() == '-') {
            position++;
        }
        if (peek() == '0') {
            position++;
        } else {
            digits();
        }
        if (position < text.length() && peek() == '.') {
            position++;
            digits();
        }
        if (position < text.length() && (peek() == 'e' || peek() == 'E')) {
            position++;
            if (peek() == '+' || peek() == '-') {
                position++;
            }
            digits();
        }
        return new RawNumber(text.substring(start, position));
    }

    private void digits() {
        int start = position;
        while (position < text.length() && Character.isDigit(peek()) && peek() < 0x80) {
            position++;
        }
        if (position == start) {
            throw new IllegalArgumentException("expected a digit");
        }
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, position)) {
            throw new IllegalArgumentException("expected " + word);
        }
        position += word.length();
        return value;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw new IllegalArgumentException("expected " + c);
        }
        position++;
    }

    private char peek() {
        return text.charAt(position);
    }

    private void skipWhitespace() {
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            position++;
        }
    }
}
