package io.estafeta.cli.client;

import io.estafeta.cli.passwd.PasswdCommand;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;

/**
 * Command-line errors of {@code pub}, {@code sub} and {@code passwd} the way Mosquitto's clients report them: one
 * "Error: ..." line, a blank line, a pointer to {@code --help}, exit status 1. Other commands keep
 * picocli's own handling.
 */
public final class ClientErrors implements IParameterExceptionHandler {

    private final IParameterExceptionHandler others;

    /** @param others the handler for every command that is not pub or sub */
    public ClientErrors(IParameterExceptionHandler others) {
        this.others = others;
    }

    /** Installs the handler on {@code commandLine}, keeping its current one for the other commands. */
    public static CommandLine install(CommandLine commandLine) {
        return commandLine.setParameterExceptionHandler(new ClientErrors(commandLine.getParameterExceptionHandler()));
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) throws Exception {
        CommandLine command = ex.getCommandLine();
        Object userObject = command.getCommandSpec().userObject();
        if (!(userObject instanceof PubCommand) && !(userObject instanceof SubCommand)
                && !(userObject instanceof PasswdCommand)) {
            return others.handleParseException(ex, args);
        }
        return usage(command, message(ex));
    }

    /** Prints a command-line error with the pointer to --help; returns the exit status. */
    static int usage(CommandLine command, String message) {
        PrintWriter err = command.getErr();
        err.println(message);
        err.println();
        err.println("Use 'estafeta " + command.getCommandName() + " --help' to see usage.");
        err.flush();
        return ClientExitStatus.FAILURE;
    }

    private static String message(ParameterException ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof UsageException usage) {
                return usage.getMessage();
            }
        }
        if (ex instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            return "Error: Unknown option '" + unmatched.getUnmatched().get(0) + "'.";
        }
        if (ex instanceof MissingParameterException missing && !missing.getMissing().isEmpty()) {
            ArgSpec arg = missing.getMissing().get(0);
            if (arg instanceof OptionSpec option) {
                return "Error: " + option.shortestName() + " argument given but no value specified.";
            }
        }
        if (ex.getMessage() != null && ex.getMessage().startsWith("Error:")) {
            return ex.getMessage();
        }
        return "Error: " + ex.getMessage() + ".";
    }
}
