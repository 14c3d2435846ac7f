package io.estafeta.client;

import io.estafeta.protocol.Topics;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An asynchronous MQTT client (3.1, 3.1.1, 5.0) on Netty.
 *
 * <pre>{@code
 * try (MqttClient client = new MqttClient(MqttClientOptions.builder().port(1883).build())) {
 *     client.setMessageListener(message -> System.out.println(message.topic()));
 *     client.connect().join();
 *     client.subscribe(List.of(new Subscription("a/#", MqttQoS.AT_LEAST_ONCE))).join();
 *     client.publish("a/b", "hola".getBytes(UTF_8), MqttQoS.EXACTLY_ONCE, false).join();
 *     client.disconnect().join();
 * }
 * }</pre>
 *
 * <p>Every method may be called from any thread. The client's state is confined to one event loop,
 * taken once from the (possibly shared) {@link ClientEventLoops} and kept across reconnects; calls
 * from other threads are handed to it. Futures complete on that loop: do not block in their callbacks.
 *
 * <p>Outgoing messages: QoS 0 completes once written to the socket, QoS 1 on PUBACK, QoS 2 on PUBCOMP.
 * At most {@link MqttClientOptions#maxInflight()} QoS 1/2 messages are unacknowledged at once, and
 * nothing more is written while the socket's send buffer is full; later messages wait in order. Messages
 * stay in the session while it outlives the connection (clean start 0) or while a reconnect is coming,
 * and are re-sent when it resumes; otherwise a lost connection fails their futures.
 */
public final class MqttClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MqttClient.class);
    /** Above this much unsent data the socket counts as full and publishing pauses (TCP backpressure). */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(256 * 1024, 1024 * 1024);
    /** How long {@link #close()} waits for a DISCONNECT to be written. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    private static final int NORMAL_DISCONNECTION = MqttReasonCodes.Disconnect.NORMAL_DISCONNECT.byteValue();

    private enum State { DISCONNECTED, CONNECTING, CONNECTED, DISCONNECTING, CLOSED }

    private final MqttClientOptions options;
    private final ClientEventLoops ownEventLoops;
    private final EventLoop loop;
    private final Bootstrap bootstrap;
    /** Plain TCP connections that check whether the first address is back; null unless the options ask for it. */
    private final Bootstrap firstAddressProbe;
    private final ClientSession session;
    private final String logName;

    private volatile MessageListener messageListener = message -> { };
    private volatile ConnectionListener connectionListener = new ConnectionListener() { };

    // Confined to the event loop.
    private State state = State.DISCONNECTED;
    private Channel channel;
    private CompletableFuture<ConnAck> connecting;
    private boolean reconnectAttempt;
    private Duration lastReconnectDelay;
    private ScheduledFuture<?> reconnectTimer;
    /** Index into {@link MqttClientOptions#addresses()} of the server tried now; volatile for {@link #currentAddress()}. */
    private volatile int addressIndex;
    private ScheduledFuture<?> connectDeadline;
    private CompletableFuture<Void> disconnecting;
    private ScheduledFuture<?> probeTimer;
    private Channel probeChannel;

    public MqttClient(MqttClientOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.ownEventLoops = options.eventLoops() == null ? ClientEventLoops.create(1) : null;
        ClientEventLoops eventLoops = ownEventLoops != null ? ownEventLoops : options.eventLoops();
        this.loop = eventLoops.group().next();
        this.logName = options.clientId().isEmpty() ? "client@" + options.addresses().getFirst()
                : options.clientId();
        this.session = new ClientSession(() -> messageListener, logName);
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(eventLoops.channelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        buildPipeline(ch.pipeline());
                    }
                });
        this.firstAddressProbe = !options.returnsToFirstAddress() ? null : new Bootstrap()
                .group(loop)
                .channel(eventLoops.channelType())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // Nothing is sent or read: the probe asks only whether the address accepts TCP, as
                        // Mosquitto's does.
                    }
                });
    }

    public MqttClientOptions options() {
        return options;
    }

    /** Receives the messages the server delivers; set it before connecting (a resumed session may deliver at once). */
    public void setMessageListener(MessageListener listener) {
        this.messageListener = Objects.requireNonNull(listener, "listener");
    }

    public void setConnectionListener(ConnectionListener listener) {
        this.connectionListener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Opens the connection and sends CONNECT.
     *
     * @return completes with the CONNACK when the server accepts; fails with
     * {@link ConnectionRefusedException} when it refuses, or with the network error or timeout
     */
    public CompletableFuture<ConnAck> connect() {
        CompletableFuture<ConnAck> result = new CompletableFuture<>();
        onLoop(result, () -> {
            switch (state) {
                case DISCONNECTED -> {
                    cancelReconnect();
                    connecting = result;
                    openConnection(false);
                }
                case CONNECTING -> forward(connecting, result);
                case CONNECTED -> result.completeExceptionally(new MqttClientException("already connected"));
                case DISCONNECTING -> result.completeExceptionally(new MqttClientException("disconnecting"));
                case CLOSED -> result.completeExceptionally(closedException());
            }
        });
        return result;
    }

    public CompletableFuture<Void> publish(String topic, byte[] payload, MqttQoS qos, boolean retain) {
        return publish(topic, payload, qos, retain, MqttProperties.NO_PROPERTIES);
    }

    /**
     * Publishes an application message.
     *
     * @param properties PUBLISH properties, sent in 5.0 only
     * @return completes when the message is written (QoS 0), acknowledged by PUBACK (QoS 1) or by
     * PUBCOMP (QoS 2); fails with {@link PublishFailedException} when a 5.0 server refuses it
     */
    public CompletableFuture<Void> publish(String topic, byte[] payload, MqttQoS qos, boolean retain,
                                           MqttProperties properties) {
        Objects.requireNonNull(payload, "payload");
        CompletableFuture<Void> result = new CompletableFuture<>();
        if (!Topics.isValidTopicName(topic)) {
            result.completeExceptionally(new IllegalArgumentException("invalid topic name: " + topic));
            return result;
        }
        if (qos == null || qos == MqttQoS.FAILURE) {
            result.completeExceptionally(new IllegalArgumentException("qos must be 0, 1 or 2"));
            return result;
        }
        MqttProperties sent = options.version() == MqttVersion.MQTT_5 && properties != null
                ? properties : MqttProperties.NO_PROPERTIES;
        OutgoingPublish message = new OutgoingPublish(topic, payload, qos, retain, sent, result);
        onLoop(result, () -> {
            if (state == State.CONNECTED || state == State.CONNECTING || reconnectTimer != null) {
                session.publish(message);
            } else {
                result.completeExceptionally(state == State.CLOSED ? closedException()
                        : new MqttClientException("not connected"));
            }
        });
        return result;
    }

    public CompletableFuture<SubAck> subscribe(String filter, MqttQoS qos) {
        return subscribe(List.of(new Subscription(filter, qos)));
    }

    public CompletableFuture<SubAck> subscribe(List<Subscription> subscriptions) {
        return subscribe(subscriptions, MqttProperties.NO_PROPERTIES);
    }

    /**
     * Sends SUBSCRIBE; needs an accepted connection.
     *
     * @param properties SUBSCRIBE properties (5.0 only: subscription identifier, user properties)
     * @return the SUBACK: one code per filter, in order
     */
    public CompletableFuture<SubAck> subscribe(List<Subscription> subscriptions, MqttProperties properties) {
        CompletableFuture<SubAck> result = new CompletableFuture<>();
        if (subscriptions.isEmpty()) {
            // [MQTT-3.8.3-3] a SUBSCRIBE carries at least one filter.
            result.completeExceptionally(new IllegalArgumentException("no topic filter"));
            return result;
        }
        for (Subscription subscription : subscriptions) {
            if (!Topics.isValidTopicFilter(subscription.filter())) {
                result.completeExceptionally(new IllegalArgumentException("invalid topic filter: "
                        + subscription.filter()));
                return result;
            }
        }
        MqttProperties sent = versionProperties(properties);
        onLoop(result, () -> forward(session.subscribe(List.copyOf(subscriptions), sent), result));
        return result;
    }

    public CompletableFuture<UnsubAck> unsubscribe(List<String> filters) {
        return unsubscribe(filters, MqttProperties.NO_PROPERTIES);
    }

    /** Sends UNSUBSCRIBE; needs an accepted connection. */
    public CompletableFuture<UnsubAck> unsubscribe(List<String> filters, MqttProperties properties) {
        CompletableFuture<UnsubAck> result = new CompletableFuture<>();
        if (filters.isEmpty()) {
            // [MQTT-3.10.3-2] an UNSUBSCRIBE carries at least one filter.
            result.completeExceptionally(new IllegalArgumentException("no topic filter"));
            return result;
        }
        for (String filter : filters) {
            if (!Topics.isValidTopicFilter(filter)) {
                result.completeExceptionally(new IllegalArgumentException("invalid topic filter: " + filter));
                return result;
            }
        }
        MqttProperties sent = versionProperties(properties);
        onLoop(result, () -> forward(session.unsubscribe(List.copyOf(filters), sent), result));
        return result;
    }

    /** Sends DISCONNECT (reason 0: normal, the will is not published) and closes the connection. */
    public CompletableFuture<Void> disconnect() {
        return disconnect(NORMAL_DISCONNECTION, MqttProperties.NO_PROPERTIES);
    }

    /**
     * Sends DISCONNECT and closes the connection; automatic reconnect stops. Messages not yet sent fail;
     * those in flight stay in a session that outlives the connection (clean start 0).
     *
     * @param reasonCode DISCONNECT reason code (5.0 only; 0x04 asks the server to publish the will)
     * @return completes when the connection is closed
     */
    public CompletableFuture<Void> disconnect(int reasonCode, MqttProperties properties) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        onLoop(result, () -> startDisconnect(reasonCode, versionProperties(properties), result));
        return result;
    }

    /** Whether the server has accepted the current connection. A snapshot: it may change at once. */
    public boolean isConnected() {
        if (loop.inEventLoop()) {
            return state == State.CONNECTED;
        }
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        onLoop(answer, () -> answer.complete(state == State.CONNECTED));
        return answer.join();
    }

    /**
     * Disconnects (sending DISCONNECT if connected), fails whatever is still pending, and frees the
     * client's own event loop. Idempotent. Called on the client's event loop it does not wait.
     */
    @Override
    public void close() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        onLoop(closed, () -> {
            if (state == State.CLOSED) {
                closed.complete(null);
                return;
            }
            CompletableFuture<Void> disconnected = new CompletableFuture<>();
            startDisconnect(NORMAL_DISCONNECTION, MqttProperties.NO_PROPERTIES, disconnected);
            disconnected.whenComplete((ignored, failure) -> {
                state = State.CLOSED;
                session.discard(closedException());
                closed.complete(null);
            });
        });
        if (!loop.inEventLoop()) {
            try {
                closed.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.debug("{}: close did not finish cleanly", logName, e);
            }
        }
        if (ownEventLoops != null) {
            if (loop.inEventLoop()) {
                ownEventLoops.group().shutdownGracefully(0, CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } else {
                ownEventLoops.close();
            }
        }
    }

    /**
     * The event loop this client's state and callbacks live on. Work that should share it (no thread
     * hop, no locks) may run there, e.g. the session of a broker's bridge.
     */
    public EventLoop eventLoop() {
        return loop;
    }

    /** The server connected to, or to be tried next. A snapshot, from any thread. */
    public ServerAddress currentAddress() {
        return options.addresses().get(addressIndex);
    }

    // ---- called by ClientChannelHandler, on the loop ----

    void connAckReceived(Channel from, ConnAck connAck) {
        if (from != channel || state != State.CONNECTING) {
            return;
        }
        cancelConnectDeadline();
        if (!connAck.isAccepted()) {
            // Forget this channel first: its close is not a lost connection.
            channel = null;
            state = State.DISCONNECTED;
            from.close();
            connectionAttemptFailed(new ConnectionRefusedException(connAck));
            return;
        }
        state = State.CONNECTED;
        lastReconnectDelay = null;
        int serverReceiveMaximum = connAck.receiveMaximum().orElse(MqttClientOptions.MAX_INFLIGHT_LIMIT);
        session.attach(from, connAck, options.cleanStart(), Math.min(options.maxInflight(), serverReceiveMaximum));
        CompletableFuture<ConnAck> waiting = connecting;
        connecting = null;
        if (waiting != null) {
            waiting.complete(connAck);
        }
        scheduleFirstAddressProbe();
        try {
            connectionListener.connected(connAck);
        } catch (RuntimeException e) {
            LOG.warn("{}: connection listener failed", logName, e);
        }
    }

    void connectionClosed(Channel from, Throwable cause) {
        if (from != channel) {
            return;
        }
        channel = null;
        cancelConnectDeadline();
        cancelFirstAddressProbe();
        Throwable reported = cause != null ? cause : new MqttClientException("connection closed by the server");
        switch (state) {
            case CONNECTING -> {
                state = State.DISCONNECTED;
                connectionAttemptFailed(reported instanceof MqttClientException ? reported
                        : new MqttClientException("connection failed: " + describe(reported), reported));
            }
            case CONNECTED -> {
                state = State.DISCONNECTED;
                boolean willReconnect = options.reconnect().enabled();
                MqttClientException lost = new MqttClientException("connection lost: " + describe(reported), reported);
                session.detach(lost, willReconnect || !options.cleanStart());
                LOG.debug("{}: connection lost ({})", logName, describe(reported));
                if (options.returnsToFirstAddress()) {
                    // The main address comes first again; the others follow if it fails.
                    addressIndex = 0;
                }
                if (willReconnect && reported instanceof FirstAddressAvailableException) {
                    // It accepted a TCP connection just now: no reason to wait.
                    reconnectAfter(Duration.ZERO);
                } else if (willReconnect) {
                    scheduleReconnect();
                }
                try {
                    connectionListener.connectionLost(reported, willReconnect);
                } catch (RuntimeException e) {
                    LOG.warn("{}: connection listener failed", logName, e);
                }
            }
            case DISCONNECTING -> {
                state = State.DISCONNECTED;
                if (options.returnsToFirstAddress()) {
                    addressIndex = 0; // a later connect() starts at the main address
                }
                session.detach(new MqttClientException("disconnected"), !options.cleanStart());
                CompletableFuture<Void> done = disconnecting;
                disconnecting = null;
                done.complete(null);
            }
            default -> { }
        }
    }

    // ---- inside, on the loop ----

    private void buildPipeline(ChannelPipeline pipeline) {
        if (options.sslContext() != null) {
            // The name checked against the server certificate is the address connected to.
            ServerAddress server = currentAddress();
            pipeline.addLast("tls", options.sslContext().newHandler(pipeline.channel().alloc(), server.host(),
                    server.port()));
        }
        pipeline.addLast("decoder", new MqttDecoder(options.maxPacketSize()));
        if (options.bridgeMode() && options.version() != MqttVersion.MQTT_5) {
            pipeline.addLast("bridge-marker", new BridgeProtocolMarker());
        }
        pipeline.addLast("encoder", MqttEncoder.INSTANCE);
        if (options.packetTrace() != null) {
            pipeline.addLast("trace", new PacketTraceHandler(options.packetTrace()));
        }
        pipeline.addLast("mqtt", new ClientChannelHandler(this, session, options));
    }

    private void openConnection(boolean automatic) {
        state = State.CONNECTING;
        reconnectAttempt = automatic;
        ServerAddress server = currentAddress();
        ChannelFuture opening = bootstrap.connect(server.host(), server.port());
        Channel opened = opening.channel();
        channel = opened;
        connectDeadline = loop.schedule(() -> {
            if (channel == opened && state == State.CONNECTING) {
                ClientChannelHandler handler = opened.pipeline().get(ClientChannelHandler.class);
                TimeoutException timeout = new TimeoutException("no CONNACK within " + options.connectTimeout());
                MqttClientException failure = new MqttClientException("connection timed out", timeout);
                if (handler != null && opened.isActive()) {
                    handler.closeWith(opened.pipeline().context(handler), failure);
                } else {
                    channel = null;
                    state = State.DISCONNECTED;
                    opened.close();
                    connectionAttemptFailed(failure);
                }
            }
        }, options.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        opening.addListener(connected -> {
            if (!connected.isSuccess() && channel == opened) {
                channel = null;
                state = State.DISCONNECTED;
                cancelConnectDeadline();
                connectionAttemptFailed(new MqttClientException("connection failed: " + describe(connected.cause()),
                        connected.cause()));
            }
        });
    }

    /** A connection attempt ended before the server accepted it. */
    private void connectionAttemptFailed(Throwable cause) {
        CompletableFuture<ConnAck> waiting = connecting;
        connecting = null;
        ServerAddress failed = currentAddress();
        failOver();
        if (reconnectAttempt && options.reconnect().enabled()) {
            LOG.debug("{}: reconnect to {} failed ({})", logName, failed, describe(cause));
            scheduleReconnect();
        } else {
            session.detach(cause, !options.cleanStart());
            session.failUnsent(cause);
        }
        if (waiting != null) {
            waiting.completeExceptionally(cause);
        }
    }

    /** The next attempt goes to the next address, round robin (only one address: the same one). */
    private void failOver() {
        int count = options.addresses().size();
        if (count > 1) {
            addressIndex = (addressIndex + 1) % count;
            LOG.debug("{}: next connection attempt goes to {}", logName, currentAddress());
        }
    }

    private void scheduleReconnect() {
        Duration delay = options.reconnect().nextDelay(lastReconnectDelay);
        lastReconnectDelay = delay;
        reconnectAfter(delay);
    }

    private void reconnectAfter(Duration delay) {
        reconnectTimer = loop.schedule(() -> {
            reconnectTimer = null;
            if (state == State.DISCONNECTED) {
                openConnection(true);
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void cancelReconnect() {
        if (reconnectTimer != null) {
            reconnectTimer.cancel(false);
            reconnectTimer = null;
        }
        lastReconnectDelay = null;
    }

    /** Connected to a later address while the first is preferred: check the first one after an interval. */
    private void scheduleFirstAddressProbe() {
        if (firstAddressProbe == null || addressIndex == 0) {
            return;
        }
        probeTimer = loop.schedule(this::probeFirstAddress, options.firstAddressProbeInterval().toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void probeFirstAddress() {
        probeTimer = null;
        Channel connected = channel;
        if (state != State.CONNECTED || addressIndex == 0) {
            return;
        }
        ServerAddress first = options.addresses().getFirst();
        ChannelFuture probe = firstAddressProbe.connect(first.host(), first.port());
        probeChannel = probe.channel();
        probe.addListener(done -> {
            // A channel that could not even register is reported on another thread.
            if (loop.inEventLoop()) {
                probed(probe, connected, first);
            } else {
                loop.execute(() -> probed(probe, connected, first));
            }
        });
    }

    private void probed(ChannelFuture probe, Channel connected, ServerAddress first) {
        closeProbe(probe.channel());
        if (probeChannel != probe.channel()) {
            return; // cancelled: the connection it was for has ended
        }
        probeChannel = null;
        if (state != State.CONNECTED || channel != connected) {
            return;
        }
        if (probe.isSuccess()) {
            leaveForFirstAddress(connected, first);
        } else {
            LOG.debug("{}: first address {} still unreachable ({})", logName, first, describe(probe.cause()));
            scheduleFirstAddressProbe();
        }
    }

    /**
     * Closes the connection to a later address, as lost, so that the next attempt goes to the first one.
     * No DISCONNECT: the server publishes the will, as when Mosquitto's bridge leaves a secondary address.
     */
    private void leaveForFirstAddress(Channel connected, ServerAddress first) {
        ServerAddress left = currentAddress();
        // DEBUG like the client's other connection events: its owner hears of it (connectionLost) and says so.
        LOG.debug("{}: the first address {} accepts connections again: leaving {} for it", logName, first, left);
        FirstAddressAvailableException reason = new FirstAddressAvailableException(left, first);
        ClientChannelHandler handler = connected.pipeline().get(ClientChannelHandler.class);
        if (handler != null) {
            handler.closeWith(connected.pipeline().context(handler), reason);
        } else {
            connected.close();
        }
    }

    private void cancelFirstAddressProbe() {
        if (probeTimer != null) {
            probeTimer.cancel(false);
            probeTimer = null;
        }
        if (probeChannel != null) {
            closeProbe(probeChannel);
            probeChannel = null;
        }
    }

    private static void closeProbe(Channel probe) {
        if (probe.isRegistered()) {
            probe.close();
        }
    }

    private void cancelConnectDeadline() {
        if (connectDeadline != null) {
            connectDeadline.cancel(false);
            connectDeadline = null;
        }
    }

    private void startDisconnect(int reasonCode, MqttProperties properties, CompletableFuture<Void> result) {
        boolean wasReconnecting = reconnectTimer != null;
        cancelReconnect();
        cancelFirstAddressProbe();
        MqttClientException disconnected = new MqttClientException("disconnected");
        switch (state) {
            case CONNECTED -> {
                state = State.DISCONNECTING;
                disconnecting = result;
                session.failUnsent(disconnected);
                Channel closing = channel;
                // [MQTT-3.14.4-1] after DISCONNECT the client sends nothing more and closes the connection.
                closing.writeAndFlush(ClientPackets.disconnect(reasonCode, properties))
                        .addListener(written -> closing.close());
            }
            case CONNECTING -> {
                Channel closing = channel;
                channel = null;
                state = State.DISCONNECTED;
                cancelConnectDeadline();
                closing.close();
                reconnectAttempt = false;
                connectionAttemptFailed(disconnected);
                result.complete(null);
            }
            case DISCONNECTING -> forward(disconnecting, result);
            case DISCONNECTED -> {
                if (wasReconnecting) {
                    session.detach(disconnected, !options.cleanStart());
                    session.failUnsent(disconnected);
                }
                result.complete(null);
            }
            case CLOSED -> result.complete(null);
        }
    }

    private MqttProperties versionProperties(MqttProperties properties) {
        return options.version() == MqttVersion.MQTT_5 && properties != null ? properties
                : MqttProperties.NO_PROPERTIES;
    }

    /** Runs {@code task} on the client's loop, now if already there; fails {@code result} if the loop is gone. */
    private void onLoop(CompletableFuture<?> result, Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(closedException());
        }
    }

    private static <T> void forward(CompletableFuture<T> from, CompletableFuture<T> to) {
        from.whenComplete((value, failure) -> {
            if (failure != null) {
                to.completeExceptionally(failure);
            } else {
                to.complete(value);
            }
        });
    }

    private static MqttClientException closedException() {
        return new MqttClientException("client closed");
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "closed";
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
