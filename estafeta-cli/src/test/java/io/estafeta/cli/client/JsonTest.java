package io.estafeta.cli.client;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JsonTest {

    @Test
    void validDocumentsParseAndAreWrittenCompactly() {
        assertThat(Json.parse(" {\"a\" : [1, -2.5e3, true, false, null, \"s\\u0041\\n\"], \"b\": {}} ")
                .map(value -> Json.write(value, false)))
                .contains("{\"a\":[1,-2.5e3,true,false,null,\"sA\\n\"],\"b\":{}}");
    }

    @Test
    void scalarsAreDocumentsToo() {
        assertThat(Json.parse("42")).isPresent();
        assertThat(Json.parse("\"text\"")).isPresent();
        assertThat(Json.parse("null")).isPresent();
    }

    @Test
    void invalidDocumentsAreRejected() {
        for (String invalid : List.of("", "{", "{\"a\":}", "[1,]", "01", "tru", "\"unterminated", "{} extra",
                "{'a':1}", "\"bad \\x escape\"")) {
            assertThat(Json.parse(invalid)).as(invalid).isEmpty();
        }
    }

    @Test
    void controlCharactersAndQuotesAreEscaped() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("k", "q\"\\\u0001");

        assertThat(Json.write(document, false)).isEqualTo("{\"k\":\"q\\\"\\\\\\u0001\"}");
    }
}
