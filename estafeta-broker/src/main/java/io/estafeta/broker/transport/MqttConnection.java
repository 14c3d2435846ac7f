package io.estafeta.broker.transport;

import io.estafeta.broker.auth.Authenticator;
import io.estafeta.broker.auth.Authenticator.AuthenticationResult;
import io.estafeta.broker.auth.ScramCredentials;
import io.estafeta.broker.auth.scram.ScramServerExchange;
import io.estafeta.broker.config.LoggingConfig;
import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.routing.PausablePublisher;
import io.estafeta.broker.routing.Routed;
import io.estafeta.broker.routing.SharedSubscriptions;
import io.estafeta.broker.routing.Subscription;
import io.estafeta.broker.session.Session;
import io.estafeta.broker.session.SessionConnection;
import io.estafeta.broker.session.SessionRegistry;
import io.estafeta.broker.store.StoreFullException;
import io.estafeta.broker.store.StoreWrites;
import io.estafeta.protocol.Topics;
import io.estafeta.protocol.codec.MqttPacketDecoder;
import io.estafeta.protocol.codec.MqttDecodingException;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttReasonCodes;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubAckPayload;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubAckMessage;
import io.netty.handler.codec.mqtt.MqttUnsubAckPayload;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One client connection: the MQTT 3.1, 3.1.1 and 5.0 protocol state machine on top of the codec.
 * Lives on its channel's event loop and needs no locks. Session state (subscriptions, queues, QoS
 * flows) belongs to {@link Session}; this class turns packets into session operations and session
 * output into packets.
 */
