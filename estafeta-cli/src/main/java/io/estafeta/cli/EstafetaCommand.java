package io.estafeta.cli;

import io.estafeta.bench.BenchCommand;
import io.estafeta.cli.client.ClientErrors;
import io.estafeta.cli.client.PubCommand;
import io.estafeta.cli.client.SubCommand;
import io.estafeta.cli.passwd.PasswdCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The top-level {@code estafeta} command: only a door to its subcommands (broker, pub, sub, passwd, bench),
 * each listed in {@code subcommands} below.
 */
@Command(name = "estafeta",
        mixinStandardHelpOptions = true,
        versionProvider = EstafetaVersion.class,
        description = "Estafeta, an MQTT broker.",
        synopsisSubcommandLabel = "COMMAND",
        commandListHeading = "%nCommands:%n",
        subcommands = {BrokerCommand.class, PubCommand.class, SubCommand.class, PasswdCommand.class,
                BenchCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
                ExitStatus.OK_HELP,
                ExitStatus.RUNTIME_FAILURE_HELP,
                ExitStatus.USAGE_HELP,
                ExitStatus.CONFIGURATION_HELP,
                ExitStatus.CANNOT_START_HELP,
        })
public final class EstafetaCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    /**
     * The command line as {@code bin/estafeta} runs it: pub and sub report command-line errors the way
     * mosquitto_pub and mosquitto_sub do (exit status 1), the other commands picocli's way (status 2).
     */
    public static CommandLine newCommandLine() {
        return ClientErrors.install(new CommandLine(new EstafetaCommand()));
    }

    /** {@code estafeta} without a command is a usage error (status 2), with the list of commands. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required, e.g. 'estafeta broker'");
    }
}
