package io.estafeta.broker.testsupport;

import io.estafeta.broker.http.json.JsonException;
import io.estafeta.broker.http.json.JsonReader;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A real HTTP client ({@link HttpClient}) for the broker's HTTP listener: sends requests with or without
 * Basic credentials and parses JSON answers. Also reads Server-Sent Events streams on a virtual thread.
 */
public final class AdminHttpClient {

    private static final Duration TIMEOUT = Waiting.TIMEOUT;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final String base;
    private final String authorization;

    private AdminHttpClient(String base, String authorization) {
        this.base = base;
        this.authorization = authorization;
    }

    /** A client for the listener at {@code address}, sending these credentials (null: none). */
    public static AdminHttpClient of(InetSocketAddress address, String username, String password) {
        String authorization = username == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        return new AdminHttpClient("http://" + address.getAddress().getHostAddress() + ":" + address.getPort(),
                authorization);
    }

    /** One answer: status, content type and body; {@link #json()} parses the body. */
    public record Answer(int status, String contentType, String body, HttpResponse<String> response) {

        public Object json() {
            try {
                return JsonReader.read(body);
            } catch (JsonException e) {
                throw new AssertionError("not JSON (" + e.getMessage() + "): " + body, e);
            }
        }

        @SuppressWarnings("unchecked")
        public Map<String, Object> object() {
            return (Map<String, Object>) json();
        }
    }

    public Answer get(String path) {
        return send(request(path).GET());
    }

    public Answer delete(String path) {
        return send(request(path).DELETE());
    }

    public Answer post(String path, String body) {
        return post(path, "application/json", body);
    }

    public Answer post(String path, String contentType, String body) {
        return send(request(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public URI uri(String path) {
        return URI.create(base + path);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private Answer send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Opens a Server-Sent Events stream and collects its events until closed. */
    public EventStream stream(String path) {
        try {
            HttpResponse<InputStream> response = client.send(request(path).header("Accept", "text/event-stream")
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            return new EventStream(response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The events of one SSE stream: (event name, data) pairs, in order. */
    public static final class EventStream implements AutoCloseable {

        /** One event. */
        public record Event(String name, String data) {
            @SuppressWarnings("unchecked")
            public Map<String, Object> object() {
                try {
                    return (Map<String, Object>) JsonReader.read(data);
                } catch (JsonException e) {
                    throw new AssertionError("not JSON: " + data, e);
                }
            }
        }

        private final HttpResponse<InputStream> response;
        private final List<Event> events = new ArrayList<>();

        private EventStream(HttpResponse<InputStream> response) {
            this.response = response;
            if (response.statusCode() == 200) {
                Thread.ofVirtual().start(this::read);
            }
        }

        public int status() {
            return response.statusCode();
        }

        private void read() {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String name = "message";
                StringBuilder data = new StringBuilder();
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (!data.isEmpty()) {
                            add(new Event(name, data.toString()));
                        }
                        name = "message";
                        data.setLength(0);
                    } else if (line.startsWith("event: ")) {
                        name = line.substring("event: ".length());
                    } else if (line.startsWith("data: ")) {
                        data.append(line.substring("data: ".length()));
                    }
                }
            } catch (IOException closed) {
                // the stream was closed; what was read is kept
            }
        }

        private synchronized void add(Event event) {
            events.add(event);
        }

        public synchronized List<Event> events() {
            return List.copyOf(events);
        }

        /** The events with this name so far. */
        public List<Event> named(String name) {
            return events().stream().filter(event -> event.name().equals(name)).toList();
        }

        @Override
        public void close() {
            try {
                response.body().close();
            } catch (IOException ignored) {
                // closing a stream that is already gone
            }
        }
    }
}
