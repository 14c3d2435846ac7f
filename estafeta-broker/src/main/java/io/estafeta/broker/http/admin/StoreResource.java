package io.estafeta.broker.http.admin;

import io.estafeta.broker.http.BadRequestException;
import io.estafeta.broker.http.HttpExchange;
import io.estafeta.broker.http.HttpServices;
import io.estafeta.broker.store.StoreException;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code POST /api/store/checkpoint}: a backup of the running broker's store into a new directory
 * ({@code Persistence.checkpoint}), so that an operator's script can take one without stopping the broker.
 * The copy blocks while RocksDB links and copies files, so it runs on a thread of its own, never on an event
 * loop; the answer is written when it is done.
 */
final class StoreResource {

    private static final Logger LOG = LoggerFactory.getLogger(StoreResource.class);
    private static final String PATH = "path";
    /** The store's folder in the data directory (docs/PERSISTENCE.md); a checkpoint must not land inside it. */
    private static final String STORE_FOLDER = "store";

    private final HttpServices services;

    StoreResource(HttpServices services) {
        this.services = services;
    }

    void checkpoint(HttpExchange exchange) throws BadRequestException {
        if (!services.config().persistence()) {
            exchange.error(HttpResponseStatus.NOT_IMPLEMENTED, "persistence is off (persistence false): there is no"
                    + " store to back up");
            return;
        }
        Map<String, Object> body = AdminAnswers.jsonObject(exchange.body());
        for (String key : body.keySet()) {
            if (!key.equals(PATH)) {
                throw new BadRequestException("unknown field '" + key + "'");
            }
        }
        Path target = target(body.get(PATH));
        Path store = services.config().dataDirectory().toAbsolutePath().normalize().resolve(STORE_FOLDER);
        if (target.startsWith(store)) {
            throw new BadRequestException("path must be outside the store directory " + store);
        }
        if (Files.exists(target)) {
            exchange.error(HttpResponseStatus.CONFLICT, target + " exists already: a checkpoint needs a new"
                    + " directory");
            return;
        }
        Thread.ofVirtual().name("estafeta-checkpoint").start(() -> write(exchange, target));
    }

    private void write(HttpExchange exchange, Path target) {
        long started = System.nanoTime();
        try {
            services.store().checkpoint(target);
            long bytes = size(target);
            LOG.info("admin API: checkpoint of the store written to {} ({} bytes) in {} ms", target, bytes,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put(PATH, target.toString());
            answer.put("bytes", bytes);
            exchange.ok(answer);
        } catch (StoreException | UncheckedIOException e) {
            // The disk, permissions, or another request that took the same path after the check above.
            LOG.warn("admin API: checkpoint to {} failed: {}", target, e.getMessage());
            exchange.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("admin API: checkpoint to {} failed", target, e);
            exchange.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "checkpoint failed: " + e);
        }
    }

    private static Path target(Object value) throws BadRequestException {
        if (!(value instanceof String text) || text.isEmpty()) {
            throw new BadRequestException("path must be a string: the absolute path of a new directory");
        }
        Path path;
        try {
            path = Path.of(text);
        } catch (InvalidPathException e) {
            throw new BadRequestException("path is not a valid path: " + e.getMessage());
        }
        if (!path.isAbsolute()) {
            throw new BadRequestException("path must be absolute, got '" + text + "'");
        }
        return path.normalize();
    }

    /** Bytes in the checkpoint's files (hard-linked table files counted in full). */
    private static long size(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.mapToLong(StoreResource::fileSize).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure " + directory, e);
        }
    }

    private static long fileSize(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.isRegularFile() ? attributes.size() : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure " + file, e);
        }
    }
}
