package io.estafeta.broker.store.rocksdb;

import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.message.MessageProperties;
import io.estafeta.broker.message.UserProperty;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.arbitraries.StringArbitrary;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageCodecTest {

    /** MQTT strings are well-formed UTF-8: no lone surrogates, which UTF-8 cannot carry. */
    private static StringArbitrary text() {
        return Arbitraries.strings().all().excludeChars(surrogates()).ofMaxLength(40);
    }

    private static char[] surrogates() {
        char[] chars = new char[Character.MAX_SURROGATE - Character.MIN_SURROGATE + 1];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) (Character.MIN_SURROGATE + i);
        }
        return chars;
    }

    @Provide
    Arbitrary<ApplicationMessage> messages() {
        Arbitrary<MessageProperties> properties = Combinators.combine(
                Arbitraries.of(MessageProperties.UNSPECIFIED, 0, 1),
                text().injectNull(0.5),
                text().injectNull(0.5),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(20).injectNull(0.5),
                Combinators.combine(text(), text()).as(UserProperty::new).list().ofMaxSize(4))
                .as(MessageProperties::new);
        return Combinators.combine(
                text().ofMinLength(1),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(3000),
                Arbitraries.integers().between(0, 2),
                Arbitraries.of(true, false),
                text().injectNull(0.3),
                Arbitraries.oneOf(Arbitraries.just(MessageProperties.NONE), properties),
                Arbitraries.oneOf(Arbitraries.just(ApplicationMessage.NEVER_EXPIRES),
                        Arbitraries.longs().between(1, Long.MAX_VALUE)))
                .as(ApplicationMessage::new);
    }

    @Property(tries = 500)
    void everyMessageDecodesToWhatWasEncoded(@ForAll("messages") ApplicationMessage message) {
        ApplicationMessage decoded = MessageCodec.decode(MessageCodec.encode(message), "test");

        assertThat(decoded).usingRecursiveComparison().isEqualTo(message);
    }

    @Property(tries = 200)
    void everyTruncatedEncodingIsRefusedNotMisread(@ForAll("messages") ApplicationMessage message) {
        byte[] encoded = MessageCodec.encode(message);
        for (int length = 0; length < encoded.length; length += Math.max(1, encoded.length / 50)) {
            byte[] truncated = Arrays.copyOf(encoded, length);
            assertThatThrownBy(() -> MessageCodec.decode(truncated, "test"))
                    .isInstanceOf(MalformedRecordException.class);
        }
    }

    @Property(tries = 100)
    void anEncodingWithBytesAfterItsEndIsRefused(@ForAll("messages") ApplicationMessage message) {
        byte[] encoded = MessageCodec.encode(message);
        byte[] longer = Arrays.copyOf(encoded, encoded.length + 1);

        assertThatThrownBy(() -> MessageCodec.decode(longer, "test")).isInstanceOf(MalformedRecordException.class)
                .hasMessageContaining("unexpected bytes at the end");
    }

    @Property(tries = 50)
    void anUnknownVersionIsRefused(@ForAll("messages") ApplicationMessage message) {
        byte[] encoded = MessageCodec.encode(message);
        encoded[0] = (byte) (MessageCodec.VERSION + 1);

        assertThatThrownBy(() -> MessageCodec.decode(encoded, "message 7"))
                .isInstanceOf(MalformedRecordException.class)
                .hasMessage("message 7: unknown message format version " + (MessageCodec.VERSION + 1));
    }
}
