package io.estafeta.broker.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.List;
import java.util.Map;

/**
 * One HTTP request, read, with the means to answer it.
 *
 * @param segments the path split at '/', each segment percent-decoded (so a client id may hold an encoded '/')
 * @param query    the query parameters, decoded
 * @param body     the request body as UTF-8 text (empty if none)
 */
public record HttpExchange(ChannelHandlerContext ctx, HttpMethod method, List<String> segments,
                           Map<String, List<String>> query, String body, String contentType, boolean keepAlive) {

    /** Whether the request said its body is JSON ({@code application/json}, any parameters). */
    public boolean hasJsonBody() {
        return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("application/json");
    }

    /** The first value of a query parameter, or {@code fallback}. */
    public String parameter(String name, String fallback) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? fallback : values.get(0);
    }

    public void json(HttpResponseStatus status, Object value) {
        HttpResponses.json(ctx, keepAlive, status, value);
    }

    public void ok(Object value) {
        json(HttpResponseStatus.OK, value);
    }

    public void error(HttpResponseStatus status, String message) {
        HttpResponses.error(ctx, keepAlive, status, message);
    }
}
