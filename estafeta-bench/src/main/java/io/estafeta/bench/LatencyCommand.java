package io.estafeta.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code bench latency}: a fixed rate, and the time from each message's scheduled send to its arrival.
 * Measured from the schedule, not from the actual write, so that a generator or broker that falls behind
 * shows in the figures instead of hiding (coordinated omission).
 */
@Command(name = "latency",
        description = "Fixed rate (default 1000 msg/s); figures: end-to-end latency percentiles in microseconds.")
final class LatencyCommand implements Callable<Integer> {

    static final long DEFAULT_RATE = 1_000;

    @Spec
    private CommandSpec spec;

    @Mixin
    private LoadOptions options;

    @Option(names = {"-P", "--publishers"}, defaultValue = "1", description = "Publishers (default: ${DEFAULT-VALUE}).")
    private int publishers;

    @Option(names = {"-S", "--subscribers"}, defaultValue = "1",
            description = "Subscribers to every publisher's topic (default: ${DEFAULT-VALUE}).")
    private int subscribers;

    @Override
    public Integer call() {
        if (options.payloadSize < PublishFrames.TIMESTAMP_BYTES) {
            spec.commandLine().getErr().println("estafeta bench latency: --payload-size must be at least "
                    + PublishFrames.TIMESTAMP_BYTES + " (the send time travels in the payload)");
            return ScenarioExecution.USAGE;
        }
        return ScenarioExecution.execute(spec, options.json, () -> {
            String root = "bench/" + LoadRun.newRunId() + "/latency/";
            List<String> topics = new ArrayList<>();
            for (int i = 0; i < publishers; i++) {
                topics.add(root + i);
            }
            LoadPlan plan = new LoadPlan("latency", topics, Collections.nCopies(subscribers, root + "+"), subscribers);
            return new LoadRun(options.settings(DEFAULT_RATE), plan, spec.commandLine().getErr()).run();
        });
    }
}
