package io.estafeta.broker.routing;

/**
 * One shared subscription group: the clients subscribed to {@code $share/{shareName}/{topicFilter}},
 * each message going to one of them (MQTT 5, 4.8.2).
 */
public record SharedGroup(String shareName, String topicFilter) {
}
