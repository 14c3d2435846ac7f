package io.estafeta.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The byte-array UTF-8 check agrees with the JDK's reporting UTF-8 decoder, which is what Netty's strict
 * mode uses: well-formed per RFC 3629 ([MQTT-1.5.4-1], [MQTT-1.5.3-1]), and no U+0000 ([MQTT-1.5.4-2]).
 */
class StrictUtf8Test {

    /** Bytes around every boundary of the UTF-8 table: ASCII, continuations, every kind of lead byte. */
    @Provide
    Arbitrary<byte[]> nearlyUtf8() {
        Arbitrary<Byte> interesting = Arbitraries.of(0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2,
                0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF).map(Integer::byteValue);
        return Arbitraries.oneOf(interesting, Arbitraries.bytes()).array(byte[].class).ofMaxSize(8);
    }

    @Property(tries = 5000)
    void acceptsExactlyWhatTheJdkStrictDecoderAcceptsWithoutNull(@ForAll("nearlyUtf8") byte[] bytes) {
        boolean jdkAccepts = decodesStrictly(bytes) && !containsZero(bytes);

        assertThat(StrictUtf8.check(bytes, 0, bytes.length) == StrictUtf8.VALID).isEqualTo(jdkAccepts);
    }

    @Property
    void acceptsEveryStringWithoutNull(@ForAll("strings") String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);

        assertThat(StrictUtf8.check(bytes, 0, bytes.length)).isEqualTo(StrictUtf8.VALID);
    }

    @Provide
    Arbitrary<String> strings() {
        return PacketArbitraries.utf8Strings(20);
    }

    private static boolean decodesStrictly(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            decoder.decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static boolean containsZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return true;
            }
        }
        return false;
    }
}
