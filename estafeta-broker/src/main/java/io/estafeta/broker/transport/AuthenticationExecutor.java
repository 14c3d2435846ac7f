package io.estafeta.broker.transport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where password checks run: a strong password hash costs a few hundred milliseconds of CPU, which
 * must never stall an event loop (and every connection on it). Bounded in threads and in waiting
 * checks, so a flood of logins cannot take more than its share; past the bound, connections are
 * refused as "server unavailable" rather than queued without end.
 */
final class AuthenticationExecutor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuthenticationExecutor.class);
    private static final int MAX_WAITING_CHECKS = 1024;

    private final ThreadPoolExecutor executor;

    AuthenticationExecutor() {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        AtomicInteger count = new AtomicInteger();
        executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(MAX_WAITING_CHECKS), runnable -> {
                    Thread thread = new Thread(runnable, "estafeta-auth-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** @return false if too many checks are already waiting: the caller refuses the connection */
    boolean submit(Runnable check) {
        try {
            executor.execute(check);
            return true;
        } catch (RejectedExecutionException e) {
            LOG.warn("authentication queue full ({} waiting): refusing a connection", MAX_WAITING_CHECKS);
            return false;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
