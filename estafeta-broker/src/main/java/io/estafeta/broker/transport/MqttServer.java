package io.estafeta.broker.transport;

import io.estafeta.broker.BrokerStartException;
import io.estafeta.broker.auth.Authenticator;
import io.estafeta.broker.auth.Authorizer;
import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.config.ListenerConfig;
import io.estafeta.broker.metrics.BrokerMetrics;
import io.estafeta.broker.routing.Router;
import io.estafeta.broker.session.SessionRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The network side of the broker: event loops, listeners, and every open connection. Uses epoll on
 * Linux and NIO elsewhere.
 */
public final class MqttServer {

    private static final Logger LOG = LoggerFactory.getLogger(MqttServer.class);
    /** Past this much unsent data a connection counts as slow (QoS 0 messages to it are dropped). */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(512 * 1024, 1024 * 1024);
    private static final int ACCEPT_BACKLOG = 1024;
    /** Netty's default for a stream channel (ChannelMetadata): reads of one socket per event-loop wake-up. */
    private static final int READS_PER_WAKE_UP = 16;
    /**
     * One receive-buffer allocator for every connection instead of one each (32 bytes of heap per
     * connection): Netty's default kind and settings. It holds settings only; each channel's handle keeps
     * its own guess of the next read's size.
     */
    private static final RecvByteBufAllocator RECEIVE_BUFFERS =
            new AdaptiveRecvByteBufAllocator().maxMessagesPerRead(READS_PER_WAKE_UP);
    private static final long SHUTDOWN_QUIET_MILLIS = 0;
    private static final long SHUTDOWN_TIMEOUT_MILLIS = 2_000;
    /** How often a TLS listener's certificate files are checked for a renewal. */
    private static final long TLS_RELOAD_CHECK_MILLIS = 2_000;

    private final EventLoopGroup acceptors;
    private final EventLoopGroup workers;
    private final Class<? extends ServerChannel> serverChannelType;
    private final ChannelGroup connections = new DefaultChannelGroup("connections", GlobalEventExecutor.INSTANCE);
    private final List<Channel> serverChannels = new ArrayList<>();
    private final ConnectionServices services;
    private final AuthenticationExecutor authentication;
    private final List<ScheduledFuture<?>> tlsReloads = new ArrayList<>();
    private final ConnectionAdmission admission;
    private final OutboundMemoryBudget outboundBudget;

