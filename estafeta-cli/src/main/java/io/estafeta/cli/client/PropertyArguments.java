package io.estafeta.cli.client;

import io.estafeta.client.MessageProperties;
import io.netty.handler.codec.mqtt.MqttProperties;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.Stack;

/**
 * MQTT 5 properties from {@code -D command identifier value} (and {@code -D command user-property key
 * value}), by Mosquitto's names for packets and properties. Which property may go in which packet is
 * the table of section 2.2.2.2 of MQTT 5.0; properties that would change how this client itself must
 * behave and that it does not implement (topic aliases, enhanced authentication) are refused.
 */
final class PropertyArguments {

    /** The packets a client sends that {@code -D} can add properties to; WILL is the will's properties. */
    enum Packet { CONNECT, PUBLISH, SUBSCRIBE, UNSUBSCRIBE, DISCONNECT, WILL }

    private enum Type { BYTE, TWO_BYTE_INTEGER, FOUR_BYTE_INTEGER, VARIABLE_BYTE_INTEGER, STRING, BINARY, STRING_PAIR }

    /** One property a client may send: its identifier, value type, and the packets it belongs in. */
    private record Definition(int id, Type type, Set<Packet> allowedIn, Set<Packet> notSupportedIn) {
    }

    private static final long BYTE_MAX = 0xFF;
    private static final long TWO_BYTE_MAX = 0xFFFF;
    private static final long FOUR_BYTE_MAX = 0xFFFF_FFFFL;
    private static final long VARIABLE_BYTE_MAX = 268_435_455;
    private static final int BINARY_MAX_LENGTH = 0xFFFF;

    /** Packets a client does not send, or whose properties cannot be set here. */
    private static final Set<String> UNSUPPORTED_PACKETS =
            Set.of("connack", "puback", "pubrec", "pubrel", "pubcomp", "suback", "unsuback", "auth");

