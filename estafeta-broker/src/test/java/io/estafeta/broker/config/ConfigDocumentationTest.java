package io.estafeta.broker.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/CONFIG.md names every directive the parser knows (Maven runs tests in the module's directory). */
class ConfigDocumentationTest {

    private static final Path CONFIG_DOC = Path.of("..", "docs", "CONFIG.md");
    private static final Path SOURCES = Path.of("src", "main", "java", "io", "estafeta", "broker", "config");
    /** {@code case "directive"} and {@code case "a", "b"} in ConfigParser; {@code Map.entry("directive"} elsewhere. */
    private static final Pattern CASE = Pattern.compile("case (\"[a-z0-9_.]+\"(?:, \"[a-z0-9_.]+\")*) ->");
    private static final Pattern QUOTED = Pattern.compile("\"([a-z0-9_.]+)\"");
    private static final Pattern MAP_ENTRY = Pattern.compile("Map\\.entry\\(\"([a-z0-9_.]+)\"");

    @Test
    void everyDirectiveTheParserReadsIsInConfigMd() throws IOException {
        List<String> directives = new ArrayList<>();
        String parser = Files.readString(SOURCES.resolve("ConfigParser.java"));
        // The one switch on directive names; other switches in the file are on values.
        int apply = parser.indexOf("private void apply(");
        Matcher cases = CASE.matcher(parser.substring(apply, parser.indexOf("\n    }\n", apply)));
        while (cases.find()) {
            Matcher names = QUOTED.matcher(cases.group(1));
            while (names.find()) {
                directives.add(names.group(1));
            }
        }
        Matcher entries = MAP_ENTRY.matcher(Files.readString(SOURCES.resolve("UnimplementedDirectives.java")));
        while (entries.find()) {
            directives.add(entries.group(1));
        }
        String doc = Files.readString(CONFIG_DOC);

        assertThat(directives).hasSizeGreaterThan(50);
        assertThat(directives).allSatisfy(directive -> assertThat(doc).as(directive).contains("`" + directive));
    }
}
