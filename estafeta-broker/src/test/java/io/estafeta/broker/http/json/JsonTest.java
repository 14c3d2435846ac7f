package io.estafeta.broker.http.json;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The admin API's JSON writer and reader (RFC 8259). */
class JsonTest {

    @Test
    void writesObjectsArraysAndScalarsInOrder() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("topic", "a/b");
        value.put("qos", 1);
        value.put("retain", false);
        value.put("none", null);
        value.put("list", List.of(1L, 2.5, "x"));

        assertThat(JsonWriter.write(value))
                .isEqualTo("{\"topic\":\"a/b\",\"qos\":1,\"retain\":false,\"none\":null,\"list\":[1,2.5,\"x\"]}");
    }

    @Test
    void escapesQuotesBackslashesControlCharactersAndLoneSurrogates() {
        assertThat(JsonWriter.write("q\"b\\n\nt\t\u0001\u2028 \uD83D\uDE00 \uD800"))
                .isEqualTo("\"q\\\"b\\\\n\\nt\\t\\u0001\\u2028 \uD83D\uDE00 \\ud800\"");
    }

    @Test
    void notANumberIsWrittenAsNull() {
        assertThat(JsonWriter.write(Arrays.asList(Double.NaN, Double.POSITIVE_INFINITY))).isEqualTo("[null,null]");
    }

    @Test
    void readsNestedValues() throws JsonException {
        Object value = JsonReader.read(" {\"a\": [1, -2.5e1, true, null, \"\\u00e9\\n\"], \"b\": {}} ");

        assertThat(value).isEqualTo(Map.of("a", Arrays.asList(1L, -25.0, true, null, "é\n"), "b", Map.of()));
    }

    @Test
    void refusesWhatIsNotExactlyOneJsonValue() {
        for (String bad : List.of("", "{", "{\"a\":1,}", "[1,]", "{\"a\":1} x", "01", "1.", "'a'", "{a:1}",
                "\"tab\there\"", "\"\\x\"", "tru", "[".repeat(100) + "]".repeat(100))) {
            assertThatThrownBy(() -> JsonReader.read(bad)).as(bad).isInstanceOf(JsonException.class);
        }
    }

    @Property
    void anyStringSurvivesAWriteAndARead(@ForAll String text) throws JsonException {
        assertThat(JsonReader.read(JsonWriter.write(text))).isEqualTo(text);
    }
}
