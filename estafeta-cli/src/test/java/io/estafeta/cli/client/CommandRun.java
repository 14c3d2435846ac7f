package io.estafeta.cli.client;

import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code estafeta pub} or {@code sub} in-process, the way {@code bin/estafeta} does (picocli with
 * the Mosquitto-style error handler), with stdin, stdout and stderr captured.
 */
final class CommandRun {

    static final Duration WAIT = Duration.ofSeconds(15);

    /** What a finished command left behind. */
    record Result(int status, String out, String err) {
    }

    private final ByteArrayOutputStream bytes;
    private final StringWriter help = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CommandLine commandLine;
    private final SubCommand sub;
    private CompletableFuture<Integer> running;

    private CommandRun(Object command, SubCommand sub, ByteArrayOutputStream bytes) {
        this.sub = sub;
        this.bytes = bytes;
        this.commandLine = ClientErrors.install(new CommandLine(command))
                .setOut(new PrintWriter(help, true))
                .setErr(new PrintWriter(err, true));
    }

    /** {@code estafeta pub ARGS} with {@code stdin}, run to the end. */
    static Result pubWithStdin(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PubCommand command = new PubCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        CommandRun run = new CommandRun(command, null, out);
        int status = run.commandLine.execute(args);
        return new Result(status, out.toString(StandardCharsets.UTF_8) + run.help, run.err.toString());
    }

    static Result pub(String... args) {
        return pubWithStdin("", args);
    }

    /** {@code estafeta sub ARGS}, started in the background. */
    static CommandRun sub(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SubCommand command = new SubCommand(new PrintStream(out, true, StandardCharsets.UTF_8));
        CommandRun run = new CommandRun(command, command, out);
        run.running = CompletableFuture.supplyAsync(() -> run.commandLine.execute(args));
        return run;
    }

    /** Waits until the broker acknowledged the subscriptions (or fails the test). */
    CommandRun subscribed() throws Exception {
        CompletableFuture.anyOf(sub.subscribed(), running).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (!sub.subscribed().isDone()) {
            throw new AssertionError("sub ended before subscribing: " + result());
        }
        return this;
    }

    /** Waits for the command to end. */
    Result result() throws Exception {
        int status = running.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return new Result(status, bytes.toString(StandardCharsets.UTF_8) + help, err.toString());
    }
}
