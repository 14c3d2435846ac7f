package io.estafeta.client;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.util.concurrent.TimeUnit;

/**
 * Event loops for clients, with the socket type that fits them (epoll on Linux, NIO elsewhere).
 * One instance may carry thousands of clients on a few threads: pass it to
 * {@link MqttClientOptions.Builder#eventLoops} and close it after the clients.
 */
public final class ClientEventLoops implements AutoCloseable {

    private static final long SHUTDOWN_QUIET_MILLIS = 0;
    private static final long SHUTDOWN_TIMEOUT_MILLIS = 2_000;

    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;

    private ClientEventLoops(EventLoopGroup group, Class<? extends SocketChannel> channelType) {
        this.group = group;
        this.channelType = channelType;
    }

    /** Starts {@code threads} event loops (epoll when available). */
    public static ClientEventLoops create(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory handlers = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new ClientEventLoops(new MultiThreadIoEventLoopGroup(threads, handlers),
                epoll ? EpollSocketChannel.class : NioSocketChannel.class);
    }

    EventLoopGroup group() {
        return group;
    }

    Class<? extends SocketChannel> channelType() {
        return channelType;
    }

    /** Stops the threads; every client using them should be closed first. Waits until they are gone. */
    @Override
    public void close() {
        group.shutdownGracefully(SHUTDOWN_QUIET_MILLIS, SHUTDOWN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .awaitUninterruptibly();
    }
}
