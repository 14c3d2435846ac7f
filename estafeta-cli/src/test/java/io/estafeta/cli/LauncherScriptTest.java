package io.estafeta.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bin/estafeta itself, run by bash in a sandbox checkout: the real script, a fake {@code ./mvnw} that
 * records how it was called and lays out target/, and a fake JDK whose java prints its pid and arguments.
 * This checks the build-on-first-run logic and the exec without a nested Maven build or a real JVM;
 * the real JVM side is BrokerProcessTest's.
 */
class LauncherScriptTest {

    private static final String MAVEN_NOISE = "[INFO] maven talking on stdout";
    /** What the scripts may call besides java; PATH holds only these, so the machine's own java is out of sight. */
    private static final List<String> TOOLS =
            List.of("bash", "dirname", "readlink", "find", "mkdir", "touch", "mv", "rm", "flock", "sleep");

    @TempDir
    Path sandbox;

    private Path root;
    private Path jdk;
    private Path source;

    @BeforeEach
    void layOutACheckout() throws IOException {
        root = Files.createDirectories(sandbox.resolve("checkout"));
        Path realRoot = RepositoryRoot.path();
        Files.createDirectories(root.resolve("bin/lib"));
        for (String script : List.of("bin/estafeta", "bin/with-jdk", "bin/lib/find-java.sh")) {
            // COPY_ATTRIBUTES keeps the executable bit: a launcher committed without it fails here.
            Files.copy(realRoot.resolve(script), root.resolve(script), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Files.writeString(root.resolve("pom.xml"), "<project/>");
        source = root.resolve("estafeta-cli/src/main/java/io/estafeta/cli/Main.java");
        Files.createDirectories(source.getParent());
        Files.writeString(root.resolve("estafeta-cli/pom.xml"), "<project/>");
        Files.writeString(source, "class Main {}");
        executable(root.resolve("mvnw"), """
                #!/bin/bash
                echo '%s'
                echo "JAVA_HOME=$JAVA_HOME $*" >> "%s"
                sleep "${FAKE_MAVEN_SECONDS:-0}"
                mkdir -p estafeta-cli/target/classes estafeta-cli/target/lib
                exit "${FAKE_MAVEN_STATUS:-0}"
                """.formatted(MAVEN_NOISE, mavenLog()));
        jdk = FakeJdk.create(sandbox, "jdk-21", "21.0.2");
        Path tools = Files.createDirectories(sandbox.resolve("tools"));
        for (String tool : TOOLS) {
            Path real = Stream.of("/usr/bin", "/bin").map(dir -> Path.of(dir, tool)).filter(Files::isExecutable)
                    .findFirst().orElseThrow(() -> new IllegalStateException("no " + tool + " in /usr/bin or /bin"));
            Files.createSymbolicLink(tools.resolve(tool), real);
        }
    }

    @Test
    void firstRunBuildsWithTheJdkItFoundAndKeepsMavensOutputOffStdout() throws Exception {
        Run run = launch(Map.of(), "--version");

        assertThat(run.stderr()).contains("estafeta: building (first run)...").contains(MAVEN_NOISE);
        assertThat(run.stdout()).doesNotContain(MAVEN_NOISE);
        assertThat(mavenCalls()).containsExactly("JAVA_HOME=" + jdk + " -B -q -DskipTests package -pl estafeta-cli -am");
        assertThat(run.status()).isZero();
    }

    @Test
    void launcherReplacesItselfWithTheJvmSoSignalsReachIt() throws Exception {
        Run run = launch(Map.of(), "broker", "-p", "1884");

        // exec keeps the process: the pid the caller knows (and signals) is the JVM's.
        assertThat(run.stdout()).contains("pid=" + run.pid());
        assertThat(run.javaArguments()).containsExactly(
                "--enable-native-access=ALL-UNNAMED",
                "-cp", root + "/estafeta-cli/target/classes:" + root + "/estafeta-cli/target/lib/*",
                "io.estafeta.cli.Main", "broker", "-p", "1884");
    }

    @Test
    void javaOptsReachTheJvmBeforeTheMainClass() throws Exception {
        Run run = launch(Map.of("JAVA_OPTS", "-Xmx64m -Dfoo=bar"), "--version");

        assertThat(run.javaArguments()).startsWith("-Xmx64m", "-Dfoo=bar", "--enable-native-access=ALL-UNNAMED");
    }

    @Test
    void secondRunStartsWithoutBuilding() throws Exception {
        launch(Map.of(), "--version");

        Run second = launch(Map.of(), "--version");

        assertThat(second.stderr()).doesNotContain("building");
        assertThat(mavenCalls()).hasSize(1);
        assertThat(second.javaArguments()).contains("io.estafeta.cli.Main");
    }

    @Test
    void aSourceChangedSinceTheLastBuildTriggersARebuild() throws Exception {
        launch(Map.of(), "--version");
        Files.setLastModifiedTime(source, FileTime.from(Instant.now().plus(1, ChronoUnit.HOURS)));

        Run second = launch(Map.of(), "--version");

        assertThat(second.stderr()).contains("estafeta: rebuilding (sources changed)...");
        assertThat(mavenCalls()).hasSize(2);
    }

    @Test
    void launchersStartedTogetherOnAnUnbuiltCheckoutBuildOnceAndAllStart() throws Exception {
        // The fake build lasts a second, so every launcher finds the checkout unbuilt while it runs.
        Map<String, String> slowBuild = Map.of("FAKE_MAVEN_SECONDS", "1");
        List<java.util.concurrent.Future<Run>> runs;
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            runs = java.util.stream.IntStream.range(0, 3)
                    .mapToObj(i -> executor.submit(() -> launch(slowBuild, "--version"))).toList();
        }

        for (var run : runs) {
            assertThat(run.get().status()).isZero();
            assertThat(run.get().javaArguments()).contains("io.estafeta.cli.Main");
        }
        assertThat(mavenCalls()).hasSize(1);
    }

    @Test
    void aFailedBuildEndsWithStatusOneWithoutStartingJava() throws Exception {
        Run run = launch(Map.of("FAKE_MAVEN_STATUS", "1"), "--version");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.stderr()).contains("estafeta: the build failed");
        assertThat(run.stdout()).doesNotContain("pid=");
    }

