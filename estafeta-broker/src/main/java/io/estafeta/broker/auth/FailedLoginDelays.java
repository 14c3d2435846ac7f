package io.estafeta.broker.auth;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Slows password guessing from one network address: after failed logins from an address, the broker holds
 * back its answers (CONNACK) to that address for a while. Nothing here sleeps: the caller is told how long
 * to wait and schedules the answer, so an event loop never blocks.
 *
 * <p>Each failure from an address doubles the delay, from {@link Settings#firstDelay} up to
 * {@link Settings#longestDelay}; each failure is forgotten {@link Settings#forgetAfter} later (a leaky
 * bucket), so a user who mistyped a password once is soon back to immediate answers. Every answer to an
 * address with failures on record is delayed, a successful login too: if only failures were slow, a client
 * could hang up after a few milliseconds and take the silence for "wrong password".
 *
 * <p>Memory is bounded: at most {@link Settings#maxTrackedAddresses} addresses are remembered; when full,
 * the one whose last failure is oldest is forgotten. An IPv6 client is tracked by its /64 network, the
 * block a single host or site usually gets, so that rotating through one's own addresses does not reset the
 * count. Calls may come from any thread.
 */
public final class FailedLoginDelays {

    /** More failures than this are not remembered: the delay is long since at its longest. */
    static final int MAX_REMEMBERED_FAILURES = 16;
    /** An IPv6 address's first 8 bytes: its /64 network. */
    private static final int IPV6_NETWORK_BYTES = 8;
    /** Doubling stops here, far beyond any sensible longest delay; keeps the shift from overflowing. */
    private static final int MAX_DOUBLINGS = 30;

    /**
     * @param firstDelay          the delay after one failure
     * @param longestDelay        the most an answer is ever held back
     * @param forgetAfter         how long a failure counts
     * @param maxTrackedAddresses how many addresses are remembered at most
     */
    public record Settings(Duration firstDelay, Duration longestDelay, Duration forgetAfter,
                           int maxTrackedAddresses) {

        /** Half a second after one failure, 10 s at most, each failure forgotten after a minute. */
        public static final Settings DEFAULT = new Settings(Duration.ofMillis(500), Duration.ofSeconds(10),
                Duration.ofMinutes(1), 10_000);

        public Settings {
            Objects.requireNonNull(firstDelay, "firstDelay");
            Objects.requireNonNull(longestDelay, "longestDelay");
            Objects.requireNonNull(forgetAfter, "forgetAfter");
            if (firstDelay.isNegative() || longestDelay.compareTo(firstDelay) < 0) {
                throw new IllegalArgumentException("delays must satisfy 0 <= firstDelay <= longestDelay");
            }
            if (forgetAfter.isZero() || forgetAfter.isNegative()) {
                throw new IllegalArgumentException("forgetAfter must be positive: " + forgetAfter);
            }
            if (maxTrackedAddresses < 1) {
                throw new IllegalArgumentException("maxTrackedAddresses must be at least 1: " + maxTrackedAddresses);
            }
        }
    }

    /** Failures of one address, as time still owed: each failure adds forgetAfter, time pays it back. */
    private static final class Debt {
        long nanos;
        long since;
    }

    private final Settings settings;
    private final LongSupplier nanoTime;
    private final long forgetNanos;
    /** Oldest last failure first; guarded by {@code this}. A null key stands for an unknown address. */
    private final LinkedHashMap<InetAddress, Debt> debts;

    public FailedLoginDelays() {
        this(Settings.DEFAULT, System::nanoTime);
    }

    /**
     * @param nanoTime a monotonic clock in nanoseconds, such as {@link System#nanoTime}
     */
    public FailedLoginDelays(Settings settings, LongSupplier nanoTime) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.forgetNanos = settings.forgetAfter().toNanos();
        this.debts = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, Debt> eldest) {
                return size() > settings.maxTrackedAddresses();
            }
        };
    }

    /**
     * Records a failed login and returns how long to hold back the answer to it.
     *
     * @param address the client's address; {@code null} if unknown (all unknown addresses count as one)
     */
    public synchronized Duration recordFailure(InetAddress address) {
        long now = nanoTime.getAsLong();
        InetAddress key = key(address);
        Debt debt = debts.remove(key);
        if (debt == null) {
            debt = new Debt();
        }
        debt.nanos = Math.min(owed(debt, now) + forgetNanos, forgetNanos * MAX_REMEMBERED_FAILURES);
        debt.since = now;
        // Re-inserted, so that the map stays ordered by last failure.
        debts.put(key, debt);
        forgetPaidUp(now);
        return delay(failures(debt.nanos));
    }

    /**
     * How long to hold back an answer (of any kind) to this address now, without recording anything.
     *
     * @param address the client's address; {@code null} if unknown
     */
    public synchronized Duration delayFor(InetAddress address) {
        long now = nanoTime.getAsLong();
        Debt debt = debts.get(key(address));
        Duration delay = debt == null ? Duration.ZERO : delay(failures(owed(debt, now)));
        forgetPaidUp(now);
        return delay;
    }

    /** How many addresses have failures on record (some possibly forgotten already but not yet dropped). */
    public synchronized int trackedAddresses() {
        return debts.size();
    }

    private static long owed(Debt debt, long now) {
        return Math.max(0, debt.nanos - (now - debt.since));
    }

    private long failures(long owedNanos) {
        // Rounded up: a failure counts until it is wholly forgotten.
        return (owedNanos + forgetNanos - 1) / forgetNanos;
    }

    private Duration delay(long failures) {
        if (failures == 0) {
            return Duration.ZERO;
        }
        long doublings = Math.min(failures - 1, MAX_DOUBLINGS);
        Duration delay = settings.firstDelay().multipliedBy(1L << doublings);
        return delay.compareTo(settings.longestDelay()) > 0 ? settings.longestDelay() : delay;
    }

    /** Drops addresses whose failures are all forgotten, oldest first, stopping at the first that is not. */
    private void forgetPaidUp(long now) {
        Iterator<Debt> oldestFirst = debts.values().iterator();
        while (oldestFirst.hasNext()) {
            if (owed(oldestFirst.next(), now) > 0) {
                return;
            }
            oldestFirst.remove();
        }
    }

    /** IPv4 addresses as they are; IPv6 addresses by their /64 network. */
    static InetAddress key(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] bytes = address.getAddress();
        for (int i = IPV6_NETWORK_BYTES; i < bytes.length; i++) {
            bytes[i] = 0;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("an IPv6 address has 16 bytes", impossible);
        }
    }
}
