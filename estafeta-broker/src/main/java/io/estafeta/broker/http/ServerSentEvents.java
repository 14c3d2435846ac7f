package io.estafeta.broker.http;

import io.estafeta.broker.http.json.JsonWriter;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/**
 * A Server-Sent Events stream (HTML Living Standard, "Server-sent events") on one HTTP connection: a chunked
 * {@code text/event-stream} response that stays open, one JSON event at a time. The connection is used for
 * nothing else afterwards.
 */
public final class ServerSentEvents {

    /** How long a browser waits before reconnecting a dropped stream, in milliseconds. */
    private static final int RETRY_MILLIS = 2000;

    private final Channel channel;

    private ServerSentEvents(Channel channel) {
        this.channel = channel;
    }

    /** Sends the response head and opens the stream. */
    public static ServerSentEvents open(ChannelHandlerContext ctx) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        response.headers().set("X-Content-Type-Options", "nosniff");
        HttpUtil.setTransferEncodingChunked(response, true);
        ctx.write(response);
        ServerSentEvents events = new ServerSentEvents(ctx.channel());
        events.write("retry: " + RETRY_MILLIS + "\n\n");
        return events;
    }

    /** Sends one event whose data is a JSON value. Any thread. */
    public void send(String eventName, Object data) {
        // JSON text has no raw newlines (JsonWriter escapes them), so it fits one "data:" line.
        write("event: " + eventName + "\ndata: " + JsonWriter.write(data) + "\n\n");
    }

    /** A comment line: keeps proxies from closing an idle stream. */
    public void keepAlive() {
        write(": keep-alive\n\n");
    }

    /** Whether the socket can take more now; a slow reader's events are dropped, not buffered. */
    public boolean isWritable() {
        return channel.isActive() && channel.isWritable();
    }

    public Channel channel() {
        return channel;
    }

    private void write(String text) {
        channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8))),
                channel.voidPromise());
    }
}
