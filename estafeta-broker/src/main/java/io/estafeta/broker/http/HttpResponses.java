package io.estafeta.broker.http;

import io.estafeta.broker.http.json.JsonWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Writes complete HTTP responses: JSON, text, bytes, and the JSON error every failure answers with. */
public final class HttpResponses {

    public static final String JSON = "application/json; charset=utf-8";

    private HttpResponses() {
    }

    /** A JSON value (see {@link JsonWriter}) with the given status. */
    public static void json(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, Object value) {
        send(ctx, keepAlive, status, JSON, JsonWriter.write(value).getBytes(StandardCharsets.UTF_8));
    }

    /** {@code {"error": "...", "status": N}}: what every refused or failed request gets. */
    public static void error(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, String message) {
        json(ctx, keepAlive, status, Map.of("error", message, "status", status.code()));
    }

    public static void send(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status,
                            String contentType, byte[] body) {
        send(ctx, keepAlive, response(status, contentType, body));
    }

    public static FullHttpResponse response(HttpResponseStatus status, String contentType, byte[] body) {
        ByteBuf content = Unpooled.wrappedBuffer(body);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        // The dashboard and API are never framed or sniffed into another type.
        response.headers().set("X-Content-Type-Options", "nosniff");
        response.headers().set("X-Frame-Options", "DENY");
        return response;
    }

    public static void send(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse response) {
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
