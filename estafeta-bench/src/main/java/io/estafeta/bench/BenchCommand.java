package io.estafeta.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code estafeta bench}: the load generator's door to its scenarios. Works against any MQTT broker.
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = {"Load generator for any MQTT broker (Estafeta, Mosquitto, ...).",
                "Prints a progress line a second on stderr, then a table (or with --json one JSON object) on "
                        + "stdout, and says whether the generator or the broker set the pace."},
        synopsisSubcommandLabel = "SCENARIO",
        commandListHeading = "%nScenarios:%n",
        subcommands = {FaninCommand.class, FanoutCommand.class, PairsCommand.class, LatencyCommand.class,
                ConnsCommand.class},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
                ScenarioExecution.OK_HELP,
                ScenarioExecution.FAILED_HELP,
                ScenarioExecution.USAGE_HELP,
        })
public final class BenchCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a scenario is required, e.g. 'estafeta bench fanin'");
    }
}
