package io.estafeta.protocol.codec;

/**
 * The places a property block appears in MQTT 5.0: one per packet type that has properties, plus the
 * Will Properties of a CONNECT payload (section 3.1.3.2). The columns of table 2-4 (section 2.2.2.2).
 */
enum PropertyContext {
    CONNECT("CONNECT"),
    CONNACK("CONNACK"),
    PUBLISH("PUBLISH"),
    WILL("the Will Properties"),
    PUBACK("PUBACK"),
    PUBREC("PUBREC"),
    PUBREL("PUBREL"),
    PUBCOMP("PUBCOMP"),
    SUBSCRIBE("SUBSCRIBE"),
    SUBACK("SUBACK"),
    UNSUBSCRIBE("UNSUBSCRIBE"),
    UNSUBACK("UNSUBACK"),
    DISCONNECT("DISCONNECT"),
    AUTH("AUTH");

    private final String description;
    /** Field names for failure messages, built once rather than per packet. */
    private final String propertyLength;
    private final String propertyBlock;
    private final String propertyIdentifier;

    PropertyContext(String description) {
        this.description = description;
        this.propertyLength = "the Property Length of " + description;
        this.propertyBlock = "the properties of " + description;
        this.propertyIdentifier = "a Property Identifier in " + description;
    }

    String propertyLength() {
        return propertyLength;
    }

    String propertyBlock() {
        return propertyBlock;
    }

    String propertyIdentifier() {
        return propertyIdentifier;
    }

    int bit() {
        return 1 << ordinal();
    }

    @Override
    public String toString() {
        return description;
    }
}
