package io.estafeta.broker.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordHashTest {

    /** Written by mosquitto_passwd 2.0.11: {@code mosquitto_passwd -b -c FILE alice secret}. */
    private static final String MOSQUITTO_PBKDF2_SECRET = "$7$101$Eo042gC27XIhS5Tp$+5qEM3MXetL4zXFC7wkh9mGzSC0cl22x"
            + "jQQzQ+LudUY5FY6AHZMYdwAIhCcnxYcbRamDOSSonT3k2TEYK0ruoA==";
    /** Written by mosquitto_passwd 2.0.11: {@code mosquitto_passwd -H sha512 -b -c FILE bob hunter2}. */
    private static final String MOSQUITTO_SHA512_HUNTER2 = "$6$5TMacFvnvkyBlax8$U64WWLd6cAMXL4pw6d03Y61SfQEBePWzTuN"
            + "qtpNSGq/Bq06hqdsQhGP2zVBHJwWzOP0OFyMh7m02sth6ev4eOg==";
    /** Written by mosquitto_passwd 2.0.11 for the empty password: {@code mosquitto_passwd -b -c FILE e ""}. */
    private static final String MOSQUITTO_PBKDF2_EMPTY = "$7$101$K0YygSJu+sgiuV8p$e/IWYgC3BAAS0tWcmYM/fFSrTxBi7ehxU"
            + "PnUPYHMfFazNzEfNgU8LZPlG0FwD+AL/KuPz+nmw80UJbhy4qBGqQ==";
    /**
     * A 64-byte salt (as later Mosquitto versions write), 10 iterations, password "grüße:ñ" in UTF-8; made with
     * Python's hashlib.pbkdf2_hmac('sha512', ...).
     */
    private static final String LONG_SALT_UTF8 = "$7$10$RnUl+ll0qSMmt9Vv+tOnxuloUURlFKuntL80N3yZGETNP/68uaS5tAS3W"
            + "w0RnmntYhEdgU9geVIbQdGF5Qlr6Q==$NpMuhZNATcbJ8vgvQ4S2y1LLpWRiuER6hHScoSWU4umus061f5P9apGucpFi/pmWp92Ei"
            + "cBl0h1g3YydqeeuwQ==";

    /** Low enough to keep tests fast; the real default is checked once, below. */
    private static final int FEW_ITERATIONS = 1000;

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void mosquittoPbkdf2HashAcceptsItsPasswordAndNoOther() {
        PasswordHash hash = PasswordHash.parse(MOSQUITTO_PBKDF2_SECRET);

        assertThat(hash.parameters()).isEqualTo(
                new PasswordHash.Parameters(PasswordHash.Algorithm.SHA512_PBKDF2, 101));
        assertThat(hash.verify(utf8("secret"))).isTrue();
        assertThat(hash.verify(utf8("Secret"))).isFalse();
        assertThat(hash.verify(utf8("secret "))).isFalse();
        assertThat(hash.verify(new byte[0])).isFalse();
    }

    @Test
    void mosquittoSha512HashIsSha512OfPasswordThenSalt() {
        PasswordHash hash = PasswordHash.parse(MOSQUITTO_SHA512_HUNTER2);

        assertThat(hash.parameters().algorithm()).isEqualTo(PasswordHash.Algorithm.SHA512);
        assertThat(hash.verify(utf8("hunter2"))).isTrue();
        assertThat(hash.verify(utf8("hunter3"))).isFalse();
    }

    @Test
    void theEmptyPasswordIsHashedAsMosquittoDoes() {
        PasswordHash hash = PasswordHash.parse(MOSQUITTO_PBKDF2_EMPTY);

        assertThat(hash.verify(new byte[0])).isTrue();
        assertThat(hash.verify(new byte[] {0})).isFalse();
    }

    @Test
    void trailingZeroBytesDoNotPassForThePassword() {
        // HMAC pads keys with zero bytes, so PBKDF2 alone would accept "secret\0".
        PasswordHash hash = PasswordHash.parse(MOSQUITTO_PBKDF2_SECRET);

        assertThat(hash.verify(new byte[] {'s', 'e', 'c', 'r', 'e', 't', 0})).isFalse();
        assertThat(hash.verify(new byte[] {'s', 'e', 'c', 'r', 'e', 't', 0, 'x'})).isFalse();
    }

    @Test
    void aLongSaltAndAUtf8PasswordAreRead() {
        PasswordHash hash = PasswordHash.parse(LONG_SALT_UTF8);

        assertThat(hash.verify(utf8("grüße:ñ"))).isTrue();
        assertThat(hash.verify(utf8("grusse:n"))).isFalse();
    }

    @Test
    void newHashesUseTheStrongDefaultAndVerify() {
        // The one test with the real iteration count.
        PasswordHash hash = PasswordHash.create(utf8("correct horse"));

        assertThat(hash.parameters().iterations()).isEqualTo(PasswordHash.DEFAULT_ITERATIONS);
        assertThat(hash.encoded()).startsWith("$7$210000$");
        assertThat(PasswordHash.parse(hash.encoded()).verify(utf8("correct horse"))).isTrue();
    }

    @Test
    void newHashesHaveMosquittosLayoutWithATwelveByteSalt() {
        PasswordHash hash = PasswordHash.create(utf8("pw"), FEW_ITERATIONS);

        String[] fields = hash.encoded().split("\\$", -1);
        assertThat(fields).hasSize(5);
        assertThat(fields[1]).isEqualTo("7");
        assertThat(fields[2]).isEqualTo("1000");
        assertThat(Base64.getDecoder().decode(fields[3])).hasSize(PasswordHash.SALT_BYTES);
        assertThat(Base64.getDecoder().decode(fields[4])).hasSize(PasswordHash.HASH_BYTES);
        assertThat(fields[4]).endsWith("==");
    }

    @Test
    void anEncodedHashReadsBackAndVerifies() {
        PasswordHash created = PasswordHash.create(utf8("round trip"), FEW_ITERATIONS);

        PasswordHash read = PasswordHash.parse(created.encoded());

        assertThat(read.encoded()).isEqualTo(created.encoded());
        assertThat(read.verify(utf8("round trip"))).isTrue();
        assertThat(read.verify(utf8("round trip!"))).isFalse();
    }

    @Test
    void theSamePasswordGetsADifferentSaltEachTime() {
        PasswordHash first = PasswordHash.create(utf8("same"), FEW_ITERATIONS);
        PasswordHash second = PasswordHash.create(utf8("same"), FEW_ITERATIONS);

        assertThat(first.encoded()).isNotEqualTo(second.encoded());
        assertThat(second.verify(utf8("same"))).isTrue();
    }

    @Test
    void sha512HashesCanStillBeCreatedForOldBrokers() {
        PasswordHash hash = PasswordHash.create(
                new PasswordHash.Parameters(PasswordHash.Algorithm.SHA512, 1), utf8("old"));

        assertThat(hash.encoded()).startsWith("$6$");
        assertThat(PasswordHash.parse(hash.encoded()).verify(utf8("old"))).isTrue();
    }

    @Test
    void aPasswordWithAZeroByteIsRefusedBecauseMosquittoWouldCutItThere() {
        assertThatThrownBy(() -> PasswordHash.create(new byte[] {'a', 0, 'b'}, FEW_ITERATIONS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zero byte");
    }

    @Test
    void anIterationCountBelowOneIsRefused() {
        assertThatThrownBy(() -> PasswordHash.create(utf8("x"), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnmatchableHashMatchesNothingAndCostsWhatItsParametersSay() {
        PasswordHash.Parameters parameters = new PasswordHash.Parameters(PasswordHash.Algorithm.SHA512_PBKDF2, 5);

        PasswordHash hash = PasswordHash.unmatchable(parameters);

        assertThat(hash.parameters()).isEqualTo(parameters);
        assertThat(hash.verify(new byte[0])).isFalse();
        assertThat(hash.verify(utf8("anything"))).isFalse();
    }

    @Test
    void toStringShowsNeitherSaltNorHash() {
        PasswordHash hash = PasswordHash.parse(MOSQUITTO_PBKDF2_SECRET);

        assertThat(hash.toString()).isEqualTo("PasswordHash[$7$, 101 iterations]");
    }

    /** The salt and hash fields of {@link #MOSQUITTO_PBKDF2_SECRET}, to damage one at a time. */
    private static final String SALT = "Eo042gC27XIhS5Tp";
    private static final String HASH = "+5qEM3MXetL4zXFC7wkh9mGzSC0cl22xjQQzQ+LudUY5FY6AHZMYdwAIhCcnxYcbRamDOSSon"
            + "T3k2TEYK0ruoA==";

    static Stream<String> malformedHashes() {
        return Stream.of(
                "plaintext-password",
                "",
                "$",
                "$5$c2FsdHNhbHRzYWx0$aGFzaA==",
                "$argon2id$v=19$m=47104,t=1,p=1$c2FsdA$aGFzaA",
                "$7$101$" + SALT,
                "$7$101$" + SALT + "$" + HASH + "$x",
                "$7$0$" + SALT + "$" + HASH,
                "$7$12ab$" + SALT + "$" + HASH,
                "$7$99999999999$" + SALT + "$" + HASH,
                "$7$101$Eo04!gC27XIhS5Tp$" + HASH,
                // A 9-byte salt.
                "$7$101$Eo042gC27XIh$" + HASH,
                // A 63-byte hash.
                "$7$101$" + SALT + "$" + HASH.substring(0, HASH.length() - "oA==".length()),
                "$6$" + SALT,
                "$6$101$" + SALT + "$" + HASH);
    }

    @ParameterizedTest
    @MethodSource("malformedHashes")
    void malformedHashesAreRefusedWithoutQuotingThem(String encoded) {
        assertThatThrownBy(() -> PasswordHash.parse(encoded))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage())
                        .doesNotContain("plaintext-password")
                        .doesNotContain("Eo04")
                        .doesNotContain(HASH.substring(0, 10)));
    }

    @Test
    void theDamagedHashesAboveStartFromAValidOne() {
        assertThat("$7$101$" + SALT + "$" + HASH).isEqualTo(MOSQUITTO_PBKDF2_SECRET);
    }
}
