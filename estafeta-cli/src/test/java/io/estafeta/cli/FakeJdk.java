package io.estafeta.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A folder laid out like a JDK whose {@code bin/java} is a small bash script: it answers
 * {@code -version} (with {@code -XshowSettings:properties}) as a real JVM does, and otherwise prints
 * its process id and its arguments, one per line, so a test can see how it was started.
 */
final class FakeJdk {

    private FakeJdk() {
    }

    /** Creates {@code parent/name} as a fake JDK reporting {@code version}; returns its folder. */
    static Path create(Path parent, String name, String version) throws IOException {
        Path home = parent.resolve(name);
        Path java = home.resolve("bin/java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, """
                #!/bin/bash
                case " $* " in
                *" -version "*)
                    printf '%%s\\n' 'Property settings:' '    java.home = %s' '    java.vendor = Fake' >&2
                    printf '%%s\\n' 'openjdk version "%s" 2024-01-16' 'OpenJDK Runtime Environment' >&2
                    exit 0
                    ;;
                esac
                echo "pid=$$"
                printf 'arg=%%s\\n' "$@"
                """.formatted(home, version));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }
}
