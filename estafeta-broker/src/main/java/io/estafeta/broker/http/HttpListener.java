package io.estafeta.broker.http;

import io.estafeta.broker.BrokerStartException;
import io.estafeta.broker.auth.PasswordFile;
import io.estafeta.broker.config.ConfigException;
import io.estafeta.broker.config.HttpListenerConfig;
import io.estafeta.broker.http.admin.AdminApi;
import io.estafeta.broker.http.admin.AdminAuthenticator;
import io.estafeta.broker.http.metrics.PrometheusMetrics;
import io.estafeta.broker.transport.ServerTlsContext;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The broker's HTTP listener ({@code http_listener}): Prometheus metrics at {@code /metrics}, and, for
 * administrators, the admin API under {@code /api} and the dashboard at {@code /}. It runs on one event loop
 * of its own, so that a busy dashboard does not take time from MQTT connections. See docs/OPERATIONS.md.
 */
public final class HttpListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpListener.class);
    /** The largest request body accepted (a publish from the dashboard); larger ones get 413. */
    private static final int MAX_REQUEST_BYTES = 1024 * 1024;
    private static final long SHUTDOWN_QUIET_MILLIS = 0;
    private static final long SHUTDOWN_TIMEOUT_MILLIS = 2_000;

    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final PrometheusMetrics metrics;
    private final AdminAuthenticator authenticator;
    private final InetSocketAddress address;

    private HttpListener(EventLoopGroup group, Channel serverChannel, PrometheusMetrics metrics,
                         AdminAuthenticator authenticator) {
        this.group = group;
        this.serverChannel = serverChannel;
        this.metrics = metrics;
        this.authenticator = authenticator;
        this.address = (InetSocketAddress) serverChannel.localAddress();
    }

    /**
     * Binds the listener.
     *
     * @throws BrokerStartException if the admin password file or the TLS files cannot be used, or the port
     *                              cannot be bound
     */
    public static HttpListener start(HttpListenerConfig config, HttpServices services) {
        AdminAuthenticator authenticator = new AdminAuthenticator(adminPasswords(config));
        ServerTlsContext tls = null;
        if (config.tls() != null) {
            try {
                tls = ServerTlsContext.load(config.tls(), config.describe());
            } catch (IOException e) {
                authenticator.close();
                throw new BrokerStartException("cannot listen on " + config.describe()
                        + ": unusable TLS certificate or key: " + e.getMessage(), e);
            }
        }
        AdminApi adminApi = config.adminEnabled() ? new AdminApi(services, config) : null;
        if (adminApi == null) {
            LOG.warn("HTTP listener {}: admin API and dashboard are off (no admin_password_file);"
                    + " serving /metrics only", config.describe());
        } else if (!authenticator.required()) {
            LOG.warn("HTTP listener {}: admin API and dashboard WITHOUT authentication (admin_allow_anonymous true):"
                    + " anyone who reaches this address can administer the broker", config.describe());
        }
        PrometheusMetrics metrics = new PrometheusMetrics(services);
        DashboardResources dashboard = DashboardResources.load();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        ServerTlsContext serverTls = tls;
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (serverTls != null) {
                            channel.pipeline().addLast("tls", serverTls.current().newHandler(channel.alloc()));
                        }
                        channel.pipeline()
                                .addLast("http", new HttpServerCodec())
                                .addLast("keepAlive", new HttpServerKeepAliveHandler())
                                .addLast("aggregator", new HttpObjectAggregator(MAX_REQUEST_BYTES))
                                .addLast("handler", new HttpRequestHandler(services, metrics, adminApi,
                                        authenticator, dashboard));
                    }
                });
        InetSocketAddress bindAddress = new InetSocketAddress(config.bindAddress(), config.port());
        try {
            if (bindAddress.isUnresolved()) {
                throw new IOException("unknown address " + config.bindAddress());
            }
            Channel channel = bootstrap.bind(bindAddress).syncUninterruptibly().channel();
            HttpListener listener = new HttpListener(group, channel, metrics, authenticator);
            LOG.info("HTTP listener on {}", config.describe().replace(":" + config.port(), ":" + listener.port()));
            return listener;
        } catch (Exception e) {
            group.shutdownGracefully(SHUTDOWN_QUIET_MILLIS, SHUTDOWN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            metrics.close();
            authenticator.close();
            throw new BrokerStartException("cannot listen on " + config.describe() + ": " + e.getMessage(), e);
        }
    }

    private static PasswordFile adminPasswords(HttpListenerConfig config) {
        if (config.adminPasswordFile() == null) {
            return null;
        }
        try {
            PasswordFile passwords = PasswordFile.load(config.adminPasswordFile());
            if (passwords.size() == 0) {
                LOG.warn("admin_password_file {} has no users: nobody can use the admin API",
                        config.adminPasswordFile());
            }
            return passwords;
        } catch (ConfigException e) {
            throw new BrokerStartException(e.getMessage(), e);
        }
    }

    /** The bound address (port 0 in the configuration resolved). */
    public InetSocketAddress address() {
        return address;
    }

    public int port() {
        return address.getPort();
    }

    /** Closes the listener and every HTTP connection (live streams included). */
    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly();
        group.shutdownGracefully(SHUTDOWN_QUIET_MILLIS, SHUTDOWN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                .awaitUninterruptibly();
        authenticator.close();
        metrics.close();
    }
}
