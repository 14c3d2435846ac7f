package io.estafeta.broker.http.admin;

import io.estafeta.broker.message.ApplicationMessage;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** A message as the admin API shows it: the payload as text when it is UTF-8, else as base64. */
final class MessageJson {

    static final String UTF8 = "utf-8";
    static final String BASE64 = "base64";

    private MessageJson() {
    }

    /** A retained message. */
    static Map<String, Object> retained(ApplicationMessage message) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("topic", message.topic());
        putPayload(json, message.payload());
        json.put("qos", message.qos());
        json.put("bytes", message.payloadSize());
        json.put("publisher", message.publisherId());
        return json;
    }

    /** A message seen live; {@code droppedBefore} messages were dropped since the previous event. */
    static Map<String, Object> live(ApplicationMessage message, long receivedAtMillis, long droppedBefore) {
        Map<String, Object> json = retained(message);
        json.put("retain", message.retain());
        json.put("time", receivedAtMillis);
        json.put("droppedBefore", droppedBefore);
        return json;
    }

    private static void putPayload(Map<String, Object> json, byte[] payload) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload)).toString();
            json.put("payload", text);
            json.put("encoding", UTF8);
        } catch (CharacterCodingException notText) {
            json.put("payload", Base64.getEncoder().encodeToString(payload));
            json.put("encoding", BASE64);
        }
    }
}
