package io.estafeta.cli.passwd;

import io.estafeta.broker.auth.PasswordFile;
import io.estafeta.broker.auth.PasswordHash;
import io.estafeta.broker.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code estafeta passwd}: manages a password file the way {@code mosquitto_passwd} does, with its options,
 * its messages and its exit statuses, plus {@code --scram} for entries that also serve MQTT 5 enhanced
 * authentication (SCRAM-SHA-256). Every change replaces the file atomically.
 */
@Command(name = "passwd",
        mixinStandardHelpOptions = true,
        description = {
                "Manages a password file (Mosquitto's format), like mosquitto_passwd.",
                "  estafeta passwd [-H sha512 | -H sha512-pbkdf2] [--scram] [-I N] [-c | -D] FILE USER",
                "  estafeta passwd [-H sha512 | -H sha512-pbkdf2] [--scram] [-I N] [-c] -b FILE USER PASSWORD",
                "  estafeta passwd -U FILE",
                "Without -b the password is asked twice (without echo on a terminal; otherwise two lines of stdin).",
        },
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
                "0:the file was written",
                "1:invalid command line, unreadable file, unknown user, empty password",
                "2:the two passwords typed do not match",
        })
public final class PasswdCommand implements Callable<Integer> {

    static final int OK = 0;
    static final int FAILURE = 1;
    /** mosquitto_passwd's status when the two passwords typed differ. */
    static final int PASSWORDS_DIFFER = 2;

    /** RFC 7677 asks for at least 4096 iterations for SCRAM-SHA-256; the client repeats them at each login. */
    static final int SCRAM_DEFAULT_ITERATIONS = 4096;

    private static final String SHA512_PBKDF2 = "sha512-pbkdf2";
    private static final String SHA512 = "sha512";
    private static final String PROMPT = "Password: ";
    private static final String REPEAT_PROMPT = "Reenter password: ";

    @Spec
    private CommandSpec spec;

    @Option(names = "-b", description = "Batch mode: the password is the third argument.")
    private boolean batch;

    @Option(names = "-c", description = "Creates a new password file, overwriting an existing one.")
    private boolean create;

    @Option(names = "-D", description = "Deletes the user instead of adding it or changing its password.")
    private boolean delete;

    @Option(names = "-U", description = "Hashes every password of a plain-text USER:PASSWORD file, in place.")
    private boolean hashPlaintext;

    @Option(names = "-H", paramLabel = "HASH",
            description = "The hash: sha512-pbkdf2 (default, $7$) or sha512 ($6$, weak, for Mosquitto 1.x).")
    private String hashType = SHA512_PBKDF2;

    @Option(names = "-I", paramLabel = "ITERATIONS",
            description = "PBKDF2 iterations (default " + PasswordHash.DEFAULT_ITERATIONS + "; with --scram "
                    + SCRAM_DEFAULT_ITERATIONS + ").")
    private String iterationsText;

    @Option(names = "--scram",
            description = "Writes a $scram-sha-256$ entry: checks plain passwords too, and lets MQTT 5 clients "
                    + "log in with enhanced authentication (SCRAM-SHA-256) without sending the password. "
                    + "Mosquitto cannot read such entries.")
    private boolean scram;

    @Parameters(paramLabel = "ARGS", arity = "0..*", description = "FILE [USER [PASSWORD]]")
    private List<String> arguments = new ArrayList<>();

    private final InputStream in;
    private final PrintStream out;
    private final boolean useConsole;
    private BufferedReader stdinLines;

    /** The command as {@code bin/estafeta} runs it: the terminal if there is one, else stdin. */
    public PasswdCommand() {
        this(System.in, System.out, true);
    }

    /** For tests: passwords are read as lines of {@code in}, prompts go to {@code out}. */
    PasswdCommand(InputStream in, PrintStream out) {
        this(in, out, false);
    }

