package io.estafeta.broker.http.admin;

import io.estafeta.broker.config.HttpListenerConfig;
import io.estafeta.broker.http.BadRequestException;
import io.estafeta.broker.http.HttpExchange;
import io.estafeta.broker.http.HttpServices;
import io.estafeta.broker.session.Session;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.time.Duration;
import java.util.List;

/**
 * The admin API: JSON under {@code /api}, for operators and the dashboard. Every call reaching here has
 * passed {@link AdminAuthenticator}; this class sends each to its resource. docs/OPERATIONS.md is the
 * reference.
 *
 * <p>Session state lives on the sessions' event loops, so reads of it are snapshots taken there
 * ({@link Session#inspect()}); answers are written when they are in, and the HTTP loop never waits.
 */
public final class AdminApi {

    /** Longest wait for every session's snapshot; a stuck event loop must not hang a request for ever. */
    public static final Duration SNAPSHOT_TIMEOUT = Duration.ofSeconds(5);

    private final BrokerInfo brokerInfo;
    private final ClientsResource clients;
    private final RetainedResource retained;
    private final PublishResource publish;
    private final LiveViews live;
    private final BridgesResource bridges;
    private final StoreResource store;

    public AdminApi(HttpServices services, HttpListenerConfig httpConfig) {
        this.brokerInfo = new BrokerInfo(services, httpConfig);
        this.clients = new ClientsResource(services);
        this.retained = new RetainedResource(services);
        this.publish = new PublishResource(services);
        this.live = new LiveViews(services);
        this.bridges = new BridgesResource(services);
        this.store = new StoreResource(services);
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
                case "broker" -> {
                    if (AdminAnswers.requireMethod(exchange, HttpMethod.GET, path, 1)) {
                        exchange.ok(brokerInfo.describe());
                    }
                }
                case "clients" -> clients.clients(exchange, path, method);
                case "subscriptions" -> {
                    if (AdminAnswers.requireMethod(exchange, HttpMethod.GET, path, 1)) {
                        clients.subscriptions(exchange);
                    }
                }
                case "retained" -> retained.retained(exchange, path, method);
                case "publish" -> {
                    if (AdminAnswers.requireMethod(exchange, HttpMethod.POST, path, 1)) {
                        publish.publish(exchange);
                    }
                }
                case "stats" -> {
                    if (path.size() == 2 && path.get(1).equals("stream")) {
                        if (AdminAnswers.requireMethod(exchange, HttpMethod.GET, path, 2)) {
                            live.statsStream(exchange);
                        }
                    } else if (AdminAnswers.requireMethod(exchange, HttpMethod.GET, path, 1)) {
                        AdminAnswers.answerWhenReady(exchange, live.stats());
                    }
                }
                case "bridges" -> {
                    if (AdminAnswers.requireMethod(exchange, HttpMethod.GET, path, 1)) {
                        exchange.ok(bridges.list());
                    }
                }
                case "store" -> {
                    if (path.size() == 2 && path.get(1).equals("checkpoint")) {
                        if (AdminAnswers.requireMethod(exchange, HttpMethod.POST, path, 2)) {
                            store.checkpoint(exchange);
                        }
                    } else {
                        exchange.error(HttpResponseStatus.NOT_FOUND, "no such API resource: /api/"
                                + String.join("/", path));
                    }
                }
                case "watch" -> {
                    if (AdminAnswers.requireMethod(exchange, HttpMethod.GET, path, 1)) {
                        live.watch(exchange);
                    }
                }
                default -> exchange.error(HttpResponseStatus.NOT_FOUND, "no such API resource: /api/" + resource);
            }
        } catch (BadRequestException e) {
            exchange.error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        }
    }
}