    public MqttServer(BrokerConfig config, SessionRegistry sessions, Router router, Authenticator authenticator,
                      Authorizer authorizer, BrokerMetrics metrics) {
        IoHandlerFactory ioHandlers = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.serverChannelType = Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        this.acceptors = new MultiThreadIoEventLoopGroup(1, ioHandlers);
        this.workers = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), ioHandlers);
        this.authentication = new AuthenticationExecutor();
        WillPublisher wills = new WillPublisher(config.clientLimits(), authorizer, router);
        this.services = new ConnectionServices(config, sessions, router, wills, authenticator, authorizer,
                authentication, metrics, connections, new KeepAliveSweeps());
        this.admission = new ConnectionAdmission(config.trafficLimits(), metrics);
        this.outboundBudget = new OutboundMemoryBudget(config.trafficLimits(), metrics, connections);
    }

    /** Publishes wills as the connections do: for wills that were pending when the broker stopped. */
    public WillPublisher wills() {
        return services.wills();
    }

    /** Bytes written to connections and not yet taken by their sockets, all together. */
    public long outboundPendingBytes() {
        return outboundBudget.pendingBytes();
    }

    /** An event loop for housekeeping tasks (session expiry sweeps). */
    public EventLoopGroup workers() {
        return workers;
    }

    /**
     * Binds every listener. On failure closes what was bound and throws.
     *
     * @return the bound addresses, in listener order
     */
    public List<InetSocketAddress> bind(List<ListenerConfig> listeners) {
        List<InetSocketAddress> bound = new ArrayList<>();
        for (ListenerConfig listener : listeners) {
            ServerTlsContext tls = null;
            if (listener.tls() != null) {
                try {
                    tls = ServerTlsContext.load(listener.tls(), listener.describe());
                } catch (IOException e) {
                    close();
                    throw new BrokerStartException("cannot listen on " + listener.describe()
                            + ": unusable TLS certificate or key: " + e.getMessage(), e);
                }
                ServerTlsContext watched = tls;
                // Checked on one worker loop, so never concurrently; a renewed certificate needs no restart.
                tlsReloads.add(workers.next().scheduleWithFixedDelay(watched::reloadIfChanged,
                        TLS_RELOAD_CHECK_MILLIS, TLS_RELOAD_CHECK_MILLIS, TimeUnit.MILLISECONDS));
            }
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(acceptors, workers)
                    .channel(serverChannelType)
                    .option(ChannelOption.SO_BACKLOG, ACCEPT_BACKLOG)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                    .childOption(ChannelOption.RCVBUF_ALLOCATOR, RECEIVE_BUFFERS)
                    .childHandler(new MqttChannelInitializer(services, listener, tls, admission, outboundBudget));
            InetSocketAddress address = listener.bindAddress() == null
                    ? new InetSocketAddress(listener.port())
                    : new InetSocketAddress(listener.bindAddress(), listener.port());
            if (address.isUnresolved()) {
                close();
                throw new BrokerStartException("cannot listen on " + listener.describe()
                        + ": unknown address " + listener.bindAddress(), null);
            }
            try {
                Channel channel = bootstrap.bind(address).syncUninterruptibly().channel();
                serverChannels.add(channel);
                bound.add((InetSocketAddress) channel.localAddress());
            } catch (Exception e) {
                close();
                throw new BrokerStartException("cannot listen on " + listener.describe() + ": " + e.getMessage(), e);
            }
        }
        return bound;
    }

    /**
     * Stops accepting, publishes the wills of connected clients, flushes and closes every connection,
     * and stops the event loops.
     */
    public void close() {
        tlsReloads.forEach(reload -> reload.cancel(false));
        tlsReloads.clear();
        for (Channel serverChannel : serverChannels) {
            serverChannel.close().awaitUninterruptibly();
        }
        serverChannels.clear();
        List<Future<?>> wills = new ArrayList<>();
        for (Channel channel : connections) {
            MqttConnection connection = channel.pipeline().get(MqttConnection.class);
            if (connection != null) {
                wills.add(channel.eventLoop().submit(connection::publishWillForShutdown));
            }
        }
        wills.forEach(Future::awaitUninterruptibly);
        List<Future<?>> closes = new ArrayList<>();
        for (Channel channel : connections) {
            MqttConnection connection = channel.pipeline().get(MqttConnection.class);
            if (connection != null) {
                // Queued behind the will deliveries already handed to this loop, so they go out first.
                closes.add(channel.eventLoop().submit(connection::closeForShutdown));
            } else {
                closes.add(channel.close());
            }
        }
        closes.forEach(future -> future.awaitUninterruptibly(SHUTDOWN_TIMEOUT_MILLIS));
        connections.close().awaitUninterruptibly(SHUTDOWN_TIMEOUT_MILLIS);
        Future<?> workersDone = workers.shutdownGracefully(SHUTDOWN_QUIET_MILLIS, SHUTDOWN_TIMEOUT_MILLIS,
                TimeUnit.MILLISECONDS);
        Future<?> acceptorsDone = acceptors.shutdownGracefully(SHUTDOWN_QUIET_MILLIS, SHUTDOWN_TIMEOUT_MILLIS,
                TimeUnit.MILLISECONDS);
        workersDone.awaitUninterruptibly();
        acceptorsDone.awaitUninterruptibly();
        authentication.close();
        LOG.debug("network stopped");
    }
}
