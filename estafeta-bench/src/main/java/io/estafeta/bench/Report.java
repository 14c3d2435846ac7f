package io.estafeta.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a run found, as named figures in sections: printed as a table for people and as one JSON object
 * ({@code --json}) for scripts such as bench/compare.sh.
 */
final class Report {

    private final Map<String, Map<String, Object>> sections = new LinkedHashMap<>();

    /** Adds (or replaces) a figure: a String, a whole number, a decimal, or a Boolean. */
    Report put(String section, String name, Object value) {
        sections.computeIfAbsent(section, key -> new LinkedHashMap<>()).put(name, value);
        return this;
    }

    Object get(String section, String name) {
        Map<String, Object> figures = sections.get(section);
        return figures == null ? null : figures.get(name);
    }

    String toTable() {
        int width = sections.values().stream().flatMap(figures -> figures.keySet().stream())
                .mapToInt(String::length).max().orElse(0);
        StringBuilder out = new StringBuilder();
        sections.forEach((section, figures) -> {
            out.append(section).append('\n');
            figures.forEach((name, value) -> out.append("  ")
                    .append(String.format(Locale.ROOT, "%-" + width + "s", name))
                    .append("  ").append(tableValue(value)).append('\n'));
        });
        return out.toString();
    }

    String toJson() {
        StringBuilder out = new StringBuilder("{");
        String sectionSeparator = "";
        for (Map.Entry<String, Map<String, Object>> section : sections.entrySet()) {
            out.append(sectionSeparator).append(quoted(section.getKey())).append(":{");
            String separator = "";
            for (Map.Entry<String, Object> figure : section.getValue().entrySet()) {
                out.append(separator).append(quoted(figure.getKey())).append(':').append(jsonValue(figure.getValue()));
                separator = ",";
            }
            out.append('}');
            sectionSeparator = ",";
        }
        return out.append('}').toString();
    }

    private static String tableValue(Object value) {
        if (value instanceof Double number) {
            return String.format(Locale.ROOT, "%,.1f", number);
        }
        if (value instanceof Long || value instanceof Integer) {
            return String.format(Locale.ROOT, "%,d", value);
        }
        return String.valueOf(value);
    }

    private static String jsonValue(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Double number) {
            return number.isNaN() || number.isInfinite() ? "null" : String.format(Locale.ROOT, "%.3f", number);
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return quoted(value.toString());
    }

    private static String quoted(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < ' ') {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
