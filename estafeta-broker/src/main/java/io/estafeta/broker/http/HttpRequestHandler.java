package io.estafeta.broker.http;

import io.estafeta.broker.http.admin.AdminApi;
import io.estafeta.broker.http.admin.AdminAuthenticator;
import io.estafeta.broker.http.metrics.PrometheusMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Answers one HTTP connection's requests: {@code /metrics} without credentials, everything else (the admin
 * API under {@code /api}, the dashboard) only for an administrator, and not at all when the admin API is
 * off (no {@code admin_password_file}, no {@code admin_allow_anonymous true}).
 */
final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(HttpRequestHandler.class);
    private static final String REALM = "Basic realm=\"Estafeta admin\", charset=\"UTF-8\"";
    private static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String ADMIN_OFF = "the admin API is off: set admin_password_file"
            + " (or admin_allow_anonymous true) in the broker's configuration";

    private final HttpServices services;
    private final PrometheusMetrics metrics;
    private final AdminApi adminApi;
    private final AdminAuthenticator authenticator;
    private final DashboardResources dashboard;

    /** @param adminApi null when the admin API is off */
    HttpRequestHandler(HttpServices services, PrometheusMetrics metrics, AdminApi adminApi,
                       AdminAuthenticator authenticator, DashboardResources dashboard) {
        this.services = services;
        this.metrics = metrics;
        this.adminApi = adminApi;
        this.authenticator = authenticator;
        this.dashboard = dashboard;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            HttpResponses.error(ctx, false, HttpResponseStatus.BAD_REQUEST, "malformed HTTP request");
            return;
        }
        String uri = request.uri();
        int queryStart = uri.indexOf('?');
        String rawPath = queryStart < 0 ? uri : uri.substring(0, queryStart);
        List<String> segments = segments(rawPath);
        Map<String, List<String>> query = new QueryStringDecoder(uri).parameters();
        HttpExchange exchange = new HttpExchange(ctx, request.method(), segments, query,
                request.content().toString(StandardCharsets.UTF_8),
                request.headers().get(HttpHeaderNames.CONTENT_TYPE), keepAlive);
        if (segments.size() == 1 && segments.get(0).equals("metrics")) {
            metrics(exchange);
            return;
        }
        if (adminApi == null) {
            exchange.error(HttpResponseStatus.FORBIDDEN, ADMIN_OFF);
            return;
        }
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        authenticator.check(authorization).whenComplete((result, failure) -> ctx.executor().execute(() -> {
            if (failure != null || result == AdminAuthenticator.Result.BUSY) {
                exchange.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "too many logins being checked; try again");
            } else if (result == AdminAuthenticator.Result.DENIED) {
                LOG.info("HTTP {} {} from {}: refused, {}", request.method(), rawPath, ctx.channel().remoteAddress(),
                        authorization == null ? "no credentials" : "wrong credentials");
                FullHttpResponse refusal = HttpResponses.response(HttpResponseStatus.UNAUTHORIZED, HttpResponses.JSON,
                        ("{\"error\":\"administrator credentials required\",\"status\":401}")
                                .getBytes(StandardCharsets.UTF_8));
                refusal.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, REALM);
                if (authorization == null) {
                    // A browser asks without credentials first; that is no failed login.
                    HttpResponses.send(ctx, keepAlive, refusal);
                } else {
                    InetAddress address = ctx.channel().remoteAddress() instanceof InetSocketAddress inet
                            ? inet.getAddress() : null;
                    Duration delay = authenticator.recordFailure(address);
                    ctx.executor().schedule(() -> HttpResponses.send(ctx, keepAlive, refusal),
                            delay.toMillis(), TimeUnit.MILLISECONDS);
                }
            } else {
                admin(exchange);
            }
        }));
    }

    private void admin(HttpExchange exchange) {
        List<String> segments = exchange.segments();
        if (!segments.isEmpty() && segments.get(0).equals("api")) {
            adminApi.handle(exchange);
            return;
        }
        if (segments.size() > 1) {
            exchange.error(HttpResponseStatus.NOT_FOUND, "not found");
            return;
        }
        if (!exchange.method().equals(HttpMethod.GET)) {
            exchange.error(HttpResponseStatus.METHOD_NOT_ALLOWED, exchange.method() + " is not allowed here; use GET");
            return;
        }
        dashboard.find(segments.isEmpty() ? "" : segments.get(0)).ifPresentOrElse(
                file -> {
                    FullHttpResponse response = HttpResponses.response(HttpResponseStatus.OK, file.contentType(),
                            file.bytes());
                    // Nothing may load from elsewhere: the dashboard is self-contained.
                    response.headers().set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:");
                    HttpResponses.send(exchange.ctx(), exchange.keepAlive(), response);
                },
                () -> exchange.error(HttpResponseStatus.NOT_FOUND, "not found"));
    }

    private void metrics(HttpExchange exchange) {
        if (!exchange.method().equals(HttpMethod.GET)) {
            exchange.error(HttpResponseStatus.METHOD_NOT_ALLOWED, exchange.method() + " is not allowed here; use GET");
            return;
        }
        services.sessions().inspectAll()
                .orTimeout(AdminApi.SNAPSHOT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(SessionTotals::of)
                .whenComplete((totals, failure) -> {
                    if (failure != null) {
                        LOG.warn("metrics: session snapshots did not complete", failure);
                    }
                    String text = metrics.scrape(failure != null ? SessionTotals.NONE : totals);
                    HttpResponses.send(exchange.ctx(), exchange.keepAlive(), HttpResponseStatus.OK,
                            METRICS_CONTENT_TYPE, text.getBytes(StandardCharsets.UTF_8));
                });
    }

    /** The path's segments, each percent-decoded on its own, so that "%2F" stays inside its segment. */
    private static List<String> segments(String rawPath) {
        List<String> segments = new ArrayList<>();
        for (String segment : rawPath.split("/")) {
            if (!segment.isEmpty()) {
                // A '+' in a path is a plus sign (only forms turn it into a space).
                segments.add(QueryStringDecoder.decodeComponent(segment.replace("+", "%2B")));
            }
        }
        return segments;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("HTTP connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
