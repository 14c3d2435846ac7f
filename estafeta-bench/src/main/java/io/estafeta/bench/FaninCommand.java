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

    static final long DEFAULT_BYSTANDER_RATE = 50;

    @Spec
    private CommandSpec spec;

    @Mixin
    private LoadOptions options;

    @Option(names = {"-P", "--publishers"}, defaultValue = "10", description = "Publishers (default: ${DEFAULT-VALUE}).")
    private int publishers;

    @Option(names = "--bystanders", defaultValue = "0",
            description = "Publisher/subscriber pairs on topics of their own beside the load, at a low fixed rate; "
                    + "their latency and losses are reported apart, to show whether the load reaches other "
                    + "clients (default: ${DEFAULT-VALUE}).")
    private int bystanders;

    @Option(names = "--bystander-rate", defaultValue = "" + DEFAULT_BYSTANDER_RATE,
            description = "Messages per second each bystander publisher sends (default: ${DEFAULT-VALUE}).")
    private long bystanderRate;

    @Override
    public Integer call() {
        if (bystanders < 0 || bystanderRate < 1) {
            spec.commandLine().getErr().println("estafeta bench fanin: --bystanders must not be negative and "
                    + "--bystander-rate must be at least 1");
            return ScenarioExecution.USAGE;
        }
        return ScenarioExecution.execute(spec, options.json, () -> {
            String root = "bench/" + LoadRun.newRunId() + "/fanin/";
            List<String> topics = new ArrayList<>();
            for (int i = 0; i < publishers; i++) {
                topics.add(root + i);
            }
            LoadPlan plan = new LoadPlan("fanin", topics, List.of(root + "+"), 1)
                    .with(new LoadPlan.Bystanders(bystanders, bystanderRate));
            return new LoadRun(options.settings(LoadSettings.UNLIMITED), plan, spec.commandLine().getErr()).run();
        });
    }
}
