package io.estafeta.broker.testsupport;

import io.estafeta.broker.config.BrokerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.estafeta.broker.testsupport.Waiting.await;

/** Debian's Mosquitto as a reference broker for checking the tests themselves (see {@link TestBroker}). */
final class MosquittoBroker implements AutoCloseable {

    private static final String EXECUTABLE = "/usr/sbin/mosquitto";

    private final Process process;
    private final int port;

    private MosquittoBroker(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static MosquittoBroker start(BrokerConfig config, Path directory) {
        int port = freePort();
        Path configFile = directory.resolve("mosquitto.conf");
        List<String> lines = List.of(
                "listener " + port + " " + BrokerConfig.LOOPBACK,
                "allow_anonymous true",
                "persistence false",
                "log_dest file " + directory.resolve("mosquitto.log"),
                "log_type all",
                "max_inflight_messages " + config.maxInflightMessages(),
                "max_queued_messages " + config.maxQueuedMessages(),
                "queue_qos0_messages " + config.queueQos0Messages(),
                "max_keepalive " + config.maxKeepalive(),
                "max_packet_size " + config.maxPacketSize(),
                "retain_available " + config.retainAvailable());
        try {
            Files.write(configFile, lines);
            Process process = new ProcessBuilder(EXECUTABLE, "-c", configFile.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("mosquitto.out").toFile())
                    .start();
            MosquittoBroker broker = new MosquittoBroker(process, port);
            await().ignoreExceptions().until(() -> {
                try (Socket probe = new Socket()) {
                    probe.connect(new InetSocketAddress(BrokerConfig.LOOPBACK, port), 1000);
                    return true;
                }
            });
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