    private static final Map<String, Definition> DEFINITIONS = Map.ofEntries(
            Map.entry("payload-format-indicator", definition(MqttProperties.PAYLOAD_FORMAT_INDICATOR, Type.BYTE,
                    EnumSet.of(Packet.PUBLISH, Packet.WILL))),
            Map.entry("message-expiry-interval", definition(MqttProperties.PUBLICATION_EXPIRY_INTERVAL,
                    Type.FOUR_BYTE_INTEGER, EnumSet.of(Packet.PUBLISH, Packet.WILL))),
            Map.entry("content-type", definition(MqttProperties.CONTENT_TYPE, Type.STRING,
                    EnumSet.of(Packet.PUBLISH, Packet.WILL))),
            Map.entry("response-topic", definition(MqttProperties.RESPONSE_TOPIC, Type.STRING,
                    EnumSet.of(Packet.PUBLISH, Packet.WILL))),
            Map.entry("correlation-data", definition(MqttProperties.CORRELATION_DATA, Type.BINARY,
                    EnumSet.of(Packet.PUBLISH, Packet.WILL))),
            // [MQTT-3.3.4-6] a client must not send a Subscription Identifier in PUBLISH.
            Map.entry("subscription-identifier", new Definition(MqttProperties.SUBSCRIPTION_IDENTIFIER,
                    Type.VARIABLE_BYTE_INTEGER, EnumSet.of(Packet.PUBLISH, Packet.SUBSCRIBE), EnumSet.of(Packet.PUBLISH))),
            Map.entry("session-expiry-interval", definition(MqttProperties.SESSION_EXPIRY_INTERVAL,
                    Type.FOUR_BYTE_INTEGER, EnumSet.of(Packet.CONNECT, Packet.DISCONNECT))),
            Map.entry("assigned-client-identifier", definition(MqttProperties.ASSIGNED_CLIENT_IDENTIFIER, Type.STRING,
                    EnumSet.noneOf(Packet.class))),
            Map.entry("server-keep-alive", definition(MqttProperties.SERVER_KEEP_ALIVE, Type.TWO_BYTE_INTEGER,
                    EnumSet.noneOf(Packet.class))),
            Map.entry("authentication-method", new Definition(MqttProperties.AUTHENTICATION_METHOD, Type.STRING,
                    EnumSet.of(Packet.CONNECT), EnumSet.of(Packet.CONNECT))),
            Map.entry("authentication-data", new Definition(MqttProperties.AUTHENTICATION_DATA, Type.BINARY,
                    EnumSet.of(Packet.CONNECT), EnumSet.of(Packet.CONNECT))),
            Map.entry("request-problem-information", definition(MqttProperties.REQUEST_PROBLEM_INFORMATION, Type.BYTE,
                    EnumSet.of(Packet.CONNECT))),
            Map.entry("will-delay-interval", definition(MqttProperties.WILL_DELAY_INTERVAL, Type.FOUR_BYTE_INTEGER,
                    EnumSet.of(Packet.WILL))),
            Map.entry("request-response-information", definition(MqttProperties.REQUEST_RESPONSE_INFORMATION,
                    Type.BYTE, EnumSet.of(Packet.CONNECT))),
            Map.entry("response-information", definition(MqttProperties.RESPONSE_INFORMATION, Type.STRING,
                    EnumSet.noneOf(Packet.class))),
            Map.entry("server-reference", definition(MqttProperties.SERVER_REFERENCE, Type.STRING,
                    EnumSet.noneOf(Packet.class))),
            Map.entry("reason-string", definition(MqttProperties.REASON_STRING, Type.STRING,
                    EnumSet.of(Packet.DISCONNECT))),
            Map.entry("receive-maximum", definition(MqttProperties.RECEIVE_MAXIMUM, Type.TWO_BYTE_INTEGER,
                    EnumSet.of(Packet.CONNECT))),
            // Topic aliases need the client to keep alias tables; this one does not (yet).
            Map.entry("topic-alias-maximum", new Definition(MqttProperties.TOPIC_ALIAS_MAXIMUM, Type.TWO_BYTE_INTEGER,
                    EnumSet.of(Packet.CONNECT), EnumSet.of(Packet.CONNECT))),
            Map.entry("topic-alias", new Definition(MqttProperties.TOPIC_ALIAS, Type.TWO_BYTE_INTEGER,
                    EnumSet.of(Packet.PUBLISH), EnumSet.of(Packet.PUBLISH))),
            Map.entry("maximum-qos", definition(MqttProperties.MAXIMUM_QOS, Type.BYTE, EnumSet.noneOf(Packet.class))),
            Map.entry("retain-available", definition(MqttProperties.RETAIN_AVAILABLE, Type.BYTE,
                    EnumSet.noneOf(Packet.class))),
            Map.entry("user-property", definition(MqttProperties.USER_PROPERTY, Type.STRING_PAIR,
                    EnumSet.allOf(Packet.class))),
            Map.entry("maximum-packet-size", definition(MqttProperties.MAXIMUM_PACKET_SIZE, Type.FOUR_BYTE_INTEGER,
                    EnumSet.of(Packet.CONNECT))),
            Map.entry("wildcard-subscription-available", definition(MqttProperties.WILDCARD_SUBSCRIPTION_AVAILABLE,
                    Type.BYTE, EnumSet.noneOf(Packet.class))),
            Map.entry("subscription-identifier-available", definition(MqttProperties.SUBSCRIPTION_IDENTIFIER_AVAILABLE,
                    Type.BYTE, EnumSet.noneOf(Packet.class))),
            Map.entry("shared-subscription-available", definition(MqttProperties.SHARED_SUBSCRIPTION_AVAILABLE,
                    Type.BYTE, EnumSet.noneOf(Packet.class))));

    private final Map<Packet, MessageProperties> properties = new EnumMap<>(Packet.class);

    /** Whether any {@code -D} was given (which, as with Mosquitto, selects MQTT 5 unless -V says otherwise). */
    boolean isEmpty() {
        return properties.isEmpty();
    }

    /** The properties given for {@code packet}; empty if none. */
    MqttProperties of(Packet packet) {
        MessageProperties given = properties.get(packet);
        return given == null ? MqttProperties.NO_PROPERTIES : given.build();
    }

