package io.estafeta.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A throwaway certificate authority and certificates signed by it (EC P-256, PEM), made with the
 * {@code openssl} command; tests that need them are skipped where it is missing.
 */
public final class TestCertificates {

    private static final Path OPENSSL = Path.of("/usr/bin/openssl");
    private static final String VALID_DAYS = "2";
    private static final long OPENSSL_WAIT_SECONDS = 30;

    private final Path directory;

    private TestCertificates(Path directory) {
        this.directory = directory;
    }

    /** Creates the authority ({@code ca.crt}, {@code ca.key}) in {@code directory}. */
    public static TestCertificates authority(Path directory) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(OPENSSL), "openssl is not installed at " + OPENSSL);
        TestCertificates certificates = new TestCertificates(directory);
        // Mosquitto started as root reads certificates after dropping to its own user: let it in.
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        certificates.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "ca.key", "-out", "ca.crt", "-days", VALID_DAYS, "-subj", "/CN=estafeta-test-ca");
        certificates.readableByAll("ca.crt", "ca.key");
        return certificates;
    }

    public Path caFile() {
        return directory.resolve("ca.crt");
    }

    /**
     * Issues {@code name.crt} and {@code name.key}.
     *
     * @param subjectAltNames e.g. {@code DNS:localhost,IP:127.0.0.1}; null for none
     */
    public Path[] issue(String name, String subjectAltNames) throws IOException, InterruptedException {
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
        List<String> sign = new ArrayList<>(List.of("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt",
                "-CAkey", "ca.key", "-CAcreateserial", "-out", name + ".crt", "-days", VALID_DAYS));
        if (subjectAltNames != null) {
            Files.writeString(directory.resolve(name + ".ext"), "subjectAltName=" + subjectAltNames + "\n");
            sign.addAll(List.of("-extfile", name + ".ext"));
        }
        openssl(sign.toArray(String[]::new));
        readableByAll(name + ".crt", name + ".key");
        return new Path[] {directory.resolve(name + ".crt"), directory.resolve(name + ".key")};
    }

    /**
     * Writes the key of an issued certificate again, encrypted with {@code password} as
     * {@code openssl pkcs8 -topk8} does by default (PBES2, AES-256-CBC): {@code name.encrypted.key}.
     */
    public Path encryptedKey(String name, String password) throws IOException, InterruptedException {
        String file = name + ".encrypted.key";
        openssl("pkcs8", "-topk8", "-in", name + ".key", "-out", file, "-passout", "pass:" + password);
        readableByAll(file);
        return directory.resolve(file);
    }

    /**
     * Puts an issued certificate, its key and the authority's certificate into a PKCS#12 file protected by
     * {@code password}: {@code name.p12}.
     */
    public Path pkcs12(String name, String password) throws IOException, InterruptedException {
        String file = name + ".p12";
        openssl("pkcs12", "-export", "-in", name + ".crt", "-inkey", name + ".key", "-certfile", "ca.crt",
                "-name", name, "-out", file, "-passout", "pass:" + password);
        readableByAll(file);
        return directory.resolve(file);
    }

    /** Test keys only: world-readable so a broker running as another user can load them. */
    private void readableByAll(String... names) throws IOException {
        for (String name : names) {
            Files.setPosixFilePermissions(directory.resolve(name), PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private void openssl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(OPENSSL.toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(directory.resolve("openssl.log").toFile()).start();
        if (!process.waitFor(OPENSSL_WAIT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("openssl " + String.join(" ", arguments) + " failed: "
                    + Files.readString(directory.resolve("openssl.log")));
        }
    }
}
