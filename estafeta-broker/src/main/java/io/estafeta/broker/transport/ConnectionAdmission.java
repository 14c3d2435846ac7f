package io.estafeta.broker.transport;

import io.estafeta.broker.config.TrafficLimits;
import io.estafeta.broker.metrics.BrokerMetrics;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The broker-wide connection limits, {@code max_connections_total} and {@code max_connections_per_address},
 * checked right after accept, before a byte of the connection is read: a client that opens sockets by the
 * thousand costs the broker a counter each, never a decoder or a CONNECT parse. Shared by every listener;
 * thread-safe.
 */
final class ConnectionAdmission {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionAdmission.class);

    private final int maxTotal;
    private final int maxPerAddress;
    private final BrokerMetrics metrics;
    private final AtomicInteger open = new AtomicInteger();
    /** Open connections per remote address; an address leaves the map with its last connection. */
    private final ConcurrentHashMap<InetAddress, Integer> openPerAddress = new ConcurrentHashMap<>();

    ConnectionAdmission(TrafficLimits limits, BrokerMetrics metrics) {
        this.maxTotal = limits.maxConnectionsTotal();
        this.maxPerAddress = limits.maxConnectionsPerAddress();
        this.metrics = metrics;
    }

    /**
     * Counts a newly accepted connection, or refuses it when a limit is reached. An admitted connection is
     * counted until it closes.
     *
     * @return whether the connection may stay open; if not, the caller closes it
     */
    boolean admit(Channel channel) {
        if (maxTotal != TrafficLimits.NO_LIMIT && open.incrementAndGet() > maxTotal) {
            open.decrementAndGet();
            LOG.info("refused a connection from {}: max_connections_total ({}) reached", channel.remoteAddress(),
                    maxTotal);
            metrics.connectionRefusedAtLimit();
            return false;
        }
        InetAddress address = maxPerAddress == TrafficLimits.NO_LIMIT ? null : addressOf(channel);
        if (address != null && !admitFrom(address)) {
            release(null);
            LOG.info("refused a connection from {}: max_connections_per_address ({}) reached",
                    channel.remoteAddress(), maxPerAddress);
            metrics.connectionRefusedPerAddress();
            return false;
        }
        if (maxTotal != TrafficLimits.NO_LIMIT || address != null) {
            // Without a limit there is nothing to give back: no listener (idle connections are many).
            channel.closeFuture().addListener(closed -> release(address));
        }
        return true;
    }

    private boolean admitFrom(InetAddress address) {
        boolean[] admitted = {false};
        openPerAddress.compute(address, (key, count) -> {
            int current = count == null ? 0 : count;
            if (current >= maxPerAddress) {
                return count;
            }
            admitted[0] = true;
            return current + 1;
        });
        return admitted[0];
    }

    private void release(InetAddress address) {
        if (maxTotal != TrafficLimits.NO_LIMIT) {
            open.decrementAndGet();
        }
        if (address != null) {
            // Atomic per address; the entry goes with the last connection, so the map holds only live ones.
            openPerAddress.computeIfPresent(address, (key, count) -> count <= 1 ? null : count - 1);
        }
    }

    private static InetAddress addressOf(Channel channel) {
        return channel.remoteAddress() instanceof InetSocketAddress socket ? socket.getAddress() : null;
    }
}
