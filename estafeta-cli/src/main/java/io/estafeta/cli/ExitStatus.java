package io.estafeta.cli;

/**
 * The exit statuses of {@code estafeta}, distinct so that scripts and service managers can tell a
 * typo from a broken configuration from a port someone else holds.
 */
final class ExitStatus {

    /** Ran and stopped cleanly (SIGTERM, SIGINT), or printed what was asked (--help, --version). */
    static final int OK = 0;
    /** Failed while running (an unexpected error; picocli's status for an exception in a command). */
    static final int RUNTIME_FAILURE = 1;
    /** The command line is wrong: unknown option, missing value (picocli's own status for this). */
    static final int USAGE = 2;
    /** The configuration file cannot be read or is invalid. */
    static final int CONFIGURATION = 3;
    /** The broker cannot start: a port in use, an address that is not ours. */
    static final int CANNOT_START = 4;

    // The same list as help text ("status:meaning"), shown by picocli under "Exit status:" in --help.
    static final String OK_HELP = OK + ":stopped cleanly (SIGTERM, SIGINT)";
    static final String RUNTIME_FAILURE_HELP = RUNTIME_FAILURE + ":failed while running";
    static final String USAGE_HELP = USAGE + ":invalid command line";
    static final String CONFIGURATION_HELP = CONFIGURATION + ":invalid or unreadable configuration file";
    static final String CANNOT_START_HELP = CANNOT_START + ":cannot start (e.g. the port is in use)";

    private ExitStatus() {
    }
}
