package io.estafeta.cli.client;

import io.estafeta.client.MessageProperties;
import io.estafeta.client.ReceivedMessage;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** mosquitto_sub's output, field by field, without a broker. */
class MessagePrinterTest {

    private static final ReceivedMessage MESSAGE = new ReceivedMessage("a/b", "hola".getBytes(StandardCharsets.UTF_8),
            MqttQoS.AT_LEAST_ONCE, true, false, 7, MqttProperties.NO_PROPERTIES);
    private static final ReceivedMessage EMPTY = new ReceivedMessage("a/empty", new byte[0],
            MqttQoS.AT_MOST_ONCE, false, false, 0, MqttProperties.NO_PROPERTIES);

    @Test
    void defaultOutputIsThePayloadAndALineBreak() {
        assertThat(print(null, false, true, MESSAGE)).isEqualTo("hola\n");
    }

    @Test
    void emptyPayloadPrintsNothingWithoutVerboseAndNullWithIt() {
        assertThat(print(null, false, true, EMPTY)).isEmpty();
        assertThat(print(null, true, true, EMPTY)).isEqualTo("a/empty (null)\n");
    }

    @Test
    void noEndOfLineLeavesTheLineOpen() {
        assertThat(print(null, true, false, MESSAGE)).isEqualTo("a/b hola");
    }

    @Test
    void fieldsOfTheMessage() {
        assertThat(print("%t %p %q %r %m %i %l %x %X %%", false, false, MESSAGE))
                .isEqualTo("a/b hola 1 1 7 7 4 686f6c61 686F6C61 %");
    }

    @Test
    void widthAlignmentPaddingAndPrecision() {
        assertThat(print("[%6t][%-6t][%.1t][%06l][%-4l][%6p]", false, false, MESSAGE))
                .isEqualTo("[   a/b][a/b   ][a][000004][4   ][  hola]");
    }

    @Test
    void escapesAndDateFields() {
        assertThat(print("\\t|\\\\|@@|@Y", false, false, MESSAGE)).matches("\t\\|\\\\\\|@\\|\\d{4}");
    }

    @Test
    void mqtt5PropertiesAndBlanksWhereAbsent() {
        MqttProperties properties = MessageProperties.builder().userProperty("k", "v").userProperty("k", "w")
                .contentType("text/plain").responseTopic("r").correlationData("id".getBytes(StandardCharsets.UTF_8))
                .build();
        ReceivedMessage withProperties = new ReceivedMessage("t", new byte[] {'x'}, MqttQoS.AT_MOST_ONCE, false,
                false, 0, properties);

        assertThat(print("%P|%C|%R|%D|%E|%3E|", false, false, withProperties)).isEqualTo("k:v k:w|text/plain|r|id||   |");
    }

    @Test
    void prettyJsonIsIndentedWithTabs() {
        String out = new String(printBytes("%j", false, false, true, EMPTY), StandardCharsets.UTF_8);

        assertThat(out).startsWith("{\n\t\"tst\":\t\"").contains("\n\t\"topic\":\t\"a/empty\",")
                .endsWith("\n\t\"payload\":\tnull\n}");
    }

    @Test
    void binaryPayloadIsWrittenByteForByte() {
        byte[] binary = {0, (byte) 0xFF, '\n', (byte) 0x80};
        ReceivedMessage message = new ReceivedMessage("bin", binary, MqttQoS.AT_MOST_ONCE, false, false, 0,
                MqttProperties.NO_PROPERTIES);

        assertThat(printBytes(null, false, false, false, message)).containsExactly(binary);
    }

    @Test
    void formatsAreCheckedWithMosquittosMessages() {
        assertThatThrownBy(() -> MessagePrinter.check("%")).hasMessage("Error: Incomplete format specifier.");
        assertThatThrownBy(() -> MessagePrinter.check("%10")).hasMessage("Error: Incomplete format specifier.");
        assertThatThrownBy(() -> MessagePrinter.check("%k")).hasMessage("Error: Invalid format specifier 'k'.");
        assertThatThrownBy(() -> MessagePrinter.check("\\q")).hasMessage("Error: Invalid escape specifier 'q'.");
        assertThatThrownBy(() -> MessagePrinter.check("x\\")).hasMessage("Error: Incomplete escape specifier.");
        MessagePrinter.check("%-10.3t %05l @H:@M \\n %j %J %U %I");
    }

    private static String print(String format, boolean verbose, boolean endOfLine, ReceivedMessage message) {
        return new String(printBytes(format, verbose, endOfLine, false, message), StandardCharsets.UTF_8);
    }

    private static byte[] printBytes(String format, boolean verbose, boolean endOfLine, boolean pretty,
                                     ReceivedMessage message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new MessagePrinter(format, verbose, endOfLine, pretty, new PrintStream(out, true),
                new PrintWriter(new StringWriter())).print(message);
        return out.toByteArray();
    }
}
