package io.estafeta.broker.testsupport;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Client ids and topics no other test uses, so that tests sharing one broker cannot see each other's
 * sessions or messages. Client ids stay within MQTT 3.1's 23 characters.
 */
public final class TestNames {

    private static final int MAX_HINT = 12;
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestNames() {
    }

    public static String clientId(String hint) {
        return shorten(hint) + "-" + COUNTER.incrementAndGet();
    }

    /** A topic of two levels, "hint/N", unique in this JVM. */
    public static String topic(String hint) {
        return shorten(hint) + "/" + COUNTER.incrementAndGet();
    }

    private static String shorten(String hint) {
        return hint.length() <= MAX_HINT ? hint : hint.substring(0, MAX_HINT);
    }
}
