package io.estafeta.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code bench fanin}: P publishers on topics of their own, one subscriber to all of them by a wildcard. */
@Command(name = "fanin",
        description = "P publishers -> 1 subscriber to a '+' wildcard filter; figure: messages received per second.")
final class FaninCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private LoadOptions options;

    @Option(names = {"-P", "--publishers"}, defaultValue = "10", description = "Publishers (default: ${DEFAULT-VALUE}).")
    private int publishers;

    @Override
    public Integer call() {
        return ScenarioExecution.execute(spec, options.json, () -> {
            String root = "bench/" + LoadRun.newRunId() + "/fanin/";
            List<String> topics = new ArrayList<>();
            for (int i = 0; i < publishers; i++) {
                topics.add(root + i);
            }
            LoadPlan plan = new LoadPlan("fanin", topics, List.of(root + "+"), 1);
            return new LoadRun(options.settings(LoadSettings.UNLIMITED), plan, spec.commandLine().getErr()).run();
        });
    }
}
