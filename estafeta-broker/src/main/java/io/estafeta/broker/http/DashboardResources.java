package io.estafeta.broker.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The dashboard's files (plain HTML, CSS and JavaScript in the broker's resources, no build step), read
 * once when the listener starts.
 */
final class DashboardResources {

    private static final String FOLDER = "dashboard/";
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "dashboard.css", "text/css; charset=utf-8",
            "dashboard.js", "text/javascript; charset=utf-8",
            "chart.js", "text/javascript; charset=utf-8",
            "favicon.svg", "image/svg+xml");

    /** A file's bytes and content type. */
    record File(byte[] bytes, String contentType) {
    }

    private final Map<String, File> files;

    private DashboardResources(Map<String, File> files) {
        this.files = files;
    }

    static DashboardResources load() {
        java.util.HashMap<String, File> loaded = new java.util.HashMap<>();
        FILES.forEach((name, type) -> {
            try (InputStream in = DashboardResources.class.getResourceAsStream(FOLDER + name)) {
                if (in == null) {
                    throw new IllegalStateException("dashboard file missing from the broker's resources: " + name);
                }
                loaded.put(name, new File(in.readAllBytes(), type));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return new DashboardResources(Map.copyOf(loaded));
    }

    /** The file for a name ("" is index.html). */
    Optional<File> find(String name) {
        return Optional.ofNullable(files.get(name.isEmpty() ? "index.html" : name));
    }
}
