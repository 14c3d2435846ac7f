package io.estafeta.bench;

import io.estafeta.broker.Broker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code --persistent-subscribers} against an Estafeta that stores persistent sessions (the default). */
class DurableScenariosTest {

    @TempDir
    Path dataDirectory;

    @Test
    void persistentSubscribersGetEveryQos1MessageAndTheirSessionsOutliveTheRun() {
        try (Broker broker = Broker.builder().port(0).dataDirectory(dataDirectory).start()) {
            BenchRun run = BenchRun.against(broker.port(), "fanin", "--publishers", "2", "--qos", "1", "--rate",
                    "500", "--protocol-version", "5", "--persistent-subscribers");

            assertThat(run.status()).as(run.err()).isZero();
            assertThat(run.figure("totals", "published")).isPositive();
            assertThat(run.figure("totals", "received")).isEqualTo(run.figure("totals", "published"));
            assertThat(run.figure("totals", "acknowledged")).isEqualTo(run.figure("totals", "published"));
            // The subscriber's session (Session Expiry 60 s) outlives its connection; the publishers' clean
            // sessions end with theirs (a moment after the run, as the broker handles their DISCONNECTs).
            await().atMost(Duration.ofSeconds(10)).until(() -> broker.sessionCount() == 1);
        }
    }
}
