package io.estafeta.bench;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.TimeUnit;

/** The generator's event loops: epoll where Netty's native transport loads, NIO elsewhere. */
final class Transport implements AutoCloseable {

    private static final long SHUTDOWN_QUIET_MILLIS = 0;
    private static final long SHUTDOWN_TIMEOUT_MILLIS = 2_000;

    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;
    private final String name;
    private final int threads;

    private Transport(EventLoopGroup group, Class<? extends SocketChannel> channelType, String name, int threads) {
        this.group = group;
        this.channelType = channelType;
        this.name = name;
        this.threads = threads;
    }

    /** Event loops named after {@code role} ("bench-ROLE-..."), so that a thread listing tells them apart. */
    static Transport start(int threads, String role) {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory handlers = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new Transport(new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("bench-" + role), handlers),
                epoll ? EpollSocketChannel.class : NioSocketChannel.class, epoll ? "epoll" : "nio", threads);
    }

    EventLoopGroup group() {
        return group;
    }

    Class<? extends SocketChannel> channelType() {
        return channelType;
    }

    /** "epoll" or "nio", for the report. */
    String name() {
        return name;
    }

    int threads() {
        return threads;
    }

    @Override
    public void close() {
        group.shutdownGracefully(SHUTDOWN_QUIET_MILLIS, SHUTDOWN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .awaitUninterruptibly();
    }
}
