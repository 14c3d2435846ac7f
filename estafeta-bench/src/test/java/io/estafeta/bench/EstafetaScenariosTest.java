package io.estafeta.bench;

import io.estafeta.broker.Broker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every scenario, briefly and at a modest rate, against an embedded Estafeta on a free port. */
class EstafetaScenariosTest {

    private static Broker broker;

    @BeforeAll
    static void startBroker() {
        broker = Broker.builder().port(0).configure(config -> config.persistence(false)).start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void faninAtQos1DeliversEveryPublishedMessageToTheWildcardSubscriber() {
        BenchRun run = BenchRun.against(broker.port(), "fanin", "--publishers", "3", "--qos", "1", "--rate", "1500");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.figure("totals", "published")).isPositive();
        assertThat(run.figure("totals", "received")).isEqualTo(run.figure("totals", "published"));
        assertThat(run.figure("totals", "acknowledged")).isEqualTo(run.figure("totals", "published"));
        assertThat(run.figure("totals", "missing")).isZero();
        assertThat(run.json().getAsJsonObject("run").get("scenario").getAsString()).isEqualTo("fanin");
    }

    @Test
    void fanoutAtQos1ReachesEverySubscriberWithEveryMessage() {
        BenchRun run = BenchRun.against(broker.port(), "fanout", "--subscribers", "5", "--qos", "1", "--rate", "500");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.figure("totals", "expected")).isEqualTo(5 * run.figure("totals", "published"));
        assertThat(run.figure("totals", "received")).isEqualTo(run.figure("totals", "expected"));
    }

    @Test
    void pairsAtQos2OverMqtt5DeliverEachMessageExactlyOnce() {
        BenchRun run = BenchRun.against(broker.port(), "pairs", "--pairs", "4", "--qos", "2", "--rate", "800",
                "--protocol-version", "5");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.figure("totals", "published")).isPositive();
        assertThat(run.figure("totals", "received")).isEqualTo(run.figure("totals", "published"));
        assertThat(run.figure("totals", "acknowledged")).isEqualTo(run.figure("totals", "published"));
        assertThat(run.json().getAsJsonObject("run").get("protocol").getAsString()).isEqualTo("5");
    }

    @Test
    void pairsAtQos0AsFastAsTheBrokerTakesThemReportWhoSetThePace() {
        BenchRun run = BenchRun.against(broker.port(), "pairs", "--pairs", "2");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.figure("totals", "published")).isPositive();
        assertThat(run.json().getAsJsonObject("generator").get("bottleneck").getAsString())
                .matches("^(generator|broker|undetermined): .*");
        assertThat(run.json().getAsJsonObject("generator").get("transport").getAsString()).isIn("epoll", "nio");
    }

    @Test
    void latencyMeasuresEveryMessageOfTheFixedRate() {
        BenchRun run = BenchRun.against(broker.port(), "latency", "--rate", "200", "--qos", "1");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.figure("run", "requested_rate")).isEqualTo(200);
        assertThat(run.figure("latency_us", "count")).isPositive();
        assertThat(run.decimal("latency_us", "p99")).isGreaterThanOrEqualTo(run.decimal("latency_us", "p50"));
        assertThat(run.figure("totals", "received")).isEqualTo(run.figure("totals", "published"));
    }

    @Test
    void latencyReportsTheGeneratorsOwnSendLatenessApartFromTheLatency() {
        BenchRun run = BenchRun.against(broker.port(), "latency", "--rate", "200");

        assertThat(run.status()).as(run.err()).isZero();
        // Every message sent in the measured second has its lateness; every one received, both latencies.
        assertThat(run.figure("send_lateness_us", "count")).isPositive();
        assertThat(run.figure("latency_from_send_us", "count")).isEqualTo(run.figure("latency_us", "count"));
        assertThat(run.decimal("send_lateness_us", "p99_9")).isGreaterThanOrEqualTo(run.decimal("send_lateness_us", "p50"));
        assertThat(run.json().getAsJsonObject("generator").keySet())
                .contains("pacing_threads", "spin_percent_of_cores", "gc_count", "gc_ms", "jit_ms", "wake_up_margin_us");
    }

    @Test
    void aRunWithoutARateHasNoScheduleAndSoNoSendLateness() {
        BenchRun run = BenchRun.against(broker.port(), "fanin", "--publishers", "2");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.json().has("send_lateness_us")).isFalse();
        assertThat(run.figure("generator", "pacing_threads")).isZero();
    }

    @Test
    void faninWithBystandersReportsTheirDeliveriesAndLatencyApart() {
        BenchRun run = BenchRun.against(broker.port(), "fanin", "--publishers", "3", "--qos", "1",
                "--bystanders", "2", "--bystander-rate", "100");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.figure("run", "bystanders")).isEqualTo(2);
        assertThat(run.figure("bystanders", "published")).isPositive();
        assertThat(run.figure("bystanders", "received")).isEqualTo(run.figure("bystanders", "published"));
        assertThat(run.figure("bystanders", "missing")).isZero();
        assertThat(run.figure("bystander_latency_us", "count")).isPositive();
        // The scenario's own totals do not count the bystanders' messages.
        assertThat(run.figure("totals", "received")).isEqualTo(run.figure("totals", "published"));
    }

    @Test
    void faninRefusesANegativeNumberOfBystanders() {
        BenchRun run = BenchRun.against(broker.port(), "fanin", "--bystanders", "-1");

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("--bystanders");
    }

    @Test
    void aRunGivenTheBrokersPidReportsItsCpuUseInTheMeasuredTime() {
        long pid = ProcessHandle.current().pid(); // the embedded broker lives in this JVM
        BenchRun run = BenchRun.against(broker.port(), "pairs", "--pairs", "2", "--rate", "500",
                "--broker-pid", Long.toString(pid));

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.figure("broker", "pid")).isEqualTo(pid);
        assertThat(run.decimal("broker", "cpu_percent_of_one_core")).isPositive();
    }

    @Test
    void connsOpensEveryConnectionAndReadsTheBrokersMemory() {
        long pid = ProcessHandle.current().pid(); // the embedded broker lives in this JVM
        BenchRun run = BenchRun.against(broker.port(), "conns", "--connections", "50", "--subscribe",
                "--hold", "0s", "--broker-pid", Long.toString(pid));

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.figure("run", "connections")).isEqualTo(50);
        assertThat(run.decimal("connect", "connections_per_s")).isPositive();
        assertThat(run.figure("broker_memory", "rss_before_bytes")).isPositive();
        assertThat(run.json().getAsJsonObject("broker_memory").has("bytes_per_connection")).isTrue();
    }

    @Test
    void connsWithAKeepAliveKeepsEveryConnectionOpenPastOneAndAHalfKeepAlives() {
        // Keep-alive 1 s: the broker closes a connection silent for 1.5 s, and the run fails if any was
        // closed during its hold, so holding 3 s shows the pings.
        BenchRun run = BenchRun.against(broker.port(), "conns", "--connections", "20", "--keep-alive", "1",
                "--hold", "3s");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.figure("run", "keep_alive_s")).isEqualTo(1);
    }

    @Test
    void withoutJsonItPrintsATableWithTheFigures() {
        BenchRun run = BenchRun.execute("pairs", "--port", Integer.toString(broker.port()), "--pairs", "1",
                "--rate", "100", "--duration", "500ms", "--warm-up", "0s");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains("throughput").contains("received_per_s").contains("bottleneck");
        assertThat(run.err()).contains("published").contains("received"); // the progress line
    }
}
