package io.estafeta.cli;

/** Entry point of the {@code estafeta} command (what {@code bin/estafeta} runs). */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(EstafetaCommand.newCommandLine().execute(args));
    }
}
