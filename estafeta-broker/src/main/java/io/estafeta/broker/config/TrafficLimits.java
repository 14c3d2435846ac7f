package io.estafeta.broker.config;

/**
 * Limits against clients that take more than their share of connections, bandwidth or memory: Estafeta's
 * own settings, in the configuration file's syntax. 0 means "no limit" for each.
 *
 * @param maxConnectionsTotal       connections open at once over all listeners (Mosquitto's
 *                                  {@code max_connections} counts per listener)
 * @param maxConnectionsPerAddress  connections open at once from one remote IP address
 * @param maxPublishRate            PUBLISH packets per second one connection may send, on average
 * @param maxPublishBytesRate       PUBLISH payload bytes per second one connection may send, on average
 * @param outboundMemoryBudget      bytes waiting in every connection's outbound buffer together; past it the
 *                                  connections holding more than their share are closed
 */
public record TrafficLimits(int maxConnectionsTotal, int maxConnectionsPerAddress, long maxPublishRate,
                            long maxPublishBytesRate, long outboundMemoryBudget) {

    public static final long NO_LIMIT = 0;
    /**
     * The default outbound budget: a quarter of the JVM's heap limit. Netty's pooled direct memory is
     * capped by default at the heap limit too, so this leaves room for everything else the broker holds.
     */
    public static final long DEFAULT_OUTBOUND_MEMORY_BUDGET = Runtime.getRuntime().maxMemory() / 4;
    public static final TrafficLimits DEFAULTS = new TrafficLimits(0, 0, NO_LIMIT, NO_LIMIT,
            DEFAULT_OUTBOUND_MEMORY_BUDGET);

    public TrafficLimits {
        requireNotNegative("maxConnectionsTotal", maxConnectionsTotal);
        requireNotNegative("maxConnectionsPerAddress", maxConnectionsPerAddress);
        requireNotNegative("maxPublishRate", maxPublishRate);
        requireNotNegative("maxPublishBytesRate", maxPublishBytesRate);
        requireNotNegative("outboundMemoryBudget", outboundMemoryBudget);
    }

    public boolean limitsPublishRate() {
        return maxPublishRate != NO_LIMIT || maxPublishBytesRate != NO_LIMIT;
    }

    public TrafficLimits withMaxConnectionsTotal(int value) {
        return new TrafficLimits(value, maxConnectionsPerAddress, maxPublishRate, maxPublishBytesRate,
                outboundMemoryBudget);
    }

    public TrafficLimits withMaxConnectionsPerAddress(int value) {
        return new TrafficLimits(maxConnectionsTotal, value, maxPublishRate, maxPublishBytesRate,
                outboundMemoryBudget);
    }

    public TrafficLimits withMaxPublishRate(long value) {
        return new TrafficLimits(maxConnectionsTotal, maxConnectionsPerAddress, value, maxPublishBytesRate,
                outboundMemoryBudget);
    }

    public TrafficLimits withMaxPublishBytesRate(long value) {
        return new TrafficLimits(maxConnectionsTotal, maxConnectionsPerAddress, maxPublishRate, value,
                outboundMemoryBudget);
    }

    public TrafficLimits withOutboundMemoryBudget(long value) {
        return new TrafficLimits(maxConnectionsTotal, maxConnectionsPerAddress, maxPublishRate,
                maxPublishBytesRate, value);
    }

    private static void requireNotNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0 (0: no limit): " + value);
        }
    }
}