    private PasswdCommand(InputStream in, PrintStream out, boolean useConsole) {
        this.in = in;
        this.out = out;
        this.useConsole = useConsole;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run();
        } catch (PasswdException e) {
            err.println(e.getMessage());
            if (e.showUsage()) {
                err.println();
                err.println("Use 'estafeta passwd --help' to see usage.");
            }
            err.flush();
            return e.status();
        }
    }

    private int run() throws PasswdException {
        Function<byte[], PasswordHash> hasher = hasher();
        if (create && delete) {
            throw new PasswdException("Error: -c and -D cannot be used together.");
        }
        if (hashPlaintext) {
            requireArguments(1, "Error: -U argument given but no password file specified.");
            return hashPlaintextFile(Path.of(arguments.get(0)), hasher);
        }
        if (create) {
            requireArguments(batch ? 3 : 2, batch
                    ? "Error: -c argument given but password file, username, or password missing."
                    : "Error: -c argument given but password file or username missing.");
        } else if (delete) {
            requireArguments(2, "Error: -D argument given but password file or username missing.");
        } else if (batch) {
            requireArguments(3, "Error: -b argument given but password file, username, or password missing.");
        } else {
            requireArguments(2, null);
        }
        Path file = Path.of(arguments.get(0));
        String username = arguments.get(1);
        if (username.indexOf(':') >= 0) {
            throw new PasswdException("Error: Username must not contain the ':' character.");
        }
        PasswordFile passwords = create ? PasswordFile.empty() : load(file);
        if (delete) {
            if (!passwords.contains(username)) {
                throw new PasswdException("Warning: User " + username + " not found in password file.");
            }
            write(passwords.withoutUser(username), file);
            return OK;
        }
        var problem = PasswordFile.usernameProblem(username);
        if (problem.isPresent()) {
            throw new PasswdException("Error: " + capitalized(problem.get()) + ".");
        }
        String password = batch ? arguments.get(2) : askPassword();
        PasswordHash hash;
        try {
            hash = hasher.apply(password.getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new PasswdException("Error: " + capitalized(e.getMessage()) + ".");
        }
        write(passwords.withUser(username, hash), file);
        return OK;
    }

    private int hashPlaintextFile(Path file, Function<byte[], PasswordHash> hasher) throws PasswdException {
        requireReadable(file);
        PasswordFile hashed;
        try {
            hashed = PasswordFile.loadPlaintext(file, hasher);
        } catch (ConfigException | IllegalArgumentException e) {
            throw new PasswdException("Error: " + e.getMessage());
        }
        write(hashed, file);
        return OK;
    }

    /** What turns a password into its hash, from -H, -I and --scram. */
    private Function<byte[], PasswordHash> hasher() throws PasswdException {
        Integer iterations = null;
        if (iterationsText != null) {
            iterations = positive(iterationsText);
        }
        if (scram) {
            if (spec.commandLine().getParseResult().hasMatchedOption("-H")) {
                throw new PasswdException("Error: --scram and -H cannot be used together.");
            }
            int rounds = iterations == null ? SCRAM_DEFAULT_ITERATIONS : iterations;
            return password -> PasswordHash.createScram(password, rounds);
        }
        PasswordHash.Algorithm algorithm = switch (hashType) {
            case SHA512_PBKDF2 -> PasswordHash.Algorithm.SHA512_PBKDF2;
            case SHA512 -> PasswordHash.Algorithm.SHA512;
            default -> throw new PasswdException("Error: Unknown hash type '" + hashType + "'");
        };
        int rounds = algorithm == PasswordHash.Algorithm.SHA512 ? 1
                : iterations == null ? PasswordHash.DEFAULT_ITERATIONS : iterations;
        PasswordHash.Parameters parameters = new PasswordHash.Parameters(algorithm, rounds);
        return password -> PasswordHash.create(parameters, password);
    }

    private static int positive(String text) throws PasswdException {
        try {
            int value = Integer.parseInt(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below, as mosquitto_passwd does for anything that is not a positive number.
        }
        throw new PasswdException("Error: Number of iterations must be > 0.");
    }

    private void requireArguments(int count, String message) throws PasswdException {
        if (arguments.size() < count || (message == null && arguments.size() != count)) {
            throw message == null
                    ? new PasswdException("Error: expected FILE USER (or -b FILE USER PASSWORD, -U FILE).", true)
                    : new PasswdException(message);
        }
        if (arguments.size() > count) {
            throw new PasswdException("Error: too many arguments.", true);
        }
    }

    private static PasswordFile load(Path file) throws PasswdException {
        requireReadable(file);
        try {
            return PasswordFile.load(file);
        } catch (ConfigException e) {
            throw new PasswdException("Error: " + e.getMessage());
        }
    }

    private static void requireReadable(Path file) throws PasswdException {
        if (!Files.exists(file)) {
            throw new PasswdException("Error: Unable to open password file " + file + ". No such file or directory.");
        }
    }

    private static void write(PasswordFile passwords, Path file) throws PasswdException {
        try {
            passwords.write(file);
        } catch (NoSuchFileException e) {
            throw new PasswdException("Error: Unable to open file " + file + " for writing. No such file or directory.");
        } catch (IOException e) {
            throw new PasswdException("Error: Unable to write password file " + file + ": " + e.getMessage());
        }
    }

    /** The password typed twice, as mosquitto_passwd asks for it. */
    private String askPassword() throws PasswdException {
        String first = readPassword(PROMPT);
        if (first.isEmpty()) {
            throw new PasswdException("Error: Empty password.");
        }
        String second = readPassword(REPEAT_PROMPT);
        if (second.isEmpty()) {
            throw new PasswdException("Error: Empty password.");
        }
        if (!first.equals(second)) {
            throw new PasswdException("Error: Passwords do not match.", PASSWORDS_DIFFER, false);
        }
        return first;
    }

    private String readPassword(String prompt) throws PasswdException {
        Console console = useConsole ? System.console() : null;
        if (console != null && isTerminal(console)) {
            char[] typed = console.readPassword(prompt);
            return typed == null ? "" : new String(typed);
        }
        // Not a terminal: one line of stdin per prompt, like mosquitto_passwd reading from a pipe.
        out.print(prompt);
        out.flush();
        try {
            if (stdinLines == null) {
                stdinLines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
            String line = stdinLines.readLine();
            if (line == null) {
                return "";
            }
            out.println();
            return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        } catch (IOException e) {
            throw new PasswdException("Error: Unable to read the password: " + e.getMessage());
        }
    }

    /**
     * Java 22 to 24 return a console even when stdin is a pipe; {@code Console.isTerminal()} (Java 22) tells.
     * On Java 21 there is no such method, and a console exists only on a terminal.
     */
    private static boolean isTerminal(Console console) {
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
