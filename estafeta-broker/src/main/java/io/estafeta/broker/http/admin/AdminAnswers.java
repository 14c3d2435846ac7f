package io.estafeta.broker.http.admin;

import io.estafeta.broker.http.BadRequestException;
import io.estafeta.broker.http.HttpExchange;
import io.estafeta.broker.http.HttpServices;
import io.estafeta.broker.http.json.JsonException;
import io.estafeta.broker.http.json.JsonReader;
import io.estafeta.broker.session.SessionSnapshot;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** What the admin API's resources share: answering when a snapshot is in, method checks, parameter parsing. */
final class AdminAnswers {

    private static final Logger LOG = LoggerFactory.getLogger(AdminAnswers.class);

    private AdminAnswers() {
    }

    static boolean requireMethod(HttpExchange exchange, HttpMethod method, List<String> path, int length) {
        if (path.size() != length) {
            exchange.error(HttpResponseStatus.NOT_FOUND, "no such API resource: /api/" + String.join("/", path));
            return false;
        }
        if (!exchange.method().equals(method)) {
            exchange.error(HttpResponseStatus.METHOD_NOT_ALLOWED, exchange.method() + " is not allowed here; use "
                    + method);
            return false;
        }
        return true;
    }

    static CompletableFuture<List<SessionSnapshot>> snapshots(HttpServices services) {
        return services.sessions().inspectAll().orTimeout(AdminApi.SNAPSHOT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    static void answerWhenReady(HttpExchange exchange, CompletableFuture<?> answer) {
        answer.orTimeout(AdminApi.SNAPSHOT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).whenComplete((value, failure) -> {
            if (failure != null) {
                LOG.warn("admin API: {} failed", exchange.segments(), failure);
                exchange.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "the broker did not answer in time");
            } else {
                exchange.ok(value);
            }
        });
    }

    static boolean parseBoolean(String name, String value) throws BadRequestException {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new BadRequestException(name + " must be true or false, got '" + value + "'");
        };
    }

    static int parseInt(String name, String value, int min, int max) throws BadRequestException {
        try {
            int number = Integer.parseInt(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadRequestException(name + " must be a whole number from " + min + " to " + max + ", got '"
                + value + "'");
    }

    /** The request body as a JSON object; anything else is a bad request. */
    static Map<String, Object> jsonObject(String body) throws BadRequestException {
        if (body.isBlank()) {
            throw new BadRequestException("the body must be a JSON object");
        }
        Object parsed;
        try {
            parsed = JsonReader.read(body);
        } catch (JsonException e) {
            throw new BadRequestException("the body is not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw new BadRequestException("the body must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) map;
        return object;
    }
}
