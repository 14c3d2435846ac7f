package io.estafeta.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/** Opens the generator's connections, a bounded number at a time so that a broker's accept queue keeps up. */
final class Connector {

    /** Connections being set up at once. */
    static final int CONCURRENT_CONNECTS = 200;
    /** Netty's MqttDecoder only sees CONNACK and SUBACK here, but its default limit is 8,092 bytes. */
    private static final int MAX_HANDSHAKE_PACKET_BYTES = 64 * 1024;
    private static final long CONNECT_TIMEOUT_SECONDS = 30;

    private final Transport transport;
    private final String host;
    private final int port;

    Connector(Transport transport, String host, int port) {
        this.transport = transport;
        this.host = host;
        this.port = port;
    }

    /**
     * Opens {@code count} connections made by {@code factory} and waits until all are ready.
     *
     * @param opened called with the number ready so far after each group (progress)
     * @throws BenchException if one cannot connect or is refused
     */
    List<BenchConnection> open(int count, IntFunction<BenchConnection> factory, IntConsumer opened) {
        List<BenchConnection> connections = new ArrayList<>(count);
        for (int first = 0; first < count; first += CONCURRENT_CONNECTS) {
            int last = Math.min(count, first + CONCURRENT_CONNECTS);
            List<BenchConnection> group = new ArrayList<>(last - first);
            for (int i = first; i < last; i++) {
                BenchConnection connection = factory.apply(i);
                group.add(connection);
                connect(connection);
            }
            for (BenchConnection connection : group) {
                await(connection.ready());
            }
            connections.addAll(group);
            opened.accept(connections.size());
        }
        return connections;
    }

    private void connect(BenchConnection connection) {
        ChannelFuture connecting = new Bootstrap()
                .group(transport.group())
                .channel(transport.channelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline()
                                .addLast(BenchConnection.ENCODER, MqttEncoder.INSTANCE)
                                .addLast(BenchConnection.DECODER, new MqttDecoder(MAX_HANDSHAKE_PACKET_BYTES))
                                .addLast(BenchConnection.CONNECTION, connection);
                    }
                })
                .connect(host, port);
        connecting.addListener(future -> {
            if (!future.isSuccess()) {
                connection.ready().completeExceptionally(new BenchException("cannot connect to " + host + ":"
                        + port + ": " + future.cause().getMessage(), future.cause()));
            }
        });
    }

    private static void await(CompletableFuture<BenchConnection> ready) {
        try {
            ready.get(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof BenchException bench ? bench
                    : new BenchException(e.getCause().toString(), e.getCause());
        } catch (TimeoutException e) {
            throw new BenchException("no CONNACK/SUBACK within " + CONNECT_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted", e);
        }
    }
}
