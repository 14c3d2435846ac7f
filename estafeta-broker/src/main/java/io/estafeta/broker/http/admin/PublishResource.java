package io.estafeta.broker.http.admin;

import io.estafeta.broker.http.BadRequestException;
import io.estafeta.broker.http.HttpExchange;
import io.estafeta.broker.http.HttpServices;
import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.routing.Routed;
import io.estafeta.broker.routing.Subscription;
import io.estafeta.protocol.Topics;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** {@code POST /api/publish}: a message published by the broker itself, for the dashboard and scripts. */
final class PublishResource {

    private static final Logger LOG = LoggerFactory.getLogger(PublishResource.class);

    private final HttpServices services;

    PublishResource(HttpServices services) {
        this.services = services;
    }

    void publish(HttpExchange exchange) throws BadRequestException {
        Map<String, Object> body = AdminAnswers.jsonObject(exchange.body());
        Object topicValue = body.get("topic");
        if (!(topicValue instanceof String topic) || !Topics.isValidTopicName(topic)) {
            throw new BadRequestException("topic must be a topic name (a non-empty string without wildcards)");
        }
        if (!services.config().clientLimits().allowsTopic(topic)) {
            throw new BadRequestException("topic exceeds max_topic_length or max_topic_levels");
        }
        Object payloadValue = body.getOrDefault("payload", "");
        if (!(payloadValue instanceof String payloadText)) {
            throw new BadRequestException("payload must be a string (UTF-8 text)");
        }
        Object qosValue = body.getOrDefault("qos", 0L);
        if (!(qosValue instanceof Long qosNumber) || qosNumber < Subscription.MIN_QOS || qosNumber > Subscription.MAX_QOS) {
            throw new BadRequestException("qos must be 0, 1 or 2");
        }
        Object retainValue = body.getOrDefault("retain", Boolean.FALSE);
        if (!(retainValue instanceof Boolean retain)) {
            throw new BadRequestException("retain must be true or false");
        }
        for (String key : body.keySet()) {
            if (!List.of("topic", "payload", "qos", "retain").contains(key)) {
                throw new BadRequestException("unknown field '" + key + "'");
            }
        }
        if (retain && !services.config().retainAvailable()) {
            throw new BadRequestException("retained messages are off (retain_available false)");
        }
        byte[] payload = payloadText.getBytes(StandardCharsets.UTF_8);
        int sizeLimit = services.config().messageSizeLimit();
        if (sizeLimit > 0 && payload.length > sizeLimit) {
            throw new BadRequestException("payload exceeds message_size_limit (" + sizeLimit + " bytes)");
        }
        ApplicationMessage message = new ApplicationMessage(topic, payload, qosNumber.intValue(), retain, null);
        Routed routed = services.router().publish(message, null, null);
        int deliveredTo = routed.deliveredTo();
        LOG.info("admin API: published {} bytes on {} (QoS {}, retain {}) to {} subscriber(s)", payload.length,
                topic, qosNumber, retain, deliveredTo);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("topic", topic);
        result.put("deliveredTo", deliveredTo);
        CompletableFuture<Void> durable = routed.durable();
        if (durable == null) {
            exchange.ok(result);
            return;
        }
        // Like a PUBACK: the answer says "published" only once the message is stored where it must be.
        durable.whenComplete((stored, failure) -> {
            if (failure == null) {
                exchange.ok(result);
            } else {
                LOG.warn("admin API: the message on {} could not be stored: {}", topic, failure.getMessage());
                exchange.error(HttpResponseStatus.INSUFFICIENT_STORAGE, "the message could not be stored: "
                        + failure.getMessage());
            }
        });
    }
}
