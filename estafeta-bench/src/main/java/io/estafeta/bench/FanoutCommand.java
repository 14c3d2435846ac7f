package io.estafeta.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code bench fanout}: one publisher, S subscribers to its topic. */
@Command(name = "fanout",
        description = "1 publisher -> S subscribers to its topic; figure: deliveries received per second.")
final class FanoutCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private LoadOptions options;

    @Option(names = {"-S", "--subscribers"}, defaultValue = "100", description = "Subscribers (default: ${DEFAULT-VALUE}).")
    private int subscribers;

    @Override
    public Integer call() {
        return ScenarioExecution.execute(spec, options.json, () -> {
            String topic = "bench/" + LoadRun.newRunId() + "/fanout";
            LoadPlan plan = new LoadPlan("fanout", List.of(topic), Collections.nCopies(subscribers, topic), subscribers);
            return new LoadRun(options.settings(LoadSettings.UNLIMITED), plan, spec.commandLine().getErr()).run();
        });
    }
}
