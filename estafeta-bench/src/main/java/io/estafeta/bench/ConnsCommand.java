package io.estafeta.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code bench conns}: many idle connections; connect rate and the broker's memory per connection. */
@Command(name = "conns",
        description = "Opens C idle connections; figures: connections per second and, with --broker-pid, the "
                + "broker's resident memory (VmRSS) per connection.")
final class ConnsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private LoadOptions options;

    @Option(names = {"-c", "--connections"}, defaultValue = "1000", description = "Connections (default: ${DEFAULT-VALUE}).")
    private int connections;

    @Option(names = "--subscribe", description = "Each connection also subscribes to a topic of its own.")
    private boolean subscribe;

    @Option(names = "--keep-alive", defaultValue = "0", paramLabel = "SECONDS",
            description = "Keep-alive each connection asks for; above 0 each one also sends PINGREQ that often "
                    + "(default: ${DEFAULT-VALUE}: no keep-alive, no traffic while idle).")
    private int keepAliveSeconds;

    @Option(names = "--hold", defaultValue = "1s", converter = LoadOptions.DurationConverter.class,
            description = "How long to keep the connections open once all are up; memory is read at its end "
                    + "(default: ${DEFAULT-VALUE}).")
    private Duration hold;

    /** The largest keep-alive MQTT can say: a Two Byte Integer (3.1.2.10). */
    private static final int MAX_KEEP_ALIVE_SECONDS = 65_535;

    @Override
    public Integer call() {
        if (keepAliveSeconds < 0 || keepAliveSeconds > MAX_KEEP_ALIVE_SECONDS) {
            spec.commandLine().getErr().println("estafeta bench conns: --keep-alive must be 0 to "
                    + MAX_KEEP_ALIVE_SECONDS + " seconds");
            return ScenarioExecution.USAGE;
        }
        return ScenarioExecution.execute(spec, options.json, () -> new ConnectionRun(
                options.settings(LoadSettings.UNLIMITED), connections, subscribe, keepAliveSeconds, hold,
                spec.commandLine().getErr()).run());
    }
}
