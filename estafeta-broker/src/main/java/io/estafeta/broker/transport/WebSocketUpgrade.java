package io.estafeta.broker.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks the HTTP request that opens a MQTT over WebSocket connection before Netty's
 * {@link WebSocketServerProtocolHandler} answers it: the listener's path, GET, an upgrade to
 * {@code websocket}, and an MQTT subprotocol. Anything else gets an HTTP error and the connection is
 * closed (logged at DEBUG: a port scanner or a misconfigured client is not the operator's problem).
 * A good request is passed on and this handler leaves the pipeline.
 */
final class WebSocketUpgrade extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketUpgrade.class);

    /** [MQTT-6.0.0-3] clients offer "mqtt"; MQTT 3.1 clients (and Mosquitto) also use "mqttv3.1". */
    static final List<String> SUBPROTOCOLS = List.of("mqtt", "mqttv3.1");
    private static final Pattern LIST_SEPARATOR = Pattern.compile("\\s*,\\s*");
    private static final char QUERY_START = '?';

    private final String path;

    WebSocketUpgrade(String path) {
        this.path = path;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        String refusal;
        HttpResponseStatus status;
        if (request.decoderResult().isFailure()) {
            status = HttpResponseStatus.BAD_REQUEST;
            refusal = "not an HTTP request";
        } else if (!path.equals(pathOf(request.uri()))) {
            status = HttpResponseStatus.NOT_FOUND;
            refusal = "no MQTT over WebSocket at " + request.uri() + " (this listener serves " + path + ")";
        } else if (!HttpMethod.GET.equals(request.method())) {
            status = HttpResponseStatus.METHOD_NOT_ALLOWED;
            refusal = request.method() + " instead of GET";
        } else if (!isUpgradeToWebSocket(request)) {
            status = HttpResponseStatus.UPGRADE_REQUIRED;
            refusal = "not a WebSocket upgrade request";
        } else if (!offersMqtt(request)) {
            status = HttpResponseStatus.BAD_REQUEST;
            refusal = "no MQTT WebSocket subprotocol offered (" + SUBPROTOCOLS + "): "
                    + request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL) + " [MQTT-6.0.0-3]";
        } else {
            ctx.fireChannelRead(msg);
            ctx.pipeline().remove(this);
            return;
        }
        request.release();
        refuse(ctx, status, refusal);
    }

    private static String pathOf(String uri) {
        int query = uri.indexOf(QUERY_START);
        return query < 0 ? uri : uri.substring(0, query);
    }

    private static boolean isUpgradeToWebSocket(FullHttpRequest request) {
        String upgrade = request.headers().get(HttpHeaderNames.UPGRADE);
        return upgrade != null && HttpHeaderValues.WEBSOCKET.contentEqualsIgnoreCase(upgrade.trim())
                && request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    private static boolean offersMqtt(FullHttpRequest request) {
        for (String header : request.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)) {
            for (String offered : LIST_SEPARATOR.split(header.trim())) {
                if (SUBPROTOCOLS.contains(offered.toLowerCase(Locale.ROOT))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String why) {
        LOG.debug("refused a WebSocket upgrade from {}: {} ({})", ctx.channel().remoteAddress(), status, why);
        ByteBuf body = Unpooled.copiedBuffer(status + ": " + why + "\n", StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (status.equals(HttpResponseStatus.UPGRADE_REQUIRED)) {
            response.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
        } else if (status.equals(HttpResponseStatus.METHOD_NOT_ALLOWED)) {
            response.headers().set(HttpHeaderNames.ALLOW, HttpMethod.GET.name());
        }
        HttpUtil.setContentLength(response, body.readableBytes());
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
