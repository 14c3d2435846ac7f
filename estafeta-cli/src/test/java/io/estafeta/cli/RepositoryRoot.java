package io.estafeta.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checkout's root folder, found from the module folder the tests run in. */
final class RepositoryRoot {

    private RepositoryRoot() {
    }

    static Path path() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isRegularFile(dir.resolve("bin/estafeta"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no checkout root (with mvnw and bin/estafeta) above "
                + Path.of("").toAbsolutePath());
    }
}
