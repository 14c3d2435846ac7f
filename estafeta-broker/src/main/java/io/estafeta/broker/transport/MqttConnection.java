package io.estafeta.broker.transport;

import io.estafeta.broker.auth.Authenticator.AuthenticationResult;
import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.routing.PausablePublisher;
import io.estafeta.broker.session.Session;
import io.estafeta.broker.session.SessionConnection;
import io.estafeta.broker.session.SessionRegistry;
import io.estafeta.protocol.Topics;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One client connection: the MQTT 3.1/3.1.1 protocol state machine on top of the codec. Lives on its
 * channel's event loop and needs no locks. Session state (subscriptions, queues, QoS flows) belongs to
 * {@link Session}; this class turns packets into session operations and session output into packets.
 */
final class MqttConnection extends ChannelInboundHandlerAdapter implements SessionConnection, PausablePublisher {

    private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);

    /** The longest a publisher waits for a congested subscriber before it is read again. */
    static final long MAX_PUBLISHER_PAUSE_MILLIS = 10_000;
    /** [MQTT-3.1.2-24] the server allows one and a half times the keep-alive. */
    private static final long KEEPALIVE_GRACE_PER_SECOND_MILLIS = 1500;
    private static final int SUBACK_FAILURE = 0x80;
    private static final int MQTT_3_1_LEVEL = 3;
    private static final int MAX_QOS = 2;
    private static final String KEEPALIVE_HANDLER = "keepAlive";

    private enum State { AWAITING_CONNECT, CONNECTING, CONNECTED, DISCONNECTED }

    private final ConnectionServices services;
    private ChannelHandlerContext ctx;
    private State state = State.AWAITING_CONNECT;
    private String clientId;
    private int protocolLevel;
    private Session session;
    private ApplicationMessage will;
    private String closeReason = "connection lost";
    private boolean flushScheduled;
    private boolean readPaused;
    private ScheduledFuture<?> connectTimeout;
    private ScheduledFuture<?> pauseTimeout;
    /** Packets that arrived while the session was being claimed; handled once it is attached. */
    private final ArrayDeque<MqttMessage> pendingWhileConnecting = new ArrayDeque<>();
    private final Runnable flushTask = this::flushNow;

    MqttConnection(ConnectionServices services) {
        this.services = services;
    }

    // ---------------------------------------------------------------- channel events

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        services.connections().add(context.channel());
        long timeoutMillis = services.config().connectTimeout().toMillis();
        connectTimeout = context.executor().schedule(() -> {
            if (state == State.AWAITING_CONNECT) {
                LOG.info("closing {}: no CONNECT within {} ms", remoteAddress(), timeoutMillis);
                context.close();
            }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        context.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (!(msg instanceof MqttMessage packet)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (state == State.CONNECTING) {
            pendingWhileConnecting.add(packet);
            return;
        }
        try {
            handle(packet);
        } finally {
            ReferenceCountUtil.release(packet);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        flushNow();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) {
        if (event instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            if (!ctx.channel().config().isAutoRead()) {
                // We stopped reading this client ourselves (a congested subscriber, or a session
                // claim under way): its silence is ours, not a keep-alive failure.
                return;
            }
            // [MQTT-3.1.2-24] nothing received within 1.5 x keep-alive: close as a network failure.
            closeReason = "keep-alive timeout";
            LOG.info("client {} ({}) sent nothing within 1.5 x its keep-alive: closing", clientId, remoteAddress());
            context.close();
            return;
        }
        context.fireUserEventTriggered(event);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        context.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("client {} ({}): {}", clientId, remoteAddress(), cause.toString());
            closeReason = "network error: " + cause.getMessage();
        } else {
            LOG.warn("unexpected error on connection of client {} ({}): closing it", clientId, remoteAddress(), cause);
            closeReason = "internal error";
        }
        context.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        cancel(connectTimeout);
        cancel(pauseTimeout);
        MqttMessage pending;
        while ((pending = pendingWhileConnecting.poll()) != null) {
            ReferenceCountUtil.release(pending);
        }
        State previous = state;
        state = State.DISCONNECTED;
        if (previous == State.CONNECTED) {
            publishWill();
            services.metrics().clientDisconnected();
            LOG.info("client {} disconnected ({}): {}", clientId, remoteAddress(), closeReason);
        }
        if (session != null) {
            Session attached = session;
            attached.execute(() -> attached.detach(this));
        }
        context.fireChannelInactive();
    }

    // ---------------------------------------------------------------- packet dispatch

    private void handle(MqttMessage packet) {
        if (state == State.DISCONNECTED) {
            return;
        }
        if (packet.decoderResult().isFailure()) {
            onMalformedPacket(packet);
            return;
        }
        MqttMessageType type = packet.fixedHeader().messageType();
        if (state == State.AWAITING_CONNECT && type != MqttMessageType.CONNECT) {
            violation("first packet is " + type + ", not CONNECT [MQTT-3.1.0-1]");
            return;
        }
        switch (type) {
            case CONNECT -> {
                if (state != State.AWAITING_CONNECT) {
                    violation("second CONNECT [MQTT-3.1.0-2]");
                } else {
                    onConnect((MqttConnectMessage) packet);
                }
            }
            case PUBLISH -> onPublish((MqttPublishMessage) packet);
            case PUBACK -> session.onPuback(packetId(packet));
            case PUBREC -> session.onPubrec(packetId(packet));
            case PUBREL -> onPubrel(packetId(packet));
            case PUBCOMP -> session.onPubcomp(packetId(packet));
            case SUBSCRIBE -> onSubscribe((MqttSubscribeMessage) packet);
            case UNSUBSCRIBE -> onUnsubscribe((MqttUnsubscribeMessage) packet);
            case PINGREQ -> writeSoon(MqttMessage.PINGRESP); // [MQTT-3.12.4-1]
            case DISCONNECT -> onDisconnect();
            default -> violation(type + " may not be sent by a client");
        }
    }

    private void onMalformedPacket(MqttMessage packet) {
        Throwable cause = packet.decoderResult().cause();
        if (state == State.AWAITING_CONNECT && cause instanceof MqttUnacceptableProtocolVersionException) {
            // [MQTT-3.1.2-2] unsupported protocol level: CONNACK 0x01, then close.
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION, cause.getMessage());
        } else if (state == State.AWAITING_CONNECT && cause instanceof MqttIdentifierRejectedException) {
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, "client identifier rejected");
        } else if (cause instanceof TooLongFrameException) {
            violation("packet larger than max_packet_size " + services.config().maxPacketSize() + " bytes");
        } else {
            violation("malformed packet: " + cause.getMessage());
        }
    }

    // ---------------------------------------------------------------- CONNECT

    private void onConnect(MqttConnectMessage connect) {
        cancel(connectTimeout);
        protocolLevel = connect.variableHeader().version();
        ConnectCheck check = ConnectCheck.of(connect, services.config());
        if (check.violation() != null) {
            violation(check.violation());
            return;
        }
        if (check.refusal() != null) {
            refuse(check.refusal(), "CONNECT not acceptable");
            return;
        }
        boolean cleanSession = connect.variableHeader().isCleanSession();
        String requestedId = connect.payload().clientIdentifier();
        // [MQTT-3.1.3-6] an empty client id with Clean Session = 1 gets one assigned by the server.
        clientId = requestedId.isEmpty() ? "auto-" + UUID.randomUUID() : requestedId;

        AuthenticationResult auth = services.authenticator().authenticate(
                clientId, connect.payload().userName(), connect.payload().passwordInBytes());
        if (auth != AuthenticationResult.ACCEPTED) {
            refuse(auth == AuthenticationResult.BAD_CREDENTIALS
                    ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD
                    : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, "not authorized");
            return;
        }
        if (connect.variableHeader().isWillFlag()) {
            will = new ApplicationMessage(connect.payload().willTopic(), connect.payload().willMessageInBytes(),
                    connect.variableHeader().willQos(), connect.variableHeader().isWillRetain(), clientId);
        }
        int keepAlive = connect.variableHeader().keepAliveTimeSeconds();
        if (keepAlive > 0) {
            ctx.pipeline().addBefore(ctx.name(), KEEPALIVE_HANDLER, new IdleStateHandler(
                    keepAlive * KEEPALIVE_GRACE_PER_SECOND_MILLIS, 0, 0, TimeUnit.MILLISECONDS));
        }

        state = State.CONNECTING;
        updateAutoRead();
        SessionRegistry registry = services.sessions();
        EventLoop loop = ctx.channel().eventLoop();
        SessionRegistry.Claim claim = registry.claim(clientId, cleanSession, loop);
        Runnable attach = () -> completeConnect(claim, cleanSession, keepAlive);
        Runnable superseded = () -> {
            closeReason = "superseded by a newer connection with the same client id";
            ctx.close();
        };
        Runnable transfer = () -> claim.session().transferTo(loop, claim.generation(), attach, superseded);
        if (claim.replaced() != null) {
            claim.replaced().endThen(() -> loop.execute(transfer));
        } else {
            transfer.run();
        }
    }

    private void completeConnect(SessionRegistry.Claim claim, boolean cleanSession, int keepAlive) {
        Session claimed = claim.session();
        if (!claimed.attach(this, claim.generation())) {
            closeReason = "superseded by a newer connection with the same client id";
            ctx.close();
            return;
        }
        session = claimed;
        if (!ctx.channel().isActive()) {
            // Gone while we claimed the session: leave it as a disconnect would.
            claimed.detach(this);
            return;
        }
        state = State.CONNECTED;
        services.metrics().clientConnected();
        LOG.info("client {} connected from {} (MQTT {}, {}, keep-alive {}s{})", clientId, remoteAddress(),
                protocolLevel == MQTT_3_1_LEVEL ? "3.1" : "3.1.1", cleanSession ? "clean session" : "persistent session",
                keepAlive, claim.sessionPresent() ? ", session resumed" : "");
        // [MQTT-3.2.0-1] CONNACK first; [MQTT-3.2.2-1..3] Session Present only for a resumed session.
        // MQTT 3.1's CONNACK has no Session Present flag: its first byte is reserved (zero).
        boolean sessionPresent = claim.sessionPresent() && protocolLevel != MQTT_3_1_LEVEL;
        MqttConnAckMessage connack = MqttMessageBuilders.connAck()
                .returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
                .sessionPresent(sessionPresent)
                .build();
        writeSoon(connack);
        claimed.resumeDelivery();
        MqttMessage pending;
        while (state == State.CONNECTED && (pending = pendingWhileConnecting.poll()) != null) {
            try {
                handle(pending);
            } finally {
                ReferenceCountUtil.release(pending);
            }
        }
        updateAutoRead();
    }

    private void refuse(MqttConnectReturnCode code, String why) {
        LOG.info("refused connection from {} (client id {}): {} ({})", remoteAddress(), clientId, code, why);
        state = State.DISCONNECTED;
        MqttConnAckMessage connack = MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false).build();
        // [MQTT-3.2.2-5] after a refusing CONNACK the server closes the connection.
        ctx.writeAndFlush(connack).addListener(future -> ctx.close());
    }

    // ---------------------------------------------------------------- PUBLISH and its acknowledgements

    private void onPublish(MqttPublishMessage publish) {
        String topic = publish.variableHeader().topicName();
        if (!Topics.isValidTopicName(topic)) {
            violation("invalid topic name '" + topic + "' in PUBLISH [MQTT-3.3.2-2][MQTT-4.7.3-1]");
            return;
        }
        MqttFixedHeader header = publish.fixedHeader();
        boolean retain = header.isRetain();
        if (retain && !services.config().retainAvailable()) {
            violation("retained PUBLISH while retain_available is false");
            return;
        }
        int qos = header.qosLevel().value();
        int packetId = publish.variableHeader().packetId();
        services.metrics().messageReceived();
        int sizeLimit = services.config().messageSizeLimit();
        if (sizeLimit > 0 && publish.payload().readableBytes() > sizeLimit) {
            // message_size_limit, as in Mosquitto: the message is dropped but acknowledged, so the
            // client does not send it again; the connection stays up.
            services.metrics().droppedOversize();
            LOG.info("client {}: dropped a {}-byte message on {} (message_size_limit {})", clientId,
                    publish.payload().readableBytes(), topic, sizeLimit);
            acknowledge(qos, packetId);
            return;
        }
        ApplicationMessage message = new ApplicationMessage(
                topic, ByteBufUtil.getBytes(publish.payload()), qos, retain, clientId);
        switch (qos) {
            case 0 -> route(message);
            case 1 -> {
                route(message);
                acknowledge(qos, packetId); // [MQTT-4.3.2-2] PUBACK after taking ownership
            }
            default -> {
                // [MQTT-4.3.3-2] method B: route once, remember the packet id until PUBREL, so a
                // re-sent PUBLISH with the same id is acknowledged but not delivered again.
                if (session.registerInboundQos2(packetId)) {
                    route(message);
                }
                acknowledge(qos, packetId);
            }
        }
    }

    /** PUBACK for QoS 1, PUBREC for QoS 2, nothing for QoS 0. */
    private void acknowledge(int qos, int packetId) {
        if (qos == 1) {
            writeSoon(new MqttPubAckMessage(fixedHeader(MqttMessageType.PUBACK, MqttQoS.AT_MOST_ONCE),
                    MqttMessageIdVariableHeader.from(packetId)));
        } else if (qos == 2) {
            writeSoon(packetWithId(MqttMessageType.PUBREC, MqttQoS.AT_MOST_ONCE, packetId));
        }
    }

    private void route(ApplicationMessage message) {
        services.router().publish(message, this, session);
    }

    private void onPubrel(int packetId) {
        session.releaseInboundQos2(packetId);
        writeSoon(packetWithId(MqttMessageType.PUBCOMP, MqttQoS.AT_MOST_ONCE, packetId));
    }

    // ---------------------------------------------------------------- SUBSCRIBE / UNSUBSCRIBE

    private void onSubscribe(MqttSubscribeMessage subscribe) {
        List<MqttTopicSubscription> requested = subscribe.payload().topicSubscriptions();
        if (requested.isEmpty()) {
            violation("SUBSCRIBE without topic filters [MQTT-3.8.3-3]");
            return;
        }
        int[] codes = new int[requested.size()];
        for (int i = 0; i < codes.length; i++) {
            MqttTopicSubscription request = requested.get(i);
            if (!hasOnlyQosOption(request.option())) {
                violation("SUBSCRIBE with reserved option bits set [MQTT-3-8.3-4]");
                return;
            }
            String filter = request.topicFilter();
            codes[i] = Topics.isValidTopicFilter(filter)
                    ? Math.min(request.qualityOfService().value(), MAX_QOS)
                    : SUBACK_FAILURE;
        }
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] != SUBACK_FAILURE) {
                session.subscribe(requested.get(i).topicFilter(), codes[i]);
            } else {
                LOG.info("client {}: refused invalid topic filter '{}'", clientId, requested.get(i).topicFilter());
            }
        }
        // [MQTT-3.8.4-1], [MQTT-3.8.4-2] same packet id, [MQTT-3.8.4-5] one code per filter, in order.
        writeSoon(new MqttSubAckMessage(fixedHeader(MqttMessageType.SUBACK, MqttQoS.AT_MOST_ONCE),
                MqttMessageIdVariableHeader.from(subscribe.variableHeader().messageId()),
                new MqttSubAckPayload(codes)));
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] != SUBACK_FAILURE) {
                services.router().deliverRetained(requested.get(i).topicFilter(), codes[i], session);
            }
        }
    }

    /** MQTT 3.1.1 knows only the QoS bits of a subscription's option byte; the rest is reserved. */
    private static boolean hasOnlyQosOption(MqttSubscriptionOption option) {
        return !option.isNoLocal() && !option.isRetainAsPublished()
                && option.retainHandling() == MqttSubscriptionOption.RetainedHandlingPolicy.SEND_AT_SUBSCRIBE;
    }

    private void onUnsubscribe(MqttUnsubscribeMessage unsubscribe) {
        List<String> filters = unsubscribe.payload().topics();
        if (filters.isEmpty()) {
            violation("UNSUBSCRIBE without topic filters [MQTT-3.10.3-2]");
            return;
        }
        for (String filter : filters) {
            session.unsubscribe(filter);
        }
        // [MQTT-3.10.4-4], [MQTT-3.10.4-5] UNSUBACK even when nothing was subscribed.
        writeSoon(new MqttUnsubAckMessage(fixedHeader(MqttMessageType.UNSUBACK, MqttQoS.AT_MOST_ONCE),
                MqttMessageIdVariableHeader.from(unsubscribe.variableHeader().messageId())));
    }

    private void onDisconnect() {
        // [MQTT-3.14.4-3] a clean DISCONNECT discards the will.
        will = null;
        closeReason = "client sent DISCONNECT";
        ctx.close();
    }

    // ---------------------------------------------------------------- closing

    private void violation(String reason) {
        services.metrics().protocolViolation();
        LOG.info("closing connection of client {} ({}): protocol violation: {}", clientId, remoteAddress(), reason);
        closeReason = "protocol violation: " + reason;
        ctx.close();
    }

    private void publishWill() {
        ApplicationMessage pendingWill = will;
        will = null;
        if (pendingWill != null) {
            LOG.debug("publishing will of {} on {}", clientId, pendingWill.topic());
            services.router().publish(pendingWill, null, null);
        }
    }

    /**
     * The broker is shutting down: publish the will, as for any server-side close that is not a
     * DISCONNECT. The channel is closed afterwards by {@link #closeForShutdown()}.
     */
    void publishWillForShutdown() {
        closeReason = "broker shutting down";
        if (state == State.CONNECTED) {
            publishWill();
        }
    }

    /** Flushes what is written, then closes. Called on this connection's event loop. */
    void closeForShutdown() {
        closeReason = "broker shutting down";
        ctx.flush();
        ctx.close();
    }

    // ---------------------------------------------------------------- SessionConnection

    @Override
    public EventLoop eventLoop() {
        return ctx.channel().eventLoop();
    }

    @Override
    public boolean isWritable() {
        if (ctx.channel().isWritable()) {
            return true;
        }
        // Unflushed writes count too: hand them to the socket before calling the client slow.
        flushNow();
        return ctx.channel().isWritable();
    }

    @Override
    public void sendPublish(ApplicationMessage message, int qos, int packetId, boolean dup, boolean retain) {
        MqttPublishMessage publish = new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, dup, MqttQoS.valueOf(qos), retain, 0),
                new MqttPublishVariableHeader(message.topic(), packetId),
                Unpooled.wrappedBuffer(message.payload()));
        writeSoon(publish);
    }

    @Override
    public void sendPubrel(int packetId) {
        // PUBREL's fixed header flags are 0010 ([MQTT-3.6.1-1]).
        writeSoon(packetWithId(MqttMessageType.PUBREL, MqttQoS.AT_LEAST_ONCE, packetId));
    }

    @Override
    public void closeForTakeover() {
        closeReason = "session taken over by a new connection [MQTT-3.1.4-2]";
        ctx.close();
    }

    @Override
    public String describe() {
        return clientId + " (" + remoteAddress() + ")";
    }

    // ---------------------------------------------------------------- PausablePublisher

    @Override
    public void pauseReading() {
        if (readPaused) {
            return;
        }
        readPaused = true;
        services.metrics().publisherPaused();
        LOG.debug("client {}: pausing reads, a subscriber it feeds is congested", clientId);
        updateAutoRead();
        pauseTimeout = ctx.executor().schedule(this::resumeNow, MAX_PUBLISHER_PAUSE_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void resumeReading() {
        if (ctx.executor().inEventLoop()) {
            resumeNow();
        } else {
            ctx.executor().execute(this::resumeNow);
        }
    }

    private void resumeNow() {
        if (!readPaused) {
            return;
        }
        readPaused = false;
        cancel(pauseTimeout);
        updateAutoRead();
    }

    private void updateAutoRead() {
        ctx.channel().config().setAutoRead(!readPaused && state != State.CONNECTING);
    }

    // ---------------------------------------------------------------- writing

    private void writeSoon(Object packet) {
        ctx.write(packet, ctx.voidPromise());
        if (!flushScheduled) {
            flushScheduled = true;
            // Runs after the tasks already queued on this loop: many deliveries, one flush.
            ctx.executor().execute(flushTask);
        }
    }

    private void flushNow() {
        flushScheduled = false;
        ctx.flush();
    }

    private static MqttFixedHeader fixedHeader(MqttMessageType type, MqttQoS qos) {
        return new MqttFixedHeader(type, false, qos, false, 0);
    }

    private static MqttMessage packetWithId(MqttMessageType type, MqttQoS qos, int packetId) {
        return new MqttMessage(fixedHeader(type, qos), MqttMessageIdVariableHeader.from(packetId));
    }

    private static int packetId(MqttMessage packet) {
        return ((MqttMessageIdVariableHeader) packet.variableHeader()).messageId();
    }

    private SocketAddress remoteAddress() {
        return ctx.channel().remoteAddress();
    }

    private static void cancel(ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }
}