final class MqttConnection extends ChannelInboundHandlerAdapter
        implements SessionConnection, PausablePublisher, KeepAliveSweep.Client {

    private static final Logger LOG = LoggerFactory.getLogger(MqttConnection.class);

    /** The longest a publisher waits for a congested subscriber before it is read again. */
    static final long MAX_PUBLISHER_PAUSE_MILLIS = 10_000;
    private static final int SUBACK_FAILURE_3 = 0x80;
    private static final int MAX_QOS = 2;
    private static final int UNLIMITED = Integer.MAX_VALUE;
    private static final int DEFAULT_RECEIVE_MAXIMUM = 65_535;
    private static final String RESPONSE_INFORMATION_PREFIX = "response/";
    /** Fixed header, reason code, property length and the Reason String's id and length. */
    private static final int DISCONNECT_OVERHEAD_BYTES = 12;
    private static final int MAX_UTF8_BYTES_PER_CHAR = 3;
    /** A client rarely sends more than a few packets before its CONNACK. */
    private static final int HELD_PACKETS_INITIAL_CAPACITY = 4;

    private enum State { AWAITING_CONNECT, AUTHENTICATING, CONNECTING, CONNECTED, DISCONNECTED }

    private final ConnectionServices services;
    private final ConnectionLog log;
    private ChannelHandlerContext ctx;
    private State state = State.AWAITING_CONNECT;
    private String clientId;
    private String username;
    private int protocolLevel;
    private Session session;
    private int claimGeneration;
    private ApplicationMessage will;
    private long willDelaySeconds;
    private long connectSessionExpiry;
    private String closeReason = "connection lost";
    private long connectedSinceMillis;
    private boolean flushScheduled;
    /** {@link #isWritable()} flushed and the channel stayed unwritable; cleared by the next flush or drain. */
    private boolean flushedWhileUnwritable;
    /** The server decided to close: packets still arriving (already read from the socket) are ignored. */
    private boolean closing;
    private boolean readPaused;
    private ScheduledFuture<?> connectTimeout;
    private ScheduledFuture<?> pauseTimeout;
    /** The sweep of this loop that watches our keep-alive, and our slot in it; null without a keep-alive. */
    private KeepAliveSweep keepAliveSweep;
    private int keepAliveSlot;
    // MQTT 5: what the client told us in CONNECT.
    private int clientReceiveMaximum = DEFAULT_RECEIVE_MAXIMUM;
    private long clientMaximumPacketSize = UNLIMITED;
    private TopicAliases topicAliases = TopicAliases.NONE;
    // MQTT 5 enhanced authentication (4.12): the method agreed in CONNECT, the exchange under way.
    private String authMethod;
    private ScramServerExchange authExchange;
    private byte[] authSuccessData;
    private MqttConnectMessage connectAwaitingAuth;
    private boolean clientIdAssigned;
    /**
     * Packets read from the socket but not handled yet, in order: those that arrived while the session was
     * being claimed (handled once it is attached) and those decoded after a congested subscriber paused
     * this publisher (handled when it resumes). Turning {@code autoRead} off stops the next read, not the
     * packets of the read under way: without holding them, a publisher that sent a burst would go on being
     * routed, and acknowledged, past the congested subscriber's queue limit. Created on the first such
     * packet: most connections never have one, and idle connections are many.
     */
    private ArrayDeque<MqttMessage> heldPackets;
    /** Acknowledgements waiting for the store, in the order their packets arrived; created on first use. */
    private DurableReplies durableReplies;
    private final Runnable flushTask = this::flushNow;

    MqttConnection(ConnectionServices services) {
        this.services = services;
        this.log = ConnectionLog.of(services.config().logging().connectionMessages());
    }

    private DurableReplies durableReplies() {
        if (durableReplies == null) {
            durableReplies = new DurableReplies(ctx.channel().eventLoop());
        }
        return durableReplies;
    }

    private boolean mqtt5() {
        return protocolLevel == ConnectCheck.MQTT_5;
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
            if (state == State.AWAITING_CONNECT || state == State.AUTHENTICATING) {
                LOG.info("closing {}: not connected within {} ms", remoteAddress(), timeoutMillis);
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
        if (packet.fixedHeader() != null) {
            // Every packet decoded, broken ones included (TrafficCounter counts bytes and packets sent).
            services.metrics().packetReceived(packet.fixedHeader().messageType() == MqttMessageType.CONNECT);
        }
        if (keepAliveSweep != null) {
            keepAliveSweep.heard(keepAliveSlot);
        }
        if (state == State.CONNECTING || readPaused || hasHeldPackets()) {
            if (heldPackets == null) {
                heldPackets = new ArrayDeque<>(HELD_PACKETS_INITIAL_CAPACITY);
            }
            heldPackets.add(packet);
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
    public void channelWritabilityChanged(ChannelHandlerContext context) {
        if (context.channel().isWritable()) {
            flushedWhileUnwritable = false;
        }
        context.fireChannelWritabilityChanged();
    }

    @Override
    public boolean readingSuspended() {
        // We stopped reading this client ourselves (a congested subscriber, a session claim under way, the
        // publish rate): its silence is ours, not a keep-alive failure.
        return !ctx.channel().config().isAutoRead();
    }

    @Override
    public void keepAliveExpired() {
        keepAliveSweep = null;
        if (closing) {
            return;
        }
        // [MQTT-3.1.2-24] (3.1.1) / [MQTT-3.1.2-22] (5.0) nothing received within 1.5 x keep-alive.
        LOG.info("client {} ({}) sent nothing within 1.5 x its keep-alive: closing", clientId, remoteAddress());
        disconnect(MqttReasonCodes.Disconnect.KEEP_ALIVE_TIMEOUT, "keep-alive timeout");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("client {} ({}): {}", clientId, remoteAddress(), cause.toString());
            closeReason = "network error: " + cause.getMessage();
            context.close();
        } else {
            LOG.warn("unexpected error on connection of client {} ({}): closing it", clientId, remoteAddress(), cause);
            disconnect(MqttReasonCodes.Disconnect.UNSPECIFIED_ERROR, "internal error");
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        if (state == State.CONNECTED) {
            // The client sent them before it went: handled as if they had been decoded at the end of the
            // stream (ByteToMessageDecoder does that with what it still holds), so that a DISCONNECT held
            // behind a paused burst still ends the connection normally, without its will.
            handleHeldPackets(true);
        }
        connectTimeout = cancel(connectTimeout);
        pauseTimeout = cancel(pauseTimeout);
        if (keepAliveSweep != null) {
            keepAliveSweep.unwatch(keepAliveSlot, this);
            keepAliveSweep = null;
        }
        MqttMessage held;
        while (heldPackets != null && (held = heldPackets.poll()) != null) {
            ReferenceCountUtil.release(held);
        }
        State previous = state;
        state = State.DISCONNECTED;
        if (previous == State.CONNECTED) {
            handOverWill();
            services.metrics().clientDisconnected();
            log.disconnected(clientId, remoteAddress(), closeReason);
        }
        if (session != null) {
            Session attached = session;
            attached.execute(() -> attached.detach(this));
        }
        context.fireChannelInactive();
    }

    // ---------------------------------------------------------------- packet dispatch

    private void handle(MqttMessage packet) {
        if (state == State.DISCONNECTED || closing) {
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
        if (state == State.AUTHENTICATING && type != MqttMessageType.AUTH && type != MqttMessageType.DISCONNECT) {
            // (4.12) until CONNACK, only AUTH (or DISCONNECT) may follow a CONNECT that started an exchange.
            violation(type + " during enhanced authentication");
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
            case DISCONNECT -> onDisconnect(packet);
            case AUTH -> onAuth(packet);
            default -> violation(type + " may not be sent by a client");
        }
    }

    private void onMalformedPacket(MqttMessage packet) {
        Throwable cause = packet.decoderResult().cause();
        if (state == State.AWAITING_CONNECT) {
            if (cause instanceof MqttUnacceptableProtocolVersionException) {
                // [MQTT-3.1.2-2] unsupported protocol level: CONNACK 0x01 (5.0: 0x84), then close.
                refuse(MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION, cause.getMessage());
                return;
            }
            if (cause instanceof MqttIdentifierRejectedException) {
                refuse(MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED, "client identifier rejected");
                return;
            }
            // A broken CONNECT: answer in the version it announced, if the decoder got that far.
            MqttVersion version = MqttPacketDecoder.protocolVersion(ctx.channel());
            protocolLevel = version == null ? protocolLevel : version.protocolLevel();
        }
        violation(cause.getMessage(), disconnectReason(MqttDecodingException.reasonCodeOf(cause)));
    }

    /** The DISCONNECT reason for a decoding failure; 0x84/0x85 only exist in CONNACK, where refuse() goes. */
    private static MqttReasonCodes.Disconnect disconnectReason(MqttDecodingException.ReasonCode code) {
        return switch (code) {
            case MALFORMED_PACKET -> MqttReasonCodes.Disconnect.MALFORMED_PACKET;
            case PACKET_TOO_LARGE -> MqttReasonCodes.Disconnect.PACKET_TOO_LARGE;
            case TOPIC_NAME_INVALID -> MqttReasonCodes.Disconnect.TOPIC_NAME_INVALID;
            case TOPIC_ALIAS_INVALID -> MqttReasonCodes.Disconnect.TOPIC_ALIAS_INVALID;
            default -> MqttReasonCodes.Disconnect.PROTOCOL_ERROR;
        };
    }

    // ---------------------------------------------------------------- CONNECT

    private void onConnect(MqttConnectMessage connect) {
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
        String requestedId = connect.payload().clientIdentifier();
        // [MQTT-3.1.3-6] an empty client id gets one assigned by the server (5.0: and told, 3.1.3-7).
        boolean assigned = requestedId.isEmpty();
        clientId = assigned ? services.config().clientIds().autoIdPrefix() + UUID.randomUUID() : requestedId;
        username = connect.payload().userName();
        if (CertificateIdentity.usedAsUsername(ctx.channel())) {
            // use_identity_as_username (docs/SECURITY.md): the client certificate's CN is the username and the
            // certificate, checked in the TLS handshake, is the authentication; CONNECT's username and
            // password are ignored. No certificate: not authorized.
            username = CertificateIdentity.commonName(ctx.channel());
            state = State.CONNECTING;
            updateAutoRead();
            authenticated(connect, assigned, Authenticator.Decision.immediately(username == null
                    ? AuthenticationResult.NOT_AUTHORIZED : AuthenticationResult.ACCEPTED));
            return;
        }
        if (mqtt5() && Mqtt5Properties.has(connect.variableHeader().properties(), MqttProperties.AUTHENTICATION_METHOD)) {
            startEnhancedAuthentication(connect, assigned);
            return;
        }
        byte[] password = connect.payload().passwordInBytes();
        // Stop reading (and buffer what was already read) until the CONNECT is answered.
        state = State.CONNECTING;
        updateAutoRead();
        InetAddress address = ctx.channel().remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
        if (password == null) {
            // Nothing to hash: decide here, on the event loop.
            authenticated(connect, assigned, services.authenticator().decide(address, clientId, username, null));
            return;
        }
        boolean queued = services.authentication().submit(() -> {
            Authenticator.Decision decision = services.authenticator().decide(address, clientId, username, password);
            ctx.executor().execute(() -> authenticated(connect, assigned, decision));
        });
        if (!queued) {
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, "too many logins being checked");
        }
    }

    /** Back on the event loop with the authenticator's decision (held back as long as it says). */
    private void authenticated(MqttConnectMessage connect, boolean assigned, Authenticator.Decision decision) {
        if (!decision.delayBeforeAnswer().isZero()) {
            ctx.executor().schedule(() -> authenticated(connect, assigned,
                    Authenticator.Decision.immediately(decision.result())),
                    decision.delayBeforeAnswer().toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        if (!ctx.channel().isActive() || state != State.CONNECTING) {
            return;
        }
        if (decision.result() != AuthenticationResult.ACCEPTED) {
            refuse(decision.result() == AuthenticationResult.BAD_CREDENTIALS
                    ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD
                    : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, "not authorized");
            return;
        }
        continueConnect(connect, assigned);
    }

    // ---------------------------------------------------------------- enhanced authentication (5.0, 4.12)

    private void startEnhancedAuthentication(MqttConnectMessage connect, boolean assigned) {
        MqttProperties properties = connect.variableHeader().properties();
        String method = Mqtt5Properties.stringValue(properties, MqttProperties.AUTHENTICATION_METHOD);
        if (!ScramServerExchange.MECHANISM.equals(method)
                || !(services.authenticator() instanceof ScramCredentials credentials)) {
            // [MQTT-4.12.0-1] an authentication method the server does not support.
            refuse(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD,
                    "authentication method " + method + " is not supported");
            return;
        }
        authMethod = method;
        authExchange = new ScramServerExchange(credentials::scramCredential);
        connectAwaitingAuth = connect;
        clientIdAssigned = assigned;
        state = State.AUTHENTICATING;
        onAuthenticationStep(authExchange.next(
                Mqtt5Properties.binaryValue(properties, MqttProperties.AUTHENTICATION_DATA)));
    }

    private void onAuth(MqttMessage auth) {
        MqttReasonCodeAndPropertiesVariableHeader header = (MqttReasonCodeAndPropertiesVariableHeader) auth.variableHeader();
        MqttProperties properties = header.properties();
        String method = Mqtt5Properties.stringValue(properties, MqttProperties.AUTHENTICATION_METHOD);
        if (authMethod == null || !authMethod.equals(method)) {
            // [MQTT-4.12.0-5]/[MQTT-4.12.1-1] AUTH only within the method agreed in CONNECT.
            violation("AUTH with method " + method + " (agreed: " + authMethod + ")");
            return;
        }
        byte reason = header.reasonCode();
        byte[] data = Mqtt5Properties.binaryValue(properties, MqttProperties.AUTHENTICATION_DATA);
        if (state == State.CONNECTED && reason == MqttReasonCodes.Auth.REAUTHENTICATE.byteValue()) {
            authExchange = new ScramServerExchange(((ScramCredentials) services.authenticator())::scramCredential);
        } else if (reason != MqttReasonCodes.Auth.CONTINUE_AUTHENTICATION.byteValue() || authExchange == null) {
            violation("unexpected AUTH reason code 0x" + Integer.toHexString(reason & 0xFF));
            return;
        }
        onAuthenticationStep(authExchange.next(data));
    }

    private void onAuthenticationStep(ScramServerExchange.Step step) {
        switch (step) {
            case ScramServerExchange.Challenge challenge ->
                    writeSoon(authPacket(MqttReasonCodes.Auth.CONTINUE_AUTHENTICATION, challenge.data()));
            case ScramServerExchange.Success success -> {
                authExchange = null;
                if (state == State.AUTHENTICATING) {
                    username = success.username();
                    authSuccessData = success.data();
                    MqttConnectMessage connect = connectAwaitingAuth;
                    connectAwaitingAuth = null;
                    state = State.CONNECTING;
                    updateAutoRead();
                    continueConnect(connect, clientIdAssigned);
                } else if (!success.username().equals(username)) {
                    // Re-authentication as someone else would change who this session belongs to.
                    disconnect(MqttReasonCodes.Disconnect.NOT_AUTHORIZED, "re-authenticated as another user");
                } else {
                    writeSoon(authPacket(MqttReasonCodes.Auth.SUCCESS, success.data()));
                }
            }
            case ScramServerExchange.Failure failure -> {
                authExchange = null;
                LOG.info("client {} ({}): SCRAM authentication failed: {}", clientId, remoteAddress(), failure.reason());
                if (state == State.AUTHENTICATING) {
                    refuse(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD, "authentication failed");
                } else {
                    // [MQTT-4.12.1-2] failed re-authentication: DISCONNECT.
                    disconnect(MqttReasonCodes.Disconnect.NOT_AUTHORIZED, "re-authentication failed");
                }
            }
        }
    }

    private MqttMessage authPacket(MqttReasonCodes.Auth reason, byte[] data) {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.StringProperty(MqttProperties.AUTHENTICATION_METHOD, authMethod));
        properties.add(new MqttProperties.BinaryProperty(MqttProperties.AUTHENTICATION_DATA, data));
        return new MqttMessage(fixedHeader(MqttMessageType.AUTH, MqttQoS.AT_MOST_ONCE),
                new MqttReasonCodeAndPropertiesVariableHeader(reason.byteValue(), properties));
    }

    private void continueConnect(MqttConnectMessage connect, boolean assigned) {
        MqttProperties properties = connect.variableHeader().properties();
        boolean cleanStart = connect.variableHeader().isCleanSession();
        long now = System.currentTimeMillis();
        if (connect.variableHeader().isWillFlag()) {
            MqttProperties willProperties = connect.payload().willProperties();
            will = new ApplicationMessage(connect.payload().willTopic(), connect.payload().willMessageInBytes(),
                    connect.variableHeader().willQos(), connect.variableHeader().isWillRetain(), clientId,
                    Mqtt5Properties.messageProperties(willProperties),
                    Mqtt5Properties.expiryDeadline(willProperties, now));
            willDelaySeconds = Mqtt5Properties.unsignedIntValue(willProperties, MqttProperties.WILL_DELAY_INTERVAL, 0);
        }
        long sessionExpiry;
        if (mqtt5()) {
            sessionExpiry = Mqtt5Properties.unsignedIntValue(properties, MqttProperties.SESSION_EXPIRY_INTERVAL, 0);
            clientReceiveMaximum = Mqtt5Properties.intValue(properties, MqttProperties.RECEIVE_MAXIMUM,
                    DEFAULT_RECEIVE_MAXIMUM);
            clientMaximumPacketSize = Mqtt5Properties.unsignedIntValue(properties, MqttProperties.MAXIMUM_PACKET_SIZE,
                    UNLIMITED);
            topicAliases = TopicAliases.of(services.config().maxTopicAlias(),
                    Mqtt5Properties.intValue(properties, MqttProperties.TOPIC_ALIAS_MAXIMUM, 0));
        } else {
            // 3.1.1: Clean Session = 0 keeps the session until persistent_client_expiration (if set).
            sessionExpiry = cleanStart ? 0 : Session.NEVER_EXPIRES;
        }
        connectSessionExpiry = sessionExpiry;
        int keepAlive = connect.variableHeader().keepAliveTimeSeconds();
        int serverKeepAlive = mqtt5() && ConnectCheck.exceedsMaxKeepalive(keepAlive, services.config().maxKeepalive())
                ? services.config().maxKeepalive() : -1;
        int effectiveKeepAlive = serverKeepAlive >= 0 ? serverKeepAlive : keepAlive;
        if (effectiveKeepAlive > 0) {
            keepAliveSweep = services.keepAlive().of(ctx.channel().eventLoop());
            keepAliveSlot = keepAliveSweep.watch(this, effectiveKeepAlive);
        }
        MqttProperties connackProperties = mqtt5()
                ? connackProperties(assigned, serverKeepAlive, properties) : MqttProperties.NO_PROPERTIES;

        SessionRegistry registry = services.sessions();
        EventLoop loop = ctx.channel().eventLoop();
        SessionRegistry.Claim claim = registry.claim(clientId, cleanStart, sessionExpiry, loop);
        Runnable attach = () -> completeConnect(claim, cleanStart, effectiveKeepAlive, connackProperties);
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

    /** What CONNACK tells a 5.0 client about this server (3.2.2.3). */
    private MqttProperties connackProperties(boolean assignedId, int serverKeepAlive, MqttProperties connect) {
        MqttProperties out = new MqttProperties();
        if (assignedId) {
            out.add(new MqttProperties.StringProperty(MqttProperties.ASSIGNED_CLIENT_IDENTIFIER, clientId));
        }
        int receiveMaximum = services.config().maxInflightMessages();
        if (receiveMaximum < DEFAULT_RECEIVE_MAXIMUM) {
            out.add(new MqttProperties.IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, receiveMaximum));
        }
        out.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_PACKET_SIZE,
                services.config().maxPacketSize()));
        int topicAliasMaximum = services.config().maxTopicAlias();
        if (topicAliasMaximum > 0) {
            out.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS_MAXIMUM, topicAliasMaximum));
        }
        if (!services.config().retainAvailable()) {
            out.add(new MqttProperties.IntegerProperty(MqttProperties.RETAIN_AVAILABLE, 0));
        }
        if (serverKeepAlive >= 0) {
            out.add(new MqttProperties.IntegerProperty(MqttProperties.SERVER_KEEP_ALIVE, serverKeepAlive));
        }
        if (authMethod != null) {
            // (4.12) enhanced authentication ends with the method and the server's last data in CONNACK.
            out.add(new MqttProperties.StringProperty(MqttProperties.AUTHENTICATION_METHOD, authMethod));
            out.add(new MqttProperties.BinaryProperty(MqttProperties.AUTHENTICATION_DATA, authSuccessData));
        }
        if (Mqtt5Properties.intValue(connect, MqttProperties.REQUEST_RESPONSE_INFORMATION, 0) == 1) {
            // Request/response: a topic prefix this client may use for responses.
            out.add(new MqttProperties.StringProperty(MqttProperties.RESPONSE_INFORMATION,
                    RESPONSE_INFORMATION_PREFIX + clientId));
        }
        return out;
    }

    private void completeConnect(SessionRegistry.Claim claim, boolean cleanStart, int keepAlive,
                                 MqttProperties connackProperties) {
        Session claimed = claim.session();
        if (!claimed.attach(this, claim.generation())) {
            closeReason = "superseded by a newer connection with the same client id";
            ctx.close();
            return;
        }
        session = claimed;
        claimGeneration = claim.generation();
        connectTimeout = cancel(connectTimeout);
        if (!ctx.channel().isActive()) {
            // Gone while we claimed the session: leave it as a disconnect would.
            claimed.detach(this);
            return;
        }
        state = State.CONNECTED;
        connectedSinceMillis = System.currentTimeMillis();
        services.metrics().clientConnected();
        log.connected(clientId, remoteAddress(), versionName(), cleanStart, keepAlive, claim.sessionPresent(),
                username);
        // [MQTT-3.2.0-1] CONNACK first; [MQTT-3.2.2-1..3] Session Present only for a resumed session.
        // MQTT 3.1's CONNACK has no Session Present flag: its first byte is reserved (zero).
        boolean sessionPresent = claim.sessionPresent() && protocolLevel != ConnectCheck.MQTT_3_1;
        MqttConnAckMessage connack = MqttMessageBuilders.connAck()
                .returnCode(MqttConnectReturnCode.CONNECTION_ACCEPTED)
                .sessionPresent(sessionPresent)
                .properties(connackProperties)
                .build();
        writeSoon(connack);
        claimed.resumeDelivery();
        handleHeldPackets(false);
        updateAutoRead();
    }

    private boolean hasHeldPackets() {
        return heldPackets != null && !heldPackets.isEmpty();
    }

    /**
     * Handles the packets held while reading was suspended, in the order they arrived, until one of them
     * pauses this publisher again (unless {@code evenIfPaused}: the connection is gone, nothing will resume it).
     */
    private void handleHeldPackets(boolean evenIfPaused) {
        MqttMessage held;
        while (state == State.CONNECTED && (evenIfPaused || !readPaused) && heldPackets != null
                && (held = heldPackets.poll()) != null) {
            try {
                handle(held);
            } finally {
                ReferenceCountUtil.release(held);
            }
        }
    }

    private String versionName() {
        return switch (protocolLevel) {
            case ConnectCheck.MQTT_3_1 -> "3.1";
            case ConnectCheck.MQTT_5 -> "5.0";
            default -> "3.1.1";
        };
    }

    private void refuse(MqttConnectReturnCode code, String why) {
        connectTimeout = cancel(connectTimeout);
        MqttConnectReturnCode versioned = ConnectCheck.forVersion(code, protocolLevel);
        services.metrics().connectionRefused(RefusalCauses.of(code));
        log.refused(clientId, remoteAddress(), username, versioned.name(), why);
        state = State.DISCONNECTED;
        MqttMessageBuilders.ConnAckBuilder connack = MqttMessageBuilders.connAck()
                .returnCode(versioned).sessionPresent(false);
        if (mqtt5()) {
            connack.properties(reasonString(why));
        }
        // [MQTT-3.2.2-5] after a refusing CONNACK the server closes the connection.
        ctx.writeAndFlush(connack.build()).addListener(future -> ctx.close());
    }

    // ---------------------------------------------------------------- PUBLISH and its acknowledgements

    private void onPublish(MqttPublishMessage publish) {
        MqttPublishVariableHeader variableHeader = publish.variableHeader();
        String topic = resolveTopic(variableHeader);
        if (topic == null) {
            return; // resolveTopic closed the connection
        }
        MqttFixedHeader header = publish.fixedHeader();
        boolean retain = header.isRetain();
        if (retain && !services.config().retainAvailable()) {
            violation("retained PUBLISH while retain_available is false",
                    MqttReasonCodes.Disconnect.RETAIN_NOT_SUPPORTED);
            return;
        }
        int qos = header.qosLevel().value();
        int packetId = variableHeader.packetId();
        services.metrics().messageReceived(qos, publish.payload().readableBytes());
        if (!services.config().clientLimits().allowsTopic(topic)) {
            LOG.info("client {}: dropped a PUBLISH whose topic exceeds max_topic_length/max_topic_levels", clientId);
            refusePublish(qos, packetId, MqttReasonCodes.PubAck.TOPIC_NAME_INVALID);
            return;
        }
        if (!services.authorizer().canPublish(clientId, username, topic)) {
            LOG.debug("client {}: not authorized to publish on {}", clientId, topic);
            services.metrics().droppedNotAuthorized();
            refusePublish(qos, packetId, MqttReasonCodes.PubAck.NOT_AUTHORIZED);
            return;
        }
        if (mqtt5() && qos == MAX_QOS && !session.hasInboundQos2(packetId)
                && session.inboundQos2Count() >= services.config().maxInflightMessages()) {
            // (5.0) more unacknowledged QoS 2 PUBLISHes than the Receive Maximum we announced; 3.x
            // has no Receive Maximum, so a 3.x client may use any number of packet ids.
            violation("more QoS 2 messages in flight than Receive Maximum "
                    + services.config().maxInflightMessages(), MqttReasonCodes.Disconnect.RECEIVE_MAXIMUM_EXCEEDED);
            return;
        }
        int sizeLimit = services.config().messageSizeLimit();
        if (sizeLimit > 0 && publish.payload().readableBytes() > sizeLimit) {
            // message_size_limit, as in Mosquitto: the message is dropped but acknowledged, so the
            // client does not send it again; the connection stays up.
            services.metrics().droppedOversize();
            LOG.info("client {}: dropped a {}-byte message on {} (message_size_limit {})", clientId,
                    publish.payload().readableBytes(), topic, sizeLimit);
            acknowledge(qos, packetId, MqttReasonCodes.PubAck.IMPLEMENTATION_SPECIFIC_ERROR.byteValue());
            return;
        }
        MqttProperties properties = variableHeader.properties();
        ApplicationMessage message = new ApplicationMessage(
                topic, ByteBufUtil.getBytes(publish.payload()), qos, retain, clientId,
                Mqtt5Properties.messageProperties(properties),
                Mqtt5Properties.expiryDeadline(properties, System.currentTimeMillis()));
        switch (qos) {
            case 0 -> route(message);
            case 1 -> {
                // [MQTT-4.3.2-2]; PUBACK only once the message is durable for every stored session.
                Routed routed = route(message);
                acknowledgeWhenDurable(qos, packetId, routedReasonCode(routed.deliveredTo()), routed.durable());
            }
            default -> {
                // [MQTT-4.3.3-2] method B: route once, remember the packet id until PUBREL, so a
                // re-sent PUBLISH with the same id is acknowledged but not delivered again.
                if (session.registerInboundQos2(packetId)) {
                    // The copies and the packet id are stored as one: a crash between them would make a
                    // re-sent PUBLISH either lost (id without copies) or delivered twice (copies without id).
                    InboundQos2 inbound = new InboundQos2();
                    session.atomically(() -> {
                        inbound.routed = route(message);
                        inbound.idStored = session.storeInboundQos2(packetId);
                    });
                    CompletableFuture<Void> writes = StoreWrites.both(inbound.routed.durable(), inbound.idStored);
                    acknowledgeWhenDurable(qos, packetId, routedReasonCode(inbound.routed.deliveredTo()), writes);
                } else {
                    acknowledgeWhenDurable(qos, packetId, MqttReasonCodes.PubRec.SUCCESS.byteValue(), null);
                }
            }
        }
    }

    /** What routing an incoming QoS 2 message produced, filled in inside {@link Session#atomically}. */
    private static final class InboundQos2 {
        private Routed routed;
        private CompletableFuture<Void> idStored;
    }

    /**
     * PUBACK / PUBREC once {@code writes} are durable (null: at once), in arrival order. If the store
     * failed, the message is not acknowledged as received: 5.0 says why (0x97 when the disk is full);
     * 3.1.1 cannot, so the connection is closed and the client sends it again later.
     */
    private void acknowledgeWhenDurable(int qos, int packetId, byte reasonCode, CompletableFuture<Void> writes) {
        if (writes == null && (durableReplies == null || !durableReplies.isWaiting())) {
            acknowledge(qos, packetId, reasonCode);
            return;
        }
        durableReplies().whenDurable(writes, new DurableReplies.Outcome() {
            @Override
            public void durable() {
                acknowledge(qos, packetId, reasonCode);
            }

            @Override
            public void failed(Throwable cause) {
                publishNotStored(qos, packetId, cause);
            }
        });
    }

    private void publishNotStored(int qos, int packetId, Throwable cause) {
        services.metrics().publishRefusedByStore();
        if (qos == MAX_QOS) {
            // A failing PUBREC ends the QoS 2 exchange (5.0); a 3.1.1 client re-sends the PUBLISH.
            session.releaseInboundQos2(packetId);
            session.storeInboundRelease(packetId);
        }
        if (!mqtt5()) {
            LOG.warn("client {}: closing the connection: a QoS {} message could not be stored ({})", clientId, qos,
                    cause.getMessage());
            closeReason = "message could not be stored: " + cause.getMessage();
            ctx.close();
            return;
        }
        LOG.warn("client {}: refused a QoS {} message that could not be stored ({})", clientId, qos,
                cause.getMessage());
        acknowledge(qos, packetId, storeFailureCode(cause));
    }

    /** 0x97 Quota exceeded when the disk is full, else 0x80 Unspecified error. */
    private static byte storeFailureCode(Throwable cause) {
        return cause instanceof StoreFullException
                ? MqttReasonCodes.PubAck.QUOTA_EXCEEDED.byteValue()
                : MqttReasonCodes.PubAck.UNSPECIFIED_ERROR.byteValue();
    }

    /**
     * Writes a reply (PUBCOMP, SUBACK, UNSUBACK) once {@code writes} are durable, in arrival order, then
     * runs {@code afterwards}. If the store failed, the connection is closed instead (5.0: DISCONNECT
     * with the reason): what was asked for is in memory but would not survive a restart.
     */
    private void replyWhenDurable(CompletableFuture<Void> writes, MqttMessage reply, Runnable afterwards) {
        if (writes == null && (durableReplies == null || !durableReplies.isWaiting())) {
            writeSoon(reply);
            afterwards.run();
            return;
        }
        durableReplies().whenDurable(writes, new DurableReplies.Outcome() {
            @Override
            public void durable() {
                writeSoon(reply);
                afterwards.run();
            }

            @Override
            public void failed(Throwable cause) {
                LOG.warn("client {}: closing the connection: a change to its session could not be stored ({})",
                        clientId, cause.getMessage());
                disconnect(cause instanceof StoreFullException ? MqttReasonCodes.Disconnect.QUOTA_EXCEEDED
                        : MqttReasonCodes.Disconnect.UNSPECIFIED_ERROR, "session could not be stored");
            }
        });
    }

    /**
     * A PUBLISH the broker will not route: 5.0 says why in PUBACK/PUBREC; 3.1.1 cannot, so the flow
     * completes as if the message had been delivered.
     */
    private void refusePublish(int qos, int packetId, MqttReasonCodes.PubAck reason) {
        if (qos == MAX_QOS) {
            session.registerInboundQos2(packetId);
        }
        acknowledge(qos, packetId, reason.byteValue());
    }

    /**
     * The topic of a PUBLISH, through the client's topic aliases (5.0, 3.3.2.3.4); null if the
     * PUBLISH broke the rules (the connection is then being closed).
     */
    private String resolveTopic(MqttPublishVariableHeader variableHeader) {
        String topic = variableHeader.topicName();
        if (mqtt5()) {
            int alias = Mqtt5Properties.intValue(variableHeader.properties(), MqttProperties.TOPIC_ALIAS, 0);
            if (Mqtt5Properties.has(variableHeader.properties(), MqttProperties.TOPIC_ALIAS)) {
                if (!topicAliases.isValidInbound(alias)) {
                    // [MQTT-3.3.2-8] alias 0; [MQTT-3.3.2-9] above the Topic Alias Maximum we announced.
                    violation("topic alias " + alias + " outside 1.." + topicAliases.inboundMaximum(),
                            MqttReasonCodes.Disconnect.TOPIC_ALIAS_INVALID);
                    return null;
                }
                if (topic.isEmpty()) {
                    topic = topicAliases.inboundTopic(alias);
                    if (topic == null) {
                        violation("topic alias " + alias + " used before it was set");
                        return null;
                    }
                } else if (Topics.isValidTopicName(topic)) {
                    topicAliases.setInbound(alias, topic);
                }
            }
        }
        if (!Topics.isValidTopicName(topic)) {
            violation("invalid topic name '" + topic + "' in PUBLISH [MQTT-3.3.2-2][MQTT-4.7.3-1]",
                    MqttReasonCodes.Disconnect.TOPIC_NAME_INVALID);
            return null;
        }
        return topic;
    }

    private static byte routedReasonCode(int deliveredTo) {
        // (5.0) 0x10 tells the publisher nobody was subscribed; 3.x clients never see reason codes.
        return deliveredTo == 0 ? MqttReasonCodes.PubAck.NO_MATCHING_SUBSCRIBERS.byteValue()
                : MqttReasonCodes.PubAck.SUCCESS.byteValue();
    }

    /** PUBACK for QoS 1, PUBREC for QoS 2, nothing for QoS 0; the reason code only reaches 5.0 clients. */
    private void acknowledge(int qos, int packetId, byte reasonCode) {
        if (qos == 1) {
            writeSoon(pubReply(MqttMessageType.PUBACK, MqttQoS.AT_MOST_ONCE, packetId, reasonCode));
        } else if (qos == 2) {
            writeSoon(pubReply(MqttMessageType.PUBREC, MqttQoS.AT_MOST_ONCE, packetId, reasonCode));
        }
    }

    private Routed route(ApplicationMessage message) {
        return services.router().publish(message, this, session);
    }

    private void onPubrel(int packetId) {
        boolean known = session.releaseInboundQos2(packetId);
        // PUBCOMP once the release is durable: after a restart the id must not pass for a re-sent one.
        replyWhenDurable(known ? session.storeInboundRelease(packetId) : null,
                pubReply(MqttMessageType.PUBCOMP, MqttQoS.AT_MOST_ONCE, packetId, known
                        ? MqttReasonCodes.PubComp.SUCCESS.byteValue()
                        : MqttReasonCodes.PubComp.PACKET_IDENTIFIER_NOT_FOUND.byteValue()), () -> { });
    }

    // ---------------------------------------------------------------- SUBSCRIBE / UNSUBSCRIBE

    private void onSubscribe(MqttSubscribeMessage subscribe) {
        List<MqttTopicSubscription> requested = subscribe.payload().topicSubscriptions();
        if (requested.isEmpty()) {
            violation("SUBSCRIBE without topic filters [MQTT-3.8.3-3]");
            return;
        }
        int subscriptionId = Subscription.NO_SUBSCRIPTION_ID;
        if (mqtt5()) {
            MqttProperties properties = subscribe.idAndPropertiesVariableHeader().properties();
            if (Mqtt5Properties.has(properties, MqttProperties.SUBSCRIPTION_IDENTIFIER)) {
                subscriptionId = Mqtt5Properties.intValue(properties, MqttProperties.SUBSCRIPTION_IDENTIFIER, 0);
                if (subscriptionId == 0) {
                    violation("Subscription Identifier 0 (3.8.2.1.2)");
                    return;
                }
            }
        }
        int[] codes = new int[requested.size()];
        Subscription[] granted = new Subscription[codes.length];
        int added = 0; // new filters granted so far in this packet, for max_subscriptions_per_client
        for (int i = 0; i < codes.length; i++) {
            MqttTopicSubscription request = requested.get(i);
            MqttSubscriptionOption option = request.option();
            if (!mqtt5() && !hasOnlyQosOption(option)) {
                violation("SUBSCRIBE with reserved option bits set [MQTT-3-8.3-4]");
                return;
            }
            String filter = request.topicFilter();
            String shareName = null;
            if (SharedSubscriptions.isShared(filter)) {
                // $share/{ShareName}/{filter}, for 5.0 and (as Mosquitto does) 3.1.1 clients alike.
                if (mqtt5() && option.isNoLocal()) {
                    violation("No Local on a shared subscription [MQTT-3.8.3-4]");
                    return;
                }
                SharedSubscriptions.SharedFilter shared = SharedSubscriptions.parse(filter);
                if (shared != null) {
                    shareName = shared.shareName();
                    filter = shared.topicFilter();
                } else {
                    filter = null;
                }
            }
            if (filter == null || !Topics.isValidTopicFilter(filter)
                    || !services.config().clientLimits().allowsTopic(filter)) {
                codes[i] = mqtt5() ? MqttReasonCodes.SubAck.TOPIC_FILTER_INVALID.byteValue() & 0xFF : SUBACK_FAILURE_3;
            } else if (!session.hasSubscription(request.topicFilter())
                    && !services.config().clientLimits().allowsAnotherSubscription(session.subscriptionCount() + added)) {
                // max_subscriptions_per_client: 5.0 says Quota exceeded.
                codes[i] = mqtt5() ? MqttReasonCodes.SubAck.QUOTA_EXCEEDED.byteValue() & 0xFF : SUBACK_FAILURE_3;
            } else if (!services.authorizer().canSubscribe(clientId, username, filter)) {
                codes[i] = mqtt5() ? MqttReasonCodes.SubAck.NOT_AUTHORIZED.byteValue() & 0xFF : SUBACK_FAILURE_3;
            } else {
                int qos = Math.min(option.qos().value(), MAX_QOS);
                codes[i] = qos;
                // A 3.1/3.1.1 bridge (Mosquitto's try_private mark) is not sent back what it published, and
                // gets RETAIN as published, as Mosquitto treats it: loop prevention without No Local.
                boolean bridge = !mqtt5() && MqttPacketDecoder.announcedBridge(ctx.channel());
                granted[i] = new Subscription(clientId, filter, qos, option.isNoLocal() || bridge,
                        option.isRetainAsPublished() || bridge, subscriptionId, shareName);
                if (!session.hasSubscription(request.topicFilter())) {
                    added++;
                }
            }
            if (granted[i] == null) {
                LOG.info("client {}: refused topic filter '{}' (code 0x{})", clientId, request.topicFilter(),
                        Integer.toHexString(codes[i]));
            }
        }
        boolean[] existed = new boolean[codes.length];
        boolean logSubscriptions = services.config().logging().logs(LoggingConfig.Type.SUBSCRIBE);
        StoreWrites writes = new StoreWrites();
        for (int i = 0; i < codes.length; i++) {
            if (granted[i] != null) {
                Session.SubscriptionChange change = session.subscribe(granted[i]);
                existed[i] = change.existed();
                writes.add(change.durable());
                if (logSubscriptions) {
                    LOG.info("client {} subscribed to {} (QoS {})", clientId, requested.get(i).topicFilter(), codes[i]);
                }
            }
        }
        // [MQTT-3.8.4-1], [MQTT-3.8.4-2] same packet id, [MQTT-3.8.4-5] one code per filter, in order;
        // sent once the subscriptions are durable, and the retained messages after it.
        MqttSubAckMessage suback = new MqttSubAckMessage(fixedHeader(MqttMessageType.SUBACK, MqttQoS.AT_MOST_ONCE),
                new MqttMessageIdAndPropertiesVariableHeader(subscribe.variableHeader().messageId(),
                        MqttProperties.NO_PROPERTIES),
                new MqttSubAckPayload(codes));
        Session subscriber = session;
        replyWhenDurable(writes.whenDurable(), suback, () -> {
            for (int i = 0; i < codes.length; i++) {
                if (granted[i] != null && sendsRetained(requested.get(i).option(), existed[i])) {
                    services.router().deliverRetained(granted[i], subscriber);
                }
            }
        });
    }

    /** Retain Handling (5.0, 3.8.3.1): 0 always, 1 only for a new subscription, 2 never. */
    private static boolean sendsRetained(MqttSubscriptionOption option, boolean existed) {
        return switch (option.retainHandling()) {
            case SEND_AT_SUBSCRIBE -> true;
            case SEND_AT_SUBSCRIBE_IF_NOT_YET_EXISTS -> !existed;
            case DONT_SEND_AT_SUBSCRIBE -> false;
        };
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
        short[] codes = new short[filters.size()];
        boolean logUnsubscriptions = services.config().logging().logs(LoggingConfig.Type.UNSUBSCRIBE);
        StoreWrites writes = new StoreWrites();
        for (int i = 0; i < codes.length; i++) {
            Session.SubscriptionChange change = session.unsubscribe(filters.get(i));
            boolean existed = change.existed();
            writes.add(change.durable());
            if (logUnsubscriptions) {
                LOG.info("client {} unsubscribed from {}", clientId, filters.get(i));
            }
            codes[i] = existed ? MqttReasonCodes.UnsubAck.SUCCESS.byteValue()
                    : MqttReasonCodes.UnsubAck.NO_SUBSCRIPTION_EXISTED.byteValue();
        }
        // [MQTT-3.10.4-4], [MQTT-3.10.4-5] UNSUBACK even when nothing was subscribed; 5.0 says which.
        replyWhenDurable(writes.whenDurable(),
                new MqttUnsubAckMessage(fixedHeader(MqttMessageType.UNSUBACK, MqttQoS.AT_MOST_ONCE),
                        new MqttMessageIdAndPropertiesVariableHeader(unsubscribe.variableHeader().messageId(),
                                MqttProperties.NO_PROPERTIES),
                        mqtt5() ? new MqttUnsubAckPayload(codes) : null), () -> { });
    }

    private void onDisconnect(MqttMessage disconnect) {
        byte reason = MqttReasonCodes.Disconnect.NORMAL_DISCONNECT.byteValue();
        if (mqtt5() && disconnect.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader header) {
            reason = header.reasonCode();
            MqttProperties properties = header.properties();
            if (Mqtt5Properties.has(properties, MqttProperties.SESSION_EXPIRY_INTERVAL)) {
                long expiry = Mqtt5Properties.unsignedIntValue(properties, MqttProperties.SESSION_EXPIRY_INTERVAL, 0);
                if (connectSessionExpiry == 0 && expiry != 0) {
                    // (5.0, 3.14.2.2.2) a session that was to end with the connection cannot be extended.
                    violation("DISCONNECT sets a Session Expiry Interval after CONNECT set 0 (3.14.2.2.2)");
                    return;
                }
                Session current = session;
                current.execute(() -> current.setExpiryInterval(expiry));
            }
        }
        if (reason == MqttReasonCodes.Disconnect.NORMAL_DISCONNECT.byteValue()) {
            // [MQTT-3.14.4-3] a normal DISCONNECT discards the will; 5.0's 0x04 (and errors) keep it.
            will = null;
        }
        closeReason = "client sent DISCONNECT" + (mqtt5() ? " (reason 0x" + Integer.toHexString(reason & 0xFF) + ")" : "");
        state = State.DISCONNECTED;
        handOverWill();
        services.metrics().clientDisconnected();
        log.disconnected(clientId, remoteAddress(), closeReason);
        // The session is offline from this moment, not from when the socket's close is processed: what
        // is published meanwhile is queued for it instead of being written to a closing connection.
        Session attached = session;
        attached.execute(() -> attached.detach(this));
        ctx.close();
    }

    // ---------------------------------------------------------------- closing

    private void violation(String reason) {
        violation(reason, MqttReasonCodes.Disconnect.PROTOCOL_ERROR);
    }

    /**
     * A rule of the specification was broken: 3.x closes the connection; 5.0 first says why, in a
     * CONNACK if none was sent yet, else in a DISCONNECT ([MQTT-4.13.1-1]). The will is published.
     */
    private void violation(String reason, MqttReasonCodes.Disconnect code) {
        services.metrics().protocolViolation();
        LOG.info("closing connection of client {} ({}): protocol violation: {}", clientId, remoteAddress(), reason);
        if (state == State.AWAITING_CONNECT && mqtt5()) {
            refuse(switch (code) {
                case MALFORMED_PACKET -> MqttConnectReturnCode.CONNECTION_REFUSED_MALFORMED_PACKET;
                case PACKET_TOO_LARGE -> MqttConnectReturnCode.CONNECTION_REFUSED_PACKET_TOO_LARGE;
                default -> MqttConnectReturnCode.CONNECTION_REFUSED_PROTOCOL_ERROR;
            }, reason);
            return;
        }
        disconnect(code, "protocol violation: " + reason);
    }

    /** Closes as the server: 5.0 clients get a DISCONNECT with the reason first. */
    private void disconnect(MqttReasonCodes.Disconnect code, String reason) {
        closeReason = reason;
        closing = true;
        if (mqtt5() && state == State.CONNECTED) {
            // [MQTT-3.1.2-24] the reason string is optional: leave it out rather than exceed the
            // client's Maximum Packet Size.
            boolean fits = DISCONNECT_OVERHEAD_BYTES + reason.length() * MAX_UTF8_BYTES_PER_CHAR <= clientMaximumPacketSize;
            MqttMessage disconnect = MqttMessageBuilders.disconnect()
                    .reasonCode(code.byteValue())
                    .properties(fits ? reasonString(reason) : MqttProperties.NO_PROPERTIES)
                    .build();
            ctx.writeAndFlush(disconnect).addListener(future -> ctx.close());
        } else {
            ctx.close();
        }
    }

    private static MqttProperties reasonString(String reason) {
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, reason));
        return properties;
    }

    /**
     * The connection ended without a normal DISCONNECT: publish the will now, or (5.0) hand it to
     * the session to publish after its Will Delay Interval unless the session is resumed first.
     */
    private void handOverWill() {
        ApplicationMessage pendingWill = will;
        will = null;
        if (pendingWill == null) {
            return;
        }
        if (willDelaySeconds > 0 && session != null && session.isPersistent()) {
            Session attached = session;
            long delay = willDelaySeconds;
            int generation = claimGeneration;
            attached.execute(() -> attached.deferWill(pendingWill, delay, this::publishWill, generation));
        } else {
            publishWill(pendingWill);
        }
    }

    private void publishWill(ApplicationMessage pendingWill) {
        services.wills().publish(pendingWill, clientId, username);
    }

    /**
     * The broker is shutting down: publish the will, as for any server-side close that is not a
     * DISCONNECT. The channel is closed afterwards by {@link #closeForShutdown()}.
     */
    void publishWillForShutdown() {
        closeReason = "broker shutting down";
        if (state == State.CONNECTED && will != null) {
            ApplicationMessage pendingWill = will;
            will = null;
            publishWill(pendingWill);
        }
    }

    /** Flushes what is written, then closes (5.0: DISCONNECT 0x8B first). Event loop. */
    void closeForShutdown() {
        closeReason = "broker shutting down";
        if (mqtt5() && state == State.CONNECTED) {
            ctx.write(MqttMessageBuilders.disconnect()
                    .reasonCode(MqttReasonCodes.Disconnect.SERVER_SHUTTING_DOWN.byteValue()).build());
        }
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
        if (flushedWhileUnwritable) {
            // Flushed already and the socket took too little: until it drains (channelWritabilityChanged) or
            // more is written (the scheduled flush), another flush cannot help. A burst of QoS 0 messages to a
            // congested client costs one flush, not one each.
            return false;
        }
        // Unflushed writes count too: hand them to the socket before calling the client slow.
        flushNow();
        flushedWhileUnwritable = !ctx.channel().isWritable();
        return !flushedWhileUnwritable;
    }

    @Override
    public int receiveMaximum() {
        return clientReceiveMaximum;
    }

    @Override
    public boolean sendPublish(ApplicationMessage message, int qos, int packetId, boolean dup, boolean retain,
                               int[] subscriptionIds) {
        MessageBytes shared = MessageBytes.of(message);
        PublishPacket packet;
        if (mqtt5()) {
            int alias = topicAliases.outbound(message.topic());
            boolean aliasKnown = alias < 0;
            packet = PublishPacket.mqtt5(aliasKnown ? PublishPacket.NO_TOPIC : shared.topic(), qos, dup, retain,
                    packetId, message, message.remainingExpirySeconds(System.currentTimeMillis()), subscriptionIds,
                    Math.abs(alias));
            if (packet.size() > clientMaximumPacketSize) {
                // [MQTT-3.1.2-25] too large for the client: not sent, but handled as if it were. A new
                // alias is not recorded either: the client never learned it.
                LOG.debug("client {}: a PUBLISH on {} exceeds its Maximum Packet Size {}", clientId,
                        message.topic(), clientMaximumPacketSize);
                services.metrics().droppedOversize();
                return false;
            }
            if (alias > 0) {
                topicAliases.learned(message.topic(), alias);
            }
        } else {
            packet = PublishPacket.mqtt3(shared.topic(), qos, dup, retain, packetId, message.payloadSize());
        }
        writeSoon(shared.sharesPayload()
                ? packet.encode(ctx.alloc(), shared.retainedPayload(ctx.alloc(), ctx.executor()))
                : packet.encode(ctx.alloc(), message.payload()));
        return true;
    }

    @Override
    public void sendPubrel(int packetId) {
        // PUBREL's fixed header flags are 0010 ([MQTT-3.6.1-1]).
        writeSoon(pubReply(MqttMessageType.PUBREL, MqttQoS.AT_LEAST_ONCE, packetId,
                MqttReasonCodes.PubRel.SUCCESS.byteValue()));
    }

    @Override
    public void closeForTakeover() {
        // [MQTT-3.1.4-2]; 5.0 tells the old client why (0x8E).
        disconnect(MqttReasonCodes.Disconnect.SESSION_TAKEN_OVER, "session taken over by a new connection");
    }

    @Override
    public String describe() {
        return clientId + " (" + remoteAddress() + ")";
    }

    @Override
    public String clientAddress() {
        return remoteAddress() instanceof InetSocketAddress inet
                ? inet.getAddress().getHostAddress() + ":" + inet.getPort()
                : String.valueOf(remoteAddress());
    }

    @Override
    public String protocolVersion() {
        return versionName();
    }

    @Override
    public long connectedSinceMillis() {
        return connectedSinceMillis;
    }

    @Override
    public void closeByAdministrator() {
        // 5.0 tells the client why (0x98 Administrative action); its will is published, as for any
        // server-side close that is not a DISCONNECT from the client.
        disconnect(MqttReasonCodes.Disconnect.ADMINISTRATIVE_ACTION, "disconnected by an administrator");
    }

    @Override
    public String username() {
        return username;
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
        // Always later, even on our own loop: resuming handles the packets held meanwhile, which may route
        // to the very session that is resuming us, and pause us again, while it is still in its resume loop.
        ctx.executor().execute(this::resumeNow);
    }

    private void resumeNow() {
        if (!readPaused) {
            return;
        }
        readPaused = false;
        pauseTimeout = cancel(pauseTimeout);
        handleHeldPackets(false);
        updateAutoRead();
    }

    private void updateAutoRead() {
        ReadSuspensions.set(ctx.channel(), ReadSuspensions.Reason.CONNECTION,
                readPaused || state == State.CONNECTING);
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
        flushedWhileUnwritable = false;
        ctx.flush();
    }

    private static MqttFixedHeader fixedHeader(MqttMessageType type, MqttQoS qos) {
        return new MqttFixedHeader(type, false, qos, false, 0);
    }

    /** PUBACK, PUBREC, PUBREL or PUBCOMP; the codec writes the reason code only for 5.0, and only if not 0. */
    private static MqttMessage pubReply(MqttMessageType type, MqttQoS qos, int packetId, byte reasonCode) {
        return new MqttMessage(fixedHeader(type, qos),
                new MqttPubReplyMessageVariableHeader(packetId, reasonCode, MqttProperties.NO_PROPERTIES));
    }

    private static int packetId(MqttMessage packet) {
        return ((MqttMessageIdVariableHeader) packet.variableHeader()).messageId();
    }

    private SocketAddress remoteAddress() {
        return ctx.channel().remoteAddress();
    }

    /**
     * Cancels a timer; returns null for the field that held it, so that a connection that lives long after
     * its CONNECT does not keep the cancelled task (64 bytes) for the rest of its life.
     */
    private static ScheduledFuture<?> cancel(ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
        return null;
    }
}
