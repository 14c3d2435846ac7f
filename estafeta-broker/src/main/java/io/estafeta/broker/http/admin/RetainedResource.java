package io.estafeta.broker.http.admin;

import io.estafeta.broker.http.BadRequestException;
import io.estafeta.broker.http.HttpExchange;
import io.estafeta.broker.http.HttpServices;
import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.routing.SharedSubscriptions;
import io.estafeta.protocol.Topics;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/retained}: list retained messages by topic filter, delete one. */
final class RetainedResource {

    private static final Logger LOG = LoggerFactory.getLogger(RetainedResource.class);

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;

    private final HttpServices services;

    RetainedResource(HttpServices services) {
        this.services = services;
    }

    void retained(HttpExchange exchange, List<String> path, HttpMethod method) throws BadRequestException {
        if (path.size() != 1) {
            exchange.error(HttpResponseStatus.NOT_FOUND, "no such API resource");
            return;
        }
        if (method.equals(HttpMethod.GET)) {
            listRetained(exchange);
        } else if (method.equals(HttpMethod.DELETE)) {
            deleteRetained(exchange);
        } else {
            exchange.error(HttpResponseStatus.METHOD_NOT_ALLOWED, method + " is not allowed here; use GET or DELETE");
        }
    }

    private void listRetained(HttpExchange exchange) throws BadRequestException {
        String filter = exchange.parameter("filter", "#");
        if (!Topics.isValidTopicFilter(filter) || filter.startsWith(SharedSubscriptions.PREFIX)) {
            throw new BadRequestException("filter is not a valid topic filter: '" + filter + "'");
        }
        int limit = AdminAnswers.parseInt("limit", exchange.parameter("limit", Integer.toString(DEFAULT_LIMIT)), 1,
                MAX_LIMIT);
        List<ApplicationMessage> found = new ArrayList<>();
        int[] total = {0};
        services.retained().forEachMatching(filter, message -> {
            total[0]++;
            found.add(message);
        });
        found.sort(Comparator.comparing(ApplicationMessage::topic));
        List<Map<String, Object>> messages = new ArrayList<>();
        for (ApplicationMessage message : found.subList(0, Math.min(limit, found.size()))) {
            messages.add(MessageJson.retained(message));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("filter", filter);
        result.put("total", total[0]);
        result.put("truncated", total[0] > limit);
        result.put("messages", messages);
        exchange.ok(result);
    }

    private void deleteRetained(HttpExchange exchange) throws BadRequestException {
        String topic = exchange.parameter("topic", null);
        if (topic == null || !Topics.isValidTopicName(topic)) {
            throw new BadRequestException("topic must be a topic name (no wildcards), e.g. ?topic=a%2Fb");
        }
        if (services.retained().get(topic) == null) {
            exchange.error(HttpResponseStatus.NOT_FOUND, "no retained message on '" + topic + "'");
            return;
        }
        // [MQTT-3.3.1-10] what a client does to clear a retained message: retain an empty payload.
        services.router().retain(new ApplicationMessage(topic, new byte[0], 0, true, null));
        LOG.info("admin API: deleted the retained message on {}", topic);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("topic", topic);
        result.put("deleted", true);
        exchange.ok(result);
    }
}
