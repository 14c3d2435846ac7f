package io.estafeta.bench;

import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.function.Supplier;

/** Runs a scenario for a command: prints its report (table or JSON) or why it could not run. */
final class ScenarioExecution {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    static final String OK_HELP = OK + ":the run completed";
    static final String FAILED_HELP = FAILED + ":the broker could not be reached, refused or closed a connection";
    static final String USAGE_HELP = USAGE + ":invalid command line";

    private ScenarioExecution() {
    }

    static int execute(CommandSpec spec, boolean json, Supplier<Report> scenario) {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Report report;
        try {
            report = scenario.get();
        } catch (BenchException e) {
            err.println("estafeta bench: " + e.getMessage());
            err.flush();
            return FAILED;
        }
        out.print(json ? report.toJson() + System.lineSeparator() : report.toTable());
        out.flush();
        return OK;
    }
}