    @Test
    void aFailedBuildIsRetriedOnTheNextRun() throws Exception {
        launch(Map.of("FAKE_MAVEN_STATUS", "1"), "--version");

        Run second = launch(Map.of(), "--version");

        assertThat(second.stderr()).contains("building");
        assertThat(mavenCalls()).hasSize(2);
    }

    @Test
    void javaHomeOlderThan21IsPassedOverForANewerJdkWhichAlsoBuilds() throws Exception {
        Path old = FakeJdk.create(sandbox, "jdk-17", "17.0.15");
        Path jvm = Files.createDirectories(sandbox.resolve("jvm"));
        Path newest = FakeJdk.create(jvm, "jdk-25", "25");

        Run run = launch(Map.of("JAVA_HOME", old.toString(), "ESTAFETA_JVM_DIR", jvm.toString()), "--version");

        assertThat(mavenCalls()).singleElement().asString().startsWith("JAVA_HOME=" + newest + " ");
        assertThat(run.javaArguments()).contains("io.estafeta.cli.Main");
    }

    @Test
    void withoutAJdk21TheLauncherEndsWithStatusOneAndSaysSo() throws Exception {
        Path old = FakeJdk.create(sandbox, "jdk-17", "17.0.15");

        Run run = launch(Map.of("JAVA_HOME", old.toString()), "--version");

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.stderr()).contains("needs Java 21 or newer");
        assertThat(mavenCalls()).isEmpty();
    }

    @Test
    void withJdkRunsItsCommandWithJavaHomeAndPathOnTheJdkItFound() throws Exception {
        Path old = FakeJdk.create(sandbox, "jdk-17", "17.0.15");
        Path jvm = Files.createDirectories(sandbox.resolve("jvm"));
        Path newest = FakeJdk.create(jvm, "jdk-25", "25");

        Map<String, String> env = Map.of("JAVA_HOME", old.toString(), "ESTAFETA_JVM_DIR", jvm.toString());
        Run run = run(root.resolve("bin/with-jdk"), env, "/bin/bash", "-c", "echo \"home=$JAVA_HOME\"; echo \"path=$PATH\"");

        assertThat(run.stdout()).contains("home=" + newest + "\n").contains("path=" + newest + "/bin:");
    }

    /** Runs the sandbox's bin/estafeta through a symlink in another folder, as ~/bin/estafeta would be. */
    private Run launch(Map<String, String> extraEnv, String... args) throws Exception {
        Path linkDir = Files.createDirectories(sandbox.resolve("home-bin"));
        Path link = linkDir.resolve("estafeta");
        if (!Files.isSymbolicLink(link)) {
            try {
                Files.createSymbolicLink(link, root.resolve("bin/estafeta"));
            } catch (java.nio.file.FileAlreadyExistsException madeByAnotherLaunch) {
                // launched side by side: the other run made it
            }
        }
        return run(link, extraEnv, args);
    }

    private Run run(Path script, Map<String, String> extraEnv, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(sandbox.toFile());
        Map<String, String> env = builder.environment();
        env.clear();
        env.put("PATH", sandbox.resolve("tools").toString());
        env.put("JAVA_HOME", jdk.toString());
        env.put("ESTAFETA_JVM_DIR", Files.createDirectories(sandbox.resolve("no-jvms")).toString());
        env.putAll(extraEnv);
        // A file each per run: launchers may run side by side.
        Path out = Files.createTempFile(sandbox, "stdout", ".txt");
        Path err = Files.createTempFile(sandbox, "stderr", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int status = process.waitFor();
        return new Run(process.pid(), status, Files.readString(out), Files.readString(err));
    }

    private Path mavenLog() {
        return sandbox.resolve("mvnw.log");
    }

    private List<String> mavenCalls() throws IOException {
        return Files.exists(mavenLog()) ? Files.readAllLines(mavenLog()) : List.of();
    }

    private static void executable(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private record Run(long pid, int status, String stdout, String stderr) {

        /** What the fake java was started with, in order. */
        List<String> javaArguments() {
            return stdout.lines().filter(line -> line.startsWith("arg=")).map(line -> line.substring(4)).toList();
        }
    }
}
