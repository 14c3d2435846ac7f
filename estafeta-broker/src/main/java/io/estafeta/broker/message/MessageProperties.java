package io.estafeta.broker.message;

import java.util.List;

/**
 * The MQTT 5 properties an Application Message carries from its publisher to its subscribers
 * ([MQTT-3.3.2-4] and following: forwarded unaltered). Message Expiry is not here: it is a deadline
 * on {@link ApplicationMessage}, since the interval sent on delivery is what remains of it.
 *
 * @param payloadFormatIndicator 0 (bytes) or 1 (UTF-8 text), or {@link #UNSPECIFIED}
 * @param contentType            MIME type or other description, or null
 * @param responseTopic          where a response is expected (request/response), or null
 * @param correlationData        the requester's correlation bytes, or null
 * @param userProperties         in the order received ([MQTT-3.3.2-18])
 */
public record MessageProperties(
        int payloadFormatIndicator,
        String contentType,
        String responseTopic,
        byte[] correlationData,
        List<UserProperty> userProperties) {

    public static final int UNSPECIFIED = -1;
    public static final MessageProperties NONE = new MessageProperties(UNSPECIFIED, null, null, null, List.of());

    public MessageProperties {
        userProperties = List.copyOf(userProperties);
    }

    public boolean isEmpty() {
        return payloadFormatIndicator == UNSPECIFIED && contentType == null && responseTopic == null
                && correlationData == null && userProperties.isEmpty();
    }
}
