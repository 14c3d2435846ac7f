package io.estafeta.broker.http.admin;

import io.estafeta.broker.http.BadRequestException;
import io.estafeta.broker.http.HttpExchange;
import io.estafeta.broker.http.HttpServices;
import io.estafeta.broker.routing.Subscription;
import io.estafeta.broker.session.Session;
import io.estafeta.broker.session.SessionSnapshot;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /api/clients} and {@code /api/subscriptions}: sessions as snapshots taken on their event loops, and
 * disconnecting a client.
 */
final class ClientsResource {

    private final HttpServices services;

    ClientsResource(HttpServices services) {
        this.services = services;
    }

    void clients(HttpExchange exchange, List<String> path, HttpMethod method) throws BadRequestException {
        if (path.size() == 1) {
            if (AdminAnswers.requireMethod(exchange, HttpMethod.GET, path, 1)) {
                listClients(exchange);
            }
            return;
        }
        String clientId = path.get(1);
        if (path.size() == 2 && method.equals(HttpMethod.GET)) {
            Session session = services.sessions().get(clientId);
            if (session == null) {
                exchange.error(HttpResponseStatus.NOT_FOUND, "no session for client id '" + clientId + "'");
                return;
            }
            AdminAnswers.answerWhenReady(exchange, session.inspect().thenApply(ClientsResource::client));
            return;
        }
        boolean deleteClient = path.size() == 2 && method.equals(HttpMethod.DELETE);
        boolean postDisconnect = path.size() == 3 && path.get(2).equals("disconnect") && method.equals(HttpMethod.POST);
        if (deleteClient || postDisconnect) {
            disconnect(exchange, clientId);
            return;
        }
        if (path.size() == 2 || (path.size() == 3 && path.get(2).equals("disconnect"))) {
            exchange.error(HttpResponseStatus.METHOD_NOT_ALLOWED, method + " is not allowed here");
            return;
        }
        exchange.error(HttpResponseStatus.NOT_FOUND, "no such API resource");
    }

    private void listClients(HttpExchange exchange) throws BadRequestException {
        String search = exchange.parameter("search", "").toLowerCase(Locale.ROOT);
        String connected = exchange.parameter("connected", null);
        Boolean wantConnected = connected == null ? null : AdminAnswers.parseBoolean("connected", connected);
        AdminAnswers.answerWhenReady(exchange, AdminAnswers.snapshots(services).thenApply(all -> {
            List<Map<String, Object>> clients = new ArrayList<>();
            for (SessionSnapshot session : sorted(all)) {
                if (wantConnected != null && session.connected() != wantConnected) {
                    continue;
                }
                if (!search.isEmpty() && !matchesSearch(session, search)) {
                    continue;
                }
                clients.add(client(session));
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("count", clients.size());
            result.put("clients", clients);
            return result;
        }));
    }

    private static boolean matchesSearch(SessionSnapshot session, String search) {
        return contains(session.clientId(), search) || contains(session.username(), search)
                || contains(session.remoteAddress(), search);
    }

    private static boolean contains(String text, String search) {
        return text != null && text.toLowerCase(Locale.ROOT).contains(search);
    }

    private static List<SessionSnapshot> sorted(List<SessionSnapshot> sessions) {
        List<SessionSnapshot> copy = new ArrayList<>(sessions);
        copy.sort(Comparator.comparing(SessionSnapshot::clientId));
        return copy;
    }

    private static Map<String, Object> client(SessionSnapshot session) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("clientId", session.clientId());
        json.put("connected", session.connected());
        json.put("since", session.sinceMillis());
        json.put("remoteAddress", session.remoteAddress());
        json.put("protocolVersion", session.protocolVersion());
        json.put("username", session.username());
        json.put("persistent", session.persistent());
        json.put("sessionExpiryInterval", session.expiryIntervalSeconds() == Session.NEVER_EXPIRES ? null
                : session.expiryIntervalSeconds());
        json.put("queuedMessages", session.queuedMessages());
        json.put("queuedBytes", session.queuedBytes());
        json.put("inflightMessages", session.inflightMessages());
        List<Map<String, Object>> subscriptions = new ArrayList<>();
        for (Subscription subscription : session.subscriptions()) {
            subscriptions.add(subscription(subscription));
        }
        subscriptions.sort(Comparator.comparing(s -> (String) s.get("topicFilter")));
        json.put("subscriptions", subscriptions);
        return json;
    }

    private static Map<String, Object> subscription(Subscription subscription) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("topicFilter", subscription.clientFilter());
        json.put("qos", subscription.qos());
        json.put("noLocal", subscription.noLocal());
        json.put("retainAsPublished", subscription.retainAsPublished());
        json.put("shareName", subscription.shareName());
        return json;
    }

    private void disconnect(HttpExchange exchange, String clientId) {
        Session session = services.sessions().get(clientId);
        if (session == null) {
            exchange.error(HttpResponseStatus.NOT_FOUND, "no session for client id '" + clientId + "'");
            return;
        }
        AdminAnswers.answerWhenReady(exchange, session.disconnectByAdministrator().thenApply(wasConnected -> {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("clientId", clientId);
            result.put("disconnected", wasConnected);
            return result;
        }));
    }

    void subscriptions(HttpExchange exchange) {
        AdminAnswers.answerWhenReady(exchange, AdminAnswers.snapshots(services).thenApply(all -> {
            List<Map<String, Object>> subscriptions = new ArrayList<>();
            for (SessionSnapshot session : sorted(all)) {
                for (Subscription subscription : session.subscriptions()) {
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("clientId", session.clientId());
                    json.putAll(subscription(subscription));
                    subscriptions.add(json);
                }
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("count", subscriptions.size());
            result.put("subscriptions", subscriptions);
            return result;
        }));
    }
}
