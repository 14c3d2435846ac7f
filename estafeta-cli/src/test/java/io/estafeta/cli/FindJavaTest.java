package io.estafeta.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bin/lib/find-java.sh, the JDK lookup shared by bin/estafeta, bin/with-jdk and .ci/run, run by bash
 * against fake JDKs. PATH holds only the fake java's folder, so the machine's own java never answers.
 */
class FindJavaTest {

    private static final Path SCRIPT = RepositoryRoot.path().resolve("bin/lib/find-java.sh");

    @TempDir
    Path dir;

    @Test
    void javaHomeIsUsedWhenItIs21OrNewer() throws Exception {
        Path javaHome = FakeJdk.create(dir, "jdk-21", "21.0.2");
        Path onPath = FakeJdk.create(dir, "jdk-25", "25");

        Lookup lookup = lookup(javaHome, onPath.resolve("bin"), emptyJvmFolder());

        assertThat(lookup.status()).isZero();
        assertThat(lookup.java()).isEqualTo(javaHome.resolve("bin/java").toString());
        assertThat(lookup.javaHome()).isEqualTo(javaHome.toString());
    }

    @Test
    void javaHomeOlderThan21GivesWayToJavaOnPath() throws Exception {
        Path javaHome = FakeJdk.create(dir, "jdk-17", "17.0.15");
        Path onPath = FakeJdk.create(dir, "jdk-25", "25");

        Lookup lookup = lookup(javaHome, onPath.resolve("bin"), emptyJvmFolder());

        assertThat(lookup.java()).isEqualTo(onPath.resolve("bin/java").toString());
        assertThat(lookup.javaHome()).isEqualTo(onPath.toString());
    }

    @Test
    void javaOnPathReachedThroughASymlinkLeadsBackToItsJdk() throws Exception {
        Path jdk = FakeJdk.create(dir, "jdk-21", "21.0.2");
        Path usrBin = Files.createDirectories(dir.resolve("usr-bin"));
        Files.createSymbolicLink(usrBin.resolve("java"), jdk.resolve("bin/java"));

        Lookup lookup = lookup(null, usrBin, emptyJvmFolder());

        assertThat(lookup.java()).isEqualTo(usrBin.resolve("java").toString());
        assertThat(lookup.javaHome()).isEqualTo(jdk.toString());
    }

    @Test
    void theNewestJdk21OrLaterInTheJvmFolderIsChosenWhenNothingElseFits() throws Exception {
        Path jvm = Files.createDirectories(dir.resolve("jvm"));
        FakeJdk.create(jvm, "java-8", "1.8.0_381");
        FakeJdk.create(jvm, "java-17", "17.0.15");
        Path newest = FakeJdk.create(jvm, "jdk-21.0.10", "21.0.10");
        FakeJdk.create(jvm, "jdk-21.0.2", "21.0.2");
        Path old = FakeJdk.create(dir, "jdk-17", "17.0.15");

        Lookup lookup = lookup(old, old.resolve("bin"), jvm);

        assertThat(lookup.javaHome()).isEqualTo(newest.toString());
    }

    @Test
    void withoutAnyJdk21TheLookupFailsAndSaysWhatIsNeeded() throws Exception {
        Path jvm = Files.createDirectories(dir.resolve("jvm"));
        FakeJdk.create(jvm, "java-17", "17.0.15");
        Path old = FakeJdk.create(dir, "jdk-17", "17.0.15");

        Lookup lookup = lookup(old, old.resolve("bin"), jvm);

        assertThat(lookup.status()).isEqualTo(1);
        assertThat(lookup.stderr()).contains("needs Java 21 or newer").contains("JAVA_HOME");
    }

    @ParameterizedTest(name = "\"{0}\" is Java {1}")
    @CsvSource({"1.8.0_381, 8", "11.0.2, 11", "17.0.15, 17", "21.0.2, 21", "21, 21", "25, 25", "25-ea, 25",
            "26+12, 26"})
    void versionStringsOfJavaVersionAreReadAsTheirFeatureRelease(String version, int major) throws Exception {
        Result result = bash("source \"$1\"; estafeta_java_major \"$2\"", Map.of(), SCRIPT.toString(), version);

        assertThat(result.stdout().strip()).isEqualTo(Integer.toString(major));
    }

    private Path emptyJvmFolder() throws IOException {
        return Files.createDirectories(dir.resolve("no-jvms"));
    }

    /** Runs estafeta_find_java with exactly this JAVA_HOME (null: unset), PATH and JVM folder. */
    private Lookup lookup(Path javaHome, Path pathDir, Path jvmFolder) throws Exception {
        Map<String, String> env = new java.util.HashMap<>();
        if (javaHome != null) {
            env.put("JAVA_HOME", javaHome.toString());
        }
        env.put("PATH", pathDir.toString());
        env.put("ESTAFETA_JVM_DIR", jvmFolder.toString());
        Result result = bash("""
                set -euo pipefail
                source "$1"
                estafeta_find_java || exit
                printf '%s\\n' "$ESTAFETA_JAVA" "$ESTAFETA_JAVA_HOME"
                """, env, SCRIPT.toString());
        List<String> lines = result.stdout().lines().toList();
        return new Lookup(result.status(), lines.isEmpty() ? null : lines.get(0),
                lines.size() < 2 ? null : lines.get(1), result.stderr());
    }

    private Result bash(String script, Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("/bin/bash", "-c", script, "find-java-test"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(env);
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int status = process.waitFor();
        return new Result(status, Files.readString(out), Files.readString(err));
    }

    private record Result(int status, String stdout, String stderr) {
    }

    private record Lookup(int status, String java, String javaHome, String stderr) {
    }
}
