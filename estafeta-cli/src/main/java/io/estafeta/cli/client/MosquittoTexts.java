package io.estafeta.cli.client;

import io.netty.handler.codec.mqtt.MqttVersion;

/**
 * The words Mosquitto's clients use for connection results and errors, so that scripts and people
 * reading {@code estafeta pub}/{@code sub} output see what they know from {@code mosquitto_pub}/{@code sub}.
 */
final class MosquittoTexts {

    static final String CONNECTION_REFUSED = "The connection was refused.";
    static final String CONNECTION_LOST = "The connection was lost.";
    static final String NOT_CONNECTED = "The client is not currently connected.";
    static final String LOOKUP_ERROR = "Lookup error.";
    static final String TIMED_OUT = "Timed out";

    /** 5.0 reason code 0x84 Unsupported Protocol Version, which gets a hint. */
    private static final int UNSUPPORTED_PROTOCOL_VERSION = 0x84;

    private MosquittoTexts() {
    }

    /** The line printed when the server refuses the connection ("Connection error: ..."). */
    static String connectionError(MqttVersion version, int reasonCode) {
        if (version == MqttVersion.MQTT_5) {
            String reason = reasonString(reasonCode);
            if (reasonCode == UNSUPPORTED_PROTOCOL_VERSION) {
                return "Connection error: " + reason
                        + ". Try connecting to an MQTT v5 broker, or use MQTT v3.x mode.";
            }
            return "Connection error: " + reason;
        }
        return "Connection error: " + connackString(reasonCode);
    }

    /** MQTT 3.1/3.1.1 Connect Return Codes (3.2.2.3). */
    static String connackString(int code) {
        return switch (code) {
            case 0 -> "Connection Accepted.";
            case 1 -> "Connection Refused: unacceptable protocol version.";
            case 2 -> "Connection Refused: identifier rejected.";
            case 3 -> "Connection Refused: broker unavailable.";
            case 4 -> "Connection Refused: bad user name or password.";
            case 5 -> "Connection Refused: not authorised.";
            default -> "Connection Refused: unknown reason.";
        };
    }

    /** MQTT 5 reason codes (2.4), in Mosquitto's wording. */
    static String reasonString(int code) {
        return switch (code) {
            case 0x00 -> "Success";
            case 0x01 -> "Granted QoS 1";
            case 0x02 -> "Granted QoS 2";
            case 0x04 -> "Disconnect with Will Message";
            case 0x10 -> "No matching subscribers";
            case 0x11 -> "No subscription existed";
            case 0x18 -> "Continue authentication";
            case 0x19 -> "Re-authenticate";
            case 0x80 -> "Unspecified error";
            case 0x81 -> "Malformed Packet";
            case 0x82 -> "Protocol Error";
            case 0x83 -> "Implementation specific error";
            case 0x84 -> "Unsupported Protocol Version";
            case 0x85 -> "Client Identifier not valid";
            case 0x86 -> "Bad User Name or Password";
            case 0x87 -> "Not authorized";
            case 0x88 -> "Server unavailable";
            case 0x89 -> "Server busy";
            case 0x8A -> "Banned";
            case 0x8B -> "Server shutting down";
            case 0x8C -> "Bad authentication method";
            case 0x8D -> "Keep Alive timeout";
            case 0x8E -> "Session taken over";
            case 0x8F -> "Topic Filter invalid";
            case 0x90 -> "Topic Name invalid";
            case 0x91 -> "Packet Identifier in use";
            case 0x92 -> "Packet Identifier not found";
            case 0x93 -> "Receive Maximum exceeded";
            case 0x94 -> "Topic Alias invalid";
            case 0x95 -> "Packet too large";
            case 0x96 -> "Message rate too high";
            case 0x97 -> "Quota exceeded";
            case 0x98 -> "Administrative action";
            case 0x99 -> "Payload format invalid";
            case 0x9A -> "Retain not supported";
            case 0x9B -> "QoS not supported";
            case 0x9C -> "Use another server";
            case 0x9D -> "Server moved";
            case 0x9E -> "Shared Subscriptions not supported";
            case 0x9F -> "Connection rate exceeded";
            case 0xA0 -> "Maximum connect time";
            case 0xA1 -> "Subscription identifiers not supported";
            case 0xA2 -> "Wildcard Subscriptions not supported";
            default -> "Unknown reason";
        };
    }

    /**
     * The line printed when no connection could be made (before any CONNACK), in Mosquitto's words
     * where it has them: "Error: Connection refused", "Unable to connect (Lookup error.).".
     */
    static String connectFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof io.netty.channel.ConnectTimeoutException
                    || cause instanceof java.util.concurrent.TimeoutException) {
                return "Error: Connection timed out";
            }
            if (cause instanceof java.net.ConnectException) {
                return "Error: Connection refused";
            }
            if (cause instanceof java.net.UnknownHostException) {
                return "Unable to connect (" + LOOKUP_ERROR + ").";
            }
        }
        return "Error: " + failure.getMessage();
    }
}