    /**
     * Reads one {@code -D}: the words after it on the command line.
     *
     * @throws IllegalArgumentException with Mosquitto's message when the words make no property
     */
    void add(List<String> words) {
        if (words.size() < 3) {
            throw new IllegalArgumentException("Error: --property argument given but not enough arguments specified.");
        }
        String packetName = words.get(0);
        String propertyName = words.get(1);
        Packet packet = packet(packetName, propertyName);
        Definition definition = DEFINITIONS.get(propertyName.toLowerCase(Locale.ROOT));
        if (definition == null) {
            throw new IllegalArgumentException("Error: Invalid property name given in --property argument.");
        }
        if (!definition.allowedIn().contains(packet)) {
            throw new IllegalArgumentException("Error: " + propertyName + " property not allowed for " + packetName
                    + " in --property argument.");
        }
        if (definition.notSupportedIn().contains(packet)) {
            throw new IllegalArgumentException("Error: " + propertyName + " property not supported for " + packetName
                    + " in --property argument.");
        }
        MessageProperties target = properties.computeIfAbsent(packet, ignored -> MessageProperties.builder());
        if (definition.type() == Type.STRING_PAIR) {
            if (words.size() < 4) {
                throw new IllegalArgumentException(
                        "Error: --property argument given but not enough arguments specified.");
            }
            target.userProperty(words.get(2), words.get(3));
            return;
        }
        String value = words.get(2);
        switch (definition.type()) {
            case BYTE -> target.integer(definition.id(), (int) number(value, BYTE_MAX, propertyName));
            case TWO_BYTE_INTEGER -> target.integer(definition.id(), (int) number(value, TWO_BYTE_MAX, propertyName));
            case FOUR_BYTE_INTEGER -> target.integer(definition.id(), (int) number(value, FOUR_BYTE_MAX, propertyName));
            case VARIABLE_BYTE_INTEGER ->
                    target.integer(definition.id(), (int) number(value, VARIABLE_BYTE_MAX, propertyName));
            case STRING -> target.string(definition.id(), value);
            case BINARY -> {
                byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                if (bytes.length > BINARY_MAX_LENGTH) {
                    throw new IllegalArgumentException("Error: Property value too long for property " + propertyName + ".");
                }
                target.binary(definition.id(), bytes);
            }
            default -> throw new IllegalStateException("unhandled property type " + definition.type());
        }
    }

    /** How many words {@code -D} takes from {@code args}: 4 for a user property, otherwise 3. */
    static int wordsFor(List<String> upcoming) {
        return upcoming.size() >= 2 && "user-property".equalsIgnoreCase(upcoming.get(1)) ? 4 : 3;
    }

    private static Packet packet(String name, String propertyName) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (UNSUPPORTED_PACKETS.contains(lower)) {
            throw new IllegalArgumentException("Error: " + propertyName + " property not supported for " + name
                    + " in --property argument.");
        }
        try {
            return Packet.valueOf(lower.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Error: Invalid command given in --property argument.");
        }
    }

    private static long number(String value, long max, String propertyName) {
        long parsed;
        try {
            parsed = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Error: Property value (" + value + ") is not a number for property "
                    + propertyName + ".");
        }
        if (parsed < 0 || parsed > max) {
            throw new IllegalArgumentException("Error: Property value (" + parsed + ") out of range for property "
                    + propertyName + ".");
        }
        return parsed;
    }

    private static Definition definition(int id, Type type, Set<Packet> allowedIn) {
        return new Definition(id, type, allowedIn, EnumSet.noneOf(Packet.class));
    }

    /**
     * picocli hook for {@code -D}: takes three words (four for a user property) off the command line and
     * hands them to the command's {@link PropertyArguments}.
     */
    static final class Consumer implements CommandLine.IParameterConsumer {

        @Override
        public void consumeParameters(Stack<String> args, ArgSpec argSpec, CommandSpec commandSpec) {
            List<String> upcoming = new java.util.ArrayList<>();
            for (int i = args.size() - 1; i >= 0 && upcoming.size() < 2; i--) {
                upcoming.add(args.get(i));
            }
            int wanted = wordsFor(upcoming);
            List<String> words = new java.util.ArrayList<>();
            while (words.size() < wanted && !args.isEmpty()) {
                words.add(args.pop());
            }
            PropertyArguments target = argSpec.getValue();
            try {
                target.add(words);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(commandSpec.commandLine(), e.getMessage(), e, argSpec, null);
            }
        }
    }
}
