package io.estafeta.broker.http.admin;

import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.config.HttpListenerConfig;
import io.estafeta.broker.config.ListenerConfig;
import io.estafeta.broker.http.BadRequestException;
import io.estafeta.broker.http.HttpExchange;
import io.estafeta.broker.http.HttpServices;
import io.estafeta.broker.http.ServerSentEvents;
import io.estafeta.broker.http.SessionTotals;
import io.estafeta.broker.http.json.JsonException;
import io.estafeta.broker.http.json.JsonReader;
import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.metrics.BrokerMetrics;
import io.estafeta.broker.routing.SharedSubscriptions;
import io.estafeta.broker.routing.Subscription;
import io.estafeta.broker.session.Session;
import io.estafeta.broker.session.SessionSnapshot;
import io.estafeta.protocol.Topics;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The admin API: JSON under {@code /api}, for operators and the dashboard. Every call reaching here has
 * passed {@link AdminAuthenticator}. docs/OPERATIONS.md is its reference.
 *
 * <p>Session state lives on the sessions' event loops, so reads of it are snapshots taken there
 * ({@link Session#inspect()}); answers are written when they are in, and the HTTP loop never waits.
 */
public final class AdminApi {

    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);

    static final int DEFAULT_RETAINED_LIMIT = 100;
    static final int MAX_RETAINED_LIMIT = 10_000;
    private static final int TOP_TOPICS = 10;
    private static final long STATS_INTERVAL_MILLIS = 1000;
    private static final long KEEP_ALIVE_INTERVAL_MILLIS = 15_000;
    /** Longest wait for every session's snapshot; a stuck event loop must not hang a request for ever. */
    public static final Duration SNAPSHOT_TIMEOUT = Duration.ofSeconds(5);
    private static final String WATCH = "admin-watch";

    private final HttpServices services;
    private final HttpListenerConfig httpConfig;
    private final TopTopics topTopics;

    public AdminApi(HttpServices services, HttpListenerConfig httpConfig) {
        this.services = services;
        this.httpConfig = httpConfig;
        this.topTopics = new TopTopics(services.internalSubscribers());
    }

    /** Answers a request whose path starts with {@code /api}. */
    public void handle(HttpExchange exchange) {
        List<String> path = exchange.segments().subList(1, exchange.segments().size());
        HttpMethod method = exchange.method();
        String resource = path.isEmpty() ? "" : path.get(0);
        if (method.equals(HttpMethod.POST) && !exchange.hasJsonBody()) {
            // A page elsewhere can make the browser send a form POST with the administrator's Basic
            // credentials, but not one with Content-Type application/json (that needs a CORS preflight,
            // which this listener never grants): so no cross-site request can change anything.
            exchange.error(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "POST requests must have Content-Type"
                    + " application/json");
            return;
        }
        try {
            switch (resource) {
                case "broker" -> only(exchange, HttpMethod.GET, path, 1, () -> exchange.ok(brokerInfo()));
                case "clients" -> clients(exchange, path, method);
                case "subscriptions" -> only(exchange, HttpMethod.GET, path, 1, () -> subscriptions(exchange));
                case "retained" -> retained(exchange, path, method);
                case "publish" -> {
                    if (requireMethod(exchange, HttpMethod.POST, path, 1)) {
                        publish(exchange);
                    }
                }
                case "stats" -> {
                    if (path.size() == 2 && path.get(1).equals("stream")) {
                        if (requireMethod(exchange, HttpMethod.GET, path, 2)) {
                            statsStream(exchange);
                        }
                    } else {
                        only(exchange, HttpMethod.GET, path, 1, () -> answerWhenReady(exchange, stats()));
                    }
                }
                case "watch" -> {
                    if (requireMethod(exchange, HttpMethod.GET, path, 1)) {
                        watch(exchange);
                    }
                }
                default -> exchange.error(HttpResponseStatus.NOT_FOUND, "no such API resource: /api/" + resource);
            }
        } catch (BadRequestException e) {
            exchange.error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        }
    }

    // ---------------------------------------------------------------- routing helpers

    private interface Action {
        void run() throws BadRequestException;
    }

    private static void only(HttpExchange exchange, HttpMethod method, List<String> path, int length, Action action)
            throws BadRequestException {
        if (requireMethod(exchange, method, path, length)) {
            action.run();
        }
    }

    private static boolean requireMethod(HttpExchange exchange, HttpMethod method, List<String> path, int length) {
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

    // ---------------------------------------------------------------- broker

    private Map<String, Object> brokerInfo() {
        BrokerConfig config = services.config();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", "Estafeta");
        info.put("version", services.version());
        long now = System.currentTimeMillis();
        info.put("startedAt", services.startedAtMillis());
        info.put("uptimeSeconds", (now - services.startedAtMillis()) / 1000);
        List<Map<String, Object>> listeners = new ArrayList<>();
        List<ListenerConfig> configured = config.listeners();
        for (int i = 0; i < configured.size(); i++) {
            Map<String, Object> listener = new LinkedHashMap<>();
            listener.put("protocol", configured.get(i).tls() == null ? "mqtt" : "mqtts");
            InetSocketAddress bound = services.mqttAddresses().get(i);
            listener.put("address", bound.getAddress().getHostAddress());
            listener.put("port", bound.getPort());
            listener.put("maxConnections", configured.get(i).maxConnections());
            listeners.add(listener);
        }
        info.put("listeners", listeners);
        Map<String, Object> http = new LinkedHashMap<>();
        http.put("tls", httpConfig.tls() != null);
        http.put("adminAuthentication", httpConfig.adminPasswordFile() != null);
        info.put("http", http);
        // What an operator checks: limits and switches. No password or key material, and no file contents.
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("allowAnonymous", config.allowAnonymous());
        summary.put("passwordFile", config.passwordFile() != null);
        summary.put("aclFile", config.aclFile() != null);
        summary.put("maxInflightMessages", config.maxInflightMessages());
        summary.put("maxQueuedMessages", config.maxQueuedMessages());
        summary.put("maxQueuedBytes", config.maxQueuedBytes());
        summary.put("queueQos0Messages", config.queueQos0Messages());
        summary.put("maxKeepalive", config.maxKeepalive());
        summary.put("maxPacketSize", config.maxPacketSize());
        summary.put("messageSizeLimit", config.messageSizeLimit());
        summary.put("retainAvailable", config.retainAvailable());
        summary.put("maxTopicAlias", config.maxTopicAlias());
        summary.put("maxTopicLength", config.clientLimits().maxTopicLength());
        summary.put("maxTopicLevels", config.clientLimits().maxTopicLevels());
        summary.put("maxSubscriptionsPerClient", config.clientLimits().maxSubscriptionsPerClient());
        summary.put("persistentClientExpirationSeconds", config.persistentClientExpiration() == null ? null
                : config.persistentClientExpiration().toSeconds());
        summary.put("connectTimeoutSeconds", config.connectTimeout().toSeconds());
        summary.put("persistence", config.persistence());
        info.put("config", summary);
        return info;
    }

    // ---------------------------------------------------------------- clients and subscriptions

    private void clients(HttpExchange exchange, List<String> path, HttpMethod method) throws BadRequestException {
        if (path.size() == 1) {
            if (requireMethod(exchange, HttpMethod.GET, path, 1)) {
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
            answerWhenReady(exchange, session.inspect().thenApply(AdminApi::client));
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
        Boolean wantConnected = connected == null ? null : parseBoolean("connected", connected);
        answerWhenReady(exchange, snapshots().thenApply(all -> {
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
        answerWhenReady(exchange, session.disconnectByAdministrator().thenApply(wasConnected -> {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("clientId", clientId);
            result.put("disconnected", wasConnected);
            return result;
        }));
    }

    private void subscriptions(HttpExchange exchange) {
        answerWhenReady(exchange, snapshots().thenApply(all -> {
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

    // ---------------------------------------------------------------- retained messages

    private void retained(HttpExchange exchange, List<String> path, HttpMethod method) throws BadRequestException {
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
        int limit = parseInt("limit", exchange.parameter("limit", Integer.toString(DEFAULT_RETAINED_LIMIT)), 1,
                MAX_RETAINED_LIMIT);
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
        services.retained().put(new ApplicationMessage(topic, new byte[0], 0, true, null));
        LOG.info("admin API: deleted the retained message on {}", topic);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("topic", topic);
        result.put("deleted", true);
        exchange.ok(result);
    }

    // ---------------------------------------------------------------- publish

    private void publish(HttpExchange exchange) throws BadRequestException {
        Map<String, Object> body = jsonObject(exchange.body());
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
        int deliveredTo = services.router().publish(message, null, null);
        LOG.info("admin API: published {} bytes on {} (QoS {}, retain {}) to {} subscriber(s)", payload.length,
                topic, qosNumber, retain, deliveredTo);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("topic", topic);
        result.put("deliveredTo", deliveredTo);
        exchange.ok(result);
    }

    private static Map<String, Object> jsonObject(String body) throws BadRequestException {
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

    // ---------------------------------------------------------------- live stats and watching

    /** Counters, gauges and the top topics right now; the dashboard turns counters into rates. */
    private CompletableFuture<Map<String, Object>> stats() {
        return snapshots().thenApply(all -> {
            SessionTotals totals = SessionTotals.of(all);
            BrokerMetrics.Snapshot counters = services.metrics().snapshot();
            Map<String, Object> stats = new LinkedHashMap<>();
            long now = System.currentTimeMillis();
            stats.put("time", now);
            stats.put("uptimeSeconds", (now - services.startedAtMillis()) / 1000);
            stats.put("clientsConnected", counters.connectedClients());
            stats.put("connectionsTotal", counters.totalConnections());
            stats.put("connectionsRefused", counters.connectionsRefused());
            stats.put("messagesReceived", counters.messagesReceived());
            stats.put("messagesSent", counters.messagesSent());
            stats.put("bytesReceived", counters.networkBytesReceived());
            stats.put("bytesSent", counters.networkBytesSent());
            stats.put("messagesDropped", counters.qos0DroppedSlowClient() + counters.droppedQueueFull()
                    + counters.droppedOversize() + counters.droppedNotAuthorized());
            stats.put("sessions", totals.sessions());
            stats.put("subscriptions", services.subscriptions().size()
                    - services.internalSubscribers().size());
            stats.put("retainedMessages", services.retained().size());
            stats.put("queuedMessages", totals.queuedMessages());
            stats.put("maxQueuedMessages", totals.maxQueuedMessages());
            stats.put("inflightMessages", totals.inflightMessages());
            stats.put("topTopics", topTopics.top(TOP_TOPICS, now));
            return stats;
        });
    }

    /** Every second, the stats as an SSE event named "stats", while the connection stays open. */
    private void statsStream(HttpExchange exchange) {
        ServerSentEvents events = ServerSentEvents.open(exchange.ctx());
        topTopics.watcherAdded();
        ScheduledFuture<?> ticks = exchange.ctx().executor().scheduleAtFixedRate(() -> {
            if (events.isWritable()) {
                stats().thenAccept(stats -> events.send("stats", stats));
            }
        }, 0, STATS_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        exchange.ctx().channel().closeFuture().addListener(closed -> {
            ticks.cancel(false);
            topTopics.watcherRemoved();
        });
    }

    /** The messages matching {@code ?filter=}, as SSE events named "message", until the connection closes. */
    private void watch(HttpExchange exchange) throws BadRequestException {
        String filter = exchange.parameter("filter", null);
        if (filter == null || !Topics.isValidTopicFilter(filter) || filter.startsWith(SharedSubscriptions.PREFIX)) {
            throw new BadRequestException("filter must be a topic filter (not a shared subscription), e.g. ?filter=a%2F%23");
        }
        ServerSentEvents events = ServerSentEvents.open(exchange.ctx());
        String id = services.internalSubscribers().add(WATCH, filter, new LiveFeed(events));
        LOG.info("admin API: watching {} for {}", filter, exchange.ctx().channel().remoteAddress());
        events.send("watching", Map.of("filter", filter));
        ScheduledFuture<?> keepAlive = exchange.ctx().executor().scheduleAtFixedRate(events::keepAlive,
                KEEP_ALIVE_INTERVAL_MILLIS, KEEP_ALIVE_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        exchange.ctx().channel().closeFuture().addListener(closed -> {
            keepAlive.cancel(false);
            services.internalSubscribers().remove(id, filter);
            LOG.debug("admin API: stopped watching {}", filter);
        });
    }

    // ---------------------------------------------------------------- helpers

    private CompletableFuture<List<SessionSnapshot>> snapshots() {
        return services.sessions().inspectAll().orTimeout(SNAPSHOT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void answerWhenReady(HttpExchange exchange, CompletableFuture<?> answer) {
        answer.orTimeout(SNAPSHOT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).whenComplete((value, failure) -> {
            if (failure != null) {
                LOG.warn("admin API: {} failed", exchange.segments(), failure);
                exchange.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "the broker did not answer in time");
            } else {
                exchange.ok(value);
            }
        });
    }

    private static boolean parseBoolean(String name, String value) throws BadRequestException {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new BadRequestException(name + " must be true or false, got '" + value + "'");
        };
    }

    private static int parseInt(String name, String value, int min, int max) throws BadRequestException {
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
}
