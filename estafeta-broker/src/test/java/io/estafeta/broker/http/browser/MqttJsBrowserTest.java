package io.estafeta.broker.http.browser;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.estafeta.broker.Broker;
import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.config.ListenerConfig;
import io.estafeta.broker.testsupport.BrowserScript;
import io.estafeta.broker.testsupport.MosquittoClientProcess;
import io.estafeta.broker.testsupport.PahoTestClient;
import io.estafeta.broker.testsupport.TestNames;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MQTT.js in headless Chromium (issue #8): a test page, served by this test together with MQTT.js's browser
 * bundle (nothing is fetched from elsewhere), talks MQTT 5 over WebSocket to the broker. The page shows a
 * message {@code mosquitto_pub} sends over TCP, and a message published from the page reaches a Paho client
 * on TCP. Screenshots: target/browser-screenshots/mqttjs-*.png.
 */
class MqttJsBrowserTest {

    private static final String HOST = "127.0.0.1";
    private static final Path PAGE = BrowserScript.FOLDER.resolve("mqttjs-page.html");
    private static final int MQTT_5 = 5;
    private static final int HTTP_OK = 200;
    private static final int HTTP_NOT_FOUND = 404;
    private static final String RECEIVE_PAYLOAD = "21.5 C from mosquitto_pub";
    private static final String PUBLISH_PAYLOAD = "hello from MQTT.js in Chromium";

    @TempDir
    Path dataDirectory;

    @BeforeAll
    static void browserToolsAndMqttJsPresent() {
        BrowserScript.requireBrowserToolsAndMqttJs();
    }

    @Test
    void aPageUsingMqttJsOverWebSocketReceivesFromMosquittoPubAndPublishesToATcpSubscriber() throws Exception {
        String receiveTopic = TestNames.topic("browser/in");
        String publishTopic = TestNames.topic("browser/out");
        try (Broker broker = Broker.start(BrokerConfig.builder()
                .listeners(List.of(new ListenerConfig(0, HOST), ListenerConfig.websockets(0, HOST)))
                .allowAnonymous(true)
                .dataDirectory(dataDirectory)
                .sysInterval(Duration.ZERO)
                .build());
             PahoTestClient tcpSubscriber = PahoTestClient.connect("tcp://" + HOST + ":" + broker.port(),
                     TestNames.clientId("tcp-sub"), PahoTestClient.options())) {
            tcpSubscriber.subscribe(publishTopic, 1);
            InetSocketAddress tcp = broker.boundAddresses().get(0);
            int wsPort = broker.boundAddresses().get(1).getPort();
            HttpServer pages = servePageAndMqttJs();
            try {
                String pageUrl = "http://" + HOST + ":" + pages.getAddress().getPort() + "/?url="
                        + encode("ws://" + HOST + ":" + wsPort + "/mqtt") + "&subscribe=" + encode(receiveTopic)
                        + "&version=" + MQTT_5;
                CompletableFuture<Integer> pubExit = new CompletableFuture<>();
                BrowserScript[] script = new BrowserScript[1];
                script[0] = BrowserScript.start("mqttjs.mjs", Map.of(
                        "PAGE_URL", pageUrl,
                        "RECEIVE_PAYLOAD", RECEIVE_PAYLOAD,
                        "PUBLISH_TOPIC", publishTopic,
                        "PUBLISH_PAYLOAD", PUBLISH_PAYLOAD), line -> {
                    if (line.equals("SUBSCRIBED")) {
                        // The page's subscription is in place (SUBACK seen): now publish over TCP.
                        try (MosquittoClientProcess pub = MosquittoClientProcess.pub(tcp, "-t", receiveTopic,
                                "-m", RECEIVE_PAYLOAD, "-q", "1")) {
                            pubExit.complete(pub.awaitExit());
                        }
                        script[0].tell("GO");
                    }
                });
                try (BrowserScript browser = script[0]) {
                    int exit = browser.awaitExit();

                    assertThat(exit).as(browser.transcript()).isZero();
                    assertThat(browser.lines()).as(browser.transcript())
                            .contains("STEP subscribed", "STEP received", "STEP published", "OK")
                            .noneMatch(line -> line.startsWith("PAGEERROR") || line.startsWith("CONSOLE"));
                    assertThat(pubExit.get(1, TimeUnit.SECONDS)).isZero();
                    assertThat(tcpSubscriber.received().awaitCount(1)).extracting(m -> m.payload())
                            .containsExactly(PUBLISH_PAYLOAD);
                }
            } finally {
                pages.stop(0);
            }
        }
    }

    /** The test page at "/" and MQTT.js's browser bundle beside it, on a free loopback port. */
    private static HttpServer servePageAndMqttJs() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                switch (exchange.getRequestURI().getPath()) {
                    case "/" -> send(exchange, "text/html; charset=utf-8", Files.readAllBytes(PAGE));
                    case "/mqtt.min.js" -> send(exchange, "text/javascript; charset=utf-8",
                            Files.readAllBytes(BrowserScript.MQTT_JS_BUNDLE));
                    default -> exchange.sendResponseHeaders(HTTP_NOT_FOUND, -1);
                }
            }
        });
        server.start();
        return server;
    }

    private static void send(HttpExchange exchange, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(HTTP_OK, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
