package io.estafeta.broker.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A bare MQTT peer on a real TCP socket: it writes whatever bytes a test hands it and reads the server's
 * packets only when the test asks, so a test can also stop reading altogether (a slow consumer). It knows
 * no protocol rules beyond splitting the byte stream into packets; {@link Packets} builds what it sends.
 *
 * <p>Reads wait at most the given time and never lose a partly received packet: bytes are buffered until
 * a whole packet is there.
 *
 * <p>The connection speaks the protocol level of the CONNECT it sent through {@link #connect}: after an
 * MQTT 5.0 CONNECT, the packets it receives are decoded with their properties and the conversation
 * helpers ({@link #subscribe}, {@link #publishQos1}, ...) send the 5.0 form.
 */
public final class RawMqttConnection implements AutoCloseable {

    /** How long a test waits for the server's next packet, or for it to close the connection. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    private static final int CONTINUATION_BIT = 0x80;
    private static final int MAX_REMAINING_LENGTH_BYTES = 4;
    private static final int READ_CHUNK = 8192;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private byte[] buffer = new byte[READ_CHUNK];
    private int buffered;
    private boolean endOfStream;
    private int protocolLevel = MqttPacket.MQTT_3_1_1;

    private RawMqttConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static RawMqttConnection open(TestBroker broker) {
        return open(broker, 0);
    }

    /**
     * Opens a connection whose socket receive buffer is {@code receiveBufferSize} bytes (0: the system's),
     * so that a test that stops reading makes TCP push back on the server soon.
     */
    public static RawMqttConnection open(TestBroker broker, int receiveBufferSize) {
        return open(new InetSocketAddress(broker.host(), broker.port()), null, receiveBufferSize);
    }

    /** Opens a connection to any broker on this machine, e.g. one a test starts and restarts itself. */
    public static RawMqttConnection open(String host, int port) {
        return open(new InetSocketAddress(host, port), null, 0);
    }

    /**
     * Opens a connection to any address, from {@code localAddress} ({@code null}: the system's choice; on
     * Linux every 127.x.y.z is a loopback address, so tests can play several client machines).
     */
    public static RawMqttConnection open(InetSocketAddress server, String localAddress, int receiveBufferSize) {
        Socket socket = new Socket();
        try {
            if (receiveBufferSize > 0) {
                socket.setReceiveBufferSize(receiveBufferSize);
            }
            if (localAddress != null) {
                socket.bind(new InetSocketAddress(localAddress, 0));
            }
            socket.setTcpNoDelay(true);
            socket.connect(server, (int) DEFAULT_TIMEOUT.toMillis());
            return new RawMqttConnection(socket);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new UncheckedIOException("cannot connect to " + server, e);
        }
    }

    // ---------------------------------------------------------------- sending

    public RawMqttConnection send(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("sending to the server failed", e);
        }
    }

    /** Half-closes: the server reads end-of-stream, as when a client's process goes away after writing. */
    public void shutdownOutput() {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- conversations

    /** Sends the CONNECT and returns the server's answer, failing if it is not a CONNACK. */
    public MqttPacket connect(Packets.Connect connect) {
        protocolLevel = connect.protocolLevel();
        send(connect.build());
        return receive(PacketType.CONNACK);
    }

    /** Connects with MQTT 5.0, Clean Start set, and fails unless the server accepts. */
    public MqttPacket connect5Accepted(String clientId) {
        return connectAccepted(Packets.connect5(clientId));
    }

    private boolean mqtt5() {
        return protocolLevel == MqttPacket.MQTT_5;
    }

    /** Connects with MQTT 3.1.1 and fails unless the server accepts. */
    public MqttPacket connectAccepted(String clientId, boolean cleanSession) {
        return connectAccepted(Packets.connect(clientId).cleanSession(cleanSession));
    }

    public MqttPacket connectAccepted(Packets.Connect connect) {
        MqttPacket connack = connect(connect);
        if (connack.returnCode() != 0) {
            throw new AssertionError("the server refused the connection: " + connack);
        }
        return connack;
    }

    /** Sends a one-filter SUBSCRIBE and returns the SUBACK (failing on any other packet in between). */
    public MqttPacket subscribe(int packetId, String filter, int qos) {
        Packets.Subscribe subscribe = mqtt5() ? Packets.subscribe5(packetId) : Packets.subscribe(packetId);
        return subscribe(subscribe.filter(filter, qos));
    }

    /** Sends the SUBSCRIBE and returns the SUBACK (failing on any other packet in between). */
    public MqttPacket subscribe(Packets.Subscribe subscribe) {
        send(subscribe.build());
        MqttPacket suback = receive(PacketType.SUBACK);
        if (suback.packetId() != subscribe.packetId()) {
            throw new AssertionError("SUBACK for another packet id: " + suback);
        }
        return suback;
    }

    /** Publishes at QoS 0 (nothing comes back). */
    public void publishQos0(String topic, String payload) {
        send(publishBuilder(topic).payload(payload).build());
    }

    /** Publishes at QoS 1 and waits for the PUBACK. */
    public MqttPacket publishQos1(String topic, String payload, int packetId) {
        send(publishBuilder(topic).qos(1).packetId(packetId).payload(payload).build());
        return expectAck(PacketType.PUBACK, packetId);
    }

    /** Runs the whole QoS 2 exchange as a publisher: PUBLISH, PUBREC, PUBREL, PUBCOMP. */
    public void publishQos2(String topic, String payload, int packetId) {
        send(publishBuilder(topic).qos(2).packetId(packetId).payload(payload).build());
        expectAck(PacketType.PUBREC, packetId);
        send(Packets.pubrel(packetId));
        expectAck(PacketType.PUBCOMP, packetId);
    }

    /**
     * Receives the next PUBLISH and acknowledges it as a receiver must for its QoS: PUBACK for QoS 1, PUBREC
     * for QoS 2. A PUBREL that arrives before it (for an earlier QoS 2 message) is answered with PUBCOMP on
     * the way, as a real client would; any other packet fails the test.
     */
    public MqttPacket receivePublishAndAcknowledge() {
        while (true) {
            MqttPacket packet = receive();
            switch (packet.type()) {
                case PUBLISH -> {
                    if (packet.qos() == 1) {
                        send(Packets.puback(packet.packetId()));
                    } else if (packet.qos() == 2) {
                        send(Packets.pubrec(packet.packetId()));
                    }
                    return packet;
                }
                case PUBREL -> send(Packets.pubcomp(packet.packetId()));
                default -> throw new AssertionError("expected a PUBLISH but the server sent " + packet);
            }
        }
    }

    public MqttPacket expectAck(PacketType type, int packetId) {
        MqttPacket ack = receive(type);
        if (ack.packetId() != packetId) {
            throw new AssertionError("expected " + type + " for packet id " + packetId + " but got " + ack);
        }
        return ack;
    }

    /**
     * Sends DISCONNECT and waits until the server has closed the connection, i.e. has handled it (so a
     * test's next step cannot overtake it), then closes this side.
     */
    public void disconnect() {
        send(Packets.disconnect());
        awaitClosed();
        close();
    }

    /**
     * Returns every PUBLISH the server has decided to send this client so far, without acknowledging any
     * (a PUBREL on the way is answered with PUBCOMP). It asks twice with a PINGREQ and reads up to each
     * PINGRESP: the server answers a client's packets in order and writes what it sends in order, but a
     * message routed on another connection's thread reaches this connection's thread as a queued task,
     * which may run just after the first PINGREQ is read. It has run before the second is read, so
     * whatever was routed to this client before the first PINGREQ was sent arrives before the second
     * PINGRESP.
     */
    public List<MqttPacket> publishesUntilPingResponse() {
        List<MqttPacket> publishes = new ArrayList<>();
        collectPublishesUntilPingResponse(publishes);
        collectPublishesUntilPingResponse(publishes);
        return publishes;
    }

    private void collectPublishesUntilPingResponse(List<MqttPacket> publishes) {
        send(Packets.pingreq());
        while (true) {
            MqttPacket packet = receive();
            switch (packet.type()) {
                case PINGRESP -> {
                    return;
                }
                case PUBLISH -> publishes.add(packet);
                case PUBREL -> send(Packets.pubcomp(packet.packetId()));
                default -> throw new AssertionError("expected a PUBLISH or PINGRESP but the server sent " + packet);
            }
        }
    }

    /**
     * Waits for the server to close the connection and returns the DISCONNECT it sent last (MQTT 5.0),
     * failing if it closed without one.
     */
    public MqttPacket awaitServerDisconnect() {
        return awaitServerDisconnect(DEFAULT_TIMEOUT);
    }

    /** As {@link #awaitServerDisconnect()}, waiting at most the given time for the server to close. */
    public MqttPacket awaitServerDisconnect(Duration timeout) {
        List<MqttPacket> received = awaitClosed(timeout);
        if (received.isEmpty() || received.getLast().type() != PacketType.DISCONNECT) {
            throw new AssertionError("the server closed the connection without a DISCONNECT; it sent " + received);
        }
        return received.getLast();
    }

    private Packets.Publish publishBuilder(String topic) {
        return mqtt5() ? Packets.publish5(topic) : Packets.publish(topic);
    }

    // ---------------------------------------------------------------- receiving

    /** The next packet; fails if none arrives within {@link #DEFAULT_TIMEOUT} or the server closes. */
    public MqttPacket receive() {
        return poll(DEFAULT_TIMEOUT).orElseThrow(
                () -> new AssertionError("no packet from the server within " + DEFAULT_TIMEOUT));
    }

    /** The next packet, which must be of the given type. */
    public MqttPacket receive(PacketType expected) {
        MqttPacket packet = receive();
        if (packet.type() != expected) {
            throw new AssertionError("expected " + expected + " but the server sent " + packet);
        }
        return packet;
    }

    /** The next packet if one arrives within the timeout; fails if the server closes the connection first. */
    public Optional<MqttPacket> poll(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        MqttPacket packet = readPacket(deadline);
        if (packet == null && endOfStream) {
            throw new AssertionError("the server closed the connection");
        }
        return Optional.ofNullable(packet);
    }

    /**
     * Lets time pass on purpose: fails if the server sends anything or closes the connection within the
     * given time. Only for rules that are about time (keep-alive).
     */
    public void expectNothingFor(Duration duration) {
        poll(duration).ifPresent(packet -> {
            throw new AssertionError("expected silence but the server sent " + packet);
        });
    }

    /** Waits the default time for the server to close the connection. */
    public List<MqttPacket> awaitClosed() {
        return awaitClosed(DEFAULT_TIMEOUT);
    }

    /**
     * Waits for the server to close the connection (end of stream or reset), reading and returning whatever
     * it sent until then; fails if it is still open after the timeout.
     */
    public List<MqttPacket> awaitClosed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<MqttPacket> received = new ArrayList<>();
        while (true) {
            MqttPacket packet = readPacket(deadline);
            if (packet != null) {
                received.add(packet);
            } else if (endOfStream) {
                return received;
            } else {
                throw new AssertionError("the server did not close the connection within " + timeout
                        + "; it sent " + received);
            }
        }
    }

    /** Returns a whole packet, or null on timeout or when the stream has ended. */
    private MqttPacket readPacket(long deadlineNanos) {
        while (true) {
            MqttPacket packet = takeBufferedPacket();
            if (packet != null) {
                return packet;
            }
            if (endOfStream) {
                return null;
            }
            long remainingMillis = Duration.ofNanos(deadlineNanos - System.nanoTime()).toMillis();
            if (remainingMillis <= 0) {
                return null;
            }
            readMore(remainingMillis);
        }
    }

    private void readMore(long timeoutMillis) {
        if (buffer.length - buffered < READ_CHUNK) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        try {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMillis));
            int n = in.read(buffer, buffered, buffer.length - buffered);
            if (n < 0) {
                endOfStream = true;
            } else {
                buffered += n;
            }
        } catch (SocketTimeoutException e) {
            // nothing arrived in time; the caller checks its deadline
        } catch (SocketException e) {
            // a reset is the server closing the connection too
            endOfStream = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private MqttPacket takeBufferedPacket() {
        if (buffered < 2) {
            return null;
        }
        int remainingLength = 0;
        int multiplier = 1;
        int index = 1;
        while (true) {
            if (index >= buffered) {
                return null;
            }
            int digit = buffer[index++] & 0xFF;
            remainingLength += (digit & ~CONTINUATION_BIT) * multiplier;
            if ((digit & CONTINUATION_BIT) == 0) {
                break;
            }
            if (index > MAX_REMAINING_LENGTH_BYTES) {
                throw new AssertionError("the server sent a Remaining Length of more than 4 bytes");
            }
            multiplier *= 128;
        }
        int total = index + remainingLength;
        if (buffered < total) {
            return null;
        }
        int first = buffer[0] & 0xFF;
        byte[] body = Arrays.copyOfRange(buffer, index, total);
        System.arraycopy(buffer, total, buffer, 0, buffered - total);
        buffered -= total;
        return new MqttPacket(PacketType.of(first >> 4), first & 0x0F, body, protocolLevel);
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test socket: nothing to do about a failure
        }
    }
}
