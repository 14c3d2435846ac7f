package io.estafeta.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code conns} scenario: opens many idle connections, reports how fast the broker accepted them and,
 * given its process id, how much resident memory each one cost it.
 *
 * @param connections how many to open
 * @param subscribe   whether each also subscribes to a topic of its own
 * @param keepAliveSeconds the keep-alive each one asks for (and pings within), 0 for none
 * @param hold        how long to keep them open once all are up (the memory is read at the end of it)
 */
record ConnectionRun(LoadSettings settings, int connections, boolean subscribe, int keepAliveSeconds,
                     Duration hold,
                     PrintWriter progress) {

    private static final double NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    Report run() {
        long brokerPid = settings.brokerPid();
        String runId = LoadRun.newRunId();
        OptionalLong before = brokerPid > 0 ? BrokerMemory.residentBytes(brokerPid) : OptionalLong.empty();
        if (brokerPid > 0 && before.isEmpty()) {
            throw new BenchException("cannot read VmRSS of process " + brokerPid + " from /proc");
        }
        try (Transport transport = Transport.start(settings.threads(), "conns")) {
            Connector connector = new Connector(transport, settings.host(), settings.port());
            long start = System.nanoTime();
            List<BenchConnection> opened = List.of();
            try {
                opened = connector.open(connections,
                        i -> new BenchConnection("bench-" + runId + "-c" + i, settings.version(),
                                subscribe ? "bench/" + runId + "/conns/" + i : null, settings.qos(), null, false,
                                keepAliveSeconds),
                        this::printProgress);
                double seconds = (System.nanoTime() - start) / NANOS_PER_SECOND;
                LockSupport.parkNanos(hold.toNanos());
                OptionalLong after = brokerPid > 0 ? BrokerMemory.residentBytes(brokerPid) : OptionalLong.empty();
                requireAllOpen(opened);
                return report(transport, seconds, brokerPid, before, after);
            } finally {
                opened.forEach(BenchConnection::disconnect);
            }
        }
    }

    /** A connection the broker closed during the hold would make the memory per connection a wrong figure. */
    private void requireAllOpen(List<BenchConnection> opened) {
        List<BenchConnection> closed = opened.stream().filter(c -> !c.channel().isActive()).toList();
        if (!closed.isEmpty()) {
            throw new BenchException(closed.size() + " of " + connections + " connections were closed during the"
                    + " hold; " + closed.getFirst().clientId() + ": " + closed.getFirst().closeReason());
        }
    }

    private void printProgress(int ready) {
        if (settings.progress()) {
            progress.printf(Locale.ROOT, "connected %,d of %,d%n", ready, connections);
            progress.flush();
        }
    }

    private Report report(Transport transport, double seconds, long brokerPid, OptionalLong before,
                          OptionalLong after) {
        Report report = new Report();
        report.put("run", "scenario", "conns")
                .put("run", "broker", settings.brokerAddress())
                .put("run", "protocol", settings.versionName())
                .put("run", "connections", connections)
                .put("run", "subscribe", subscribe)
                .put("run", "keep_alive_s", keepAliveSeconds)
                .put("run", "hold_s", hold.toMillis() / 1000.0);
        report.put("connect", "seconds", seconds)
                .put("connect", "connections_per_s", connections / seconds);
        if (before.isPresent() && after.isPresent()) {
            long growth = after.getAsLong() - before.getAsLong();
            report.put("broker_memory", "pid", brokerPid)
                    .put("broker_memory", "rss_before_bytes", before.getAsLong())
                    .put("broker_memory", "rss_after_bytes", after.getAsLong())
                    .put("broker_memory", "bytes_per_connection", (double) growth / connections);
        }
        report.put("generator", "transport", transport.name())
                .put("generator", "threads", transport.threads());
        return report;
    }
}
