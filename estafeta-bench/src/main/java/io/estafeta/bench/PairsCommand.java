package io.estafeta.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code bench pairs}: N publishers, each with one subscriber of its own topic. */
@Command(name = "pairs",
        description = "N publisher/subscriber pairs, each on its own topic; figure: messages received per second.")
final class PairsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private LoadOptions options;

    @Option(names = {"-n", "--pairs"}, defaultValue = "100", description = "Pairs (default: ${DEFAULT-VALUE}).")
    private int pairs;

    @Override
    public Integer call() {
        return ScenarioExecution.execute(spec, options.json, () -> {
            String root = "bench/" + LoadRun.newRunId() + "/pairs/";
            List<String> topics = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                topics.add(root + i);
            }
            LoadPlan plan = new LoadPlan("pairs", topics, topics, 1);
            return new LoadRun(options.settings(LoadSettings.UNLIMITED), plan, spec.commandLine().getErr()).run();
        });
    }
}
