package io.estafeta.broker.auth.scram;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The SCRAM-SHA-256 server against the example exchange published in RFC 7677, section 3. */
class ScramServerExchangeTest {

    private static final byte[] RFC_SALT = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
    private static final ScramCredential USER = ScramCredential.derive("pencil".toCharArray(), RFC_SALT, 4096);

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ScramServerExchange exchange() {
        return new ScramServerExchange(Map.of("user", USER)::get, () -> "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");
    }

    @Test
    void rfc7677ExampleExchangeSucceedsWithTheServerSignatureOfTheRfc() {
        ScramServerExchange exchange = exchange();

        ScramServerExchange.Step first = exchange.next(bytes("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"));
        assertThat(first).isInstanceOf(ScramServerExchange.Challenge.class);
        assertThat(new String(((ScramServerExchange.Challenge) first).data(), StandardCharsets.UTF_8))
                .isEqualTo("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");

        ScramServerExchange.Step last = exchange.next(bytes("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="));
        assertThat(last).isInstanceOf(ScramServerExchange.Success.class);
        ScramServerExchange.Success success = (ScramServerExchange.Success) last;
        assertThat(success.username()).isEqualTo("user");
        assertThat(new String(success.data(), StandardCharsets.UTF_8))
                .isEqualTo("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
    }

    @Test
    void wrongProofFails() {
        ScramServerExchange exchange = exchange();
        exchange.next(bytes("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"));

        ScramServerExchange.Step last = exchange.next(bytes("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=AAAAZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="));

        assertThat(last).isInstanceOf(ScramServerExchange.Failure.class);
    }

    @Test
    void unknownUserGetsAChallengeButFails() {
        ScramServerExchange exchange = exchange();

        assertThat(exchange.next(bytes("n,,n=nobody,r=abc"))).isInstanceOf(ScramServerExchange.Challenge.class);
        assertThat(exchange.next(bytes("c=biws,r=abc%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=AAAA")))
                .isInstanceOf(ScramServerExchange.Failure.class);
    }

    @Test
    void nonceMustBeTheOneTheServerSent() {
        ScramServerExchange exchange = exchange();
        exchange.next(bytes("n,,n=user,r=rOprNGfwEbeRWgbNEkqO"));

        assertThat(exchange.next(bytes("c=biws,r=other,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")))
                .isInstanceOf(ScramServerExchange.Failure.class);
    }

    @Test
    void channelBindingIsRefused() {
        assertThat(exchange().next(bytes("p=tls-unique,,n=user,r=abc")))
                .isInstanceOf(ScramServerExchange.Failure.class);
    }

    @Test
    void credentialAlsoVerifiesAPlainPassword() {
        assertThat(USER.matches("pencil".toCharArray())).isTrue();
        assertThat(USER.matches("pencil2".toCharArray())).isFalse();
    }
}
