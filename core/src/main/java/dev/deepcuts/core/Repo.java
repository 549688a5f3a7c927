package dev.deepcuts.core;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the repository root: the folder that holds {@code book/} and the parent {@code pom.xml}. */
public final class Repo {

    private Repo() {
    }

    /**
     * The root named by the system property {@code deepcuts.root} (set by the launcher and by
     * Surefire), else the first folder upwards from the current one that holds both
     * {@code pom.xml} and {@code book/}.
     */
    public static Path root() {
        String prop = System.getProperty("deepcuts.root");
        if (prop != null && !prop.isBlank()) return Path.of(prop).toAbsolutePath().normalize();
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("book"))) return p;
        }
        throw new UsageException("cannot find the deepcuts repository root from " + dir
                + ": run from inside the repository or set -Ddeepcuts.root");
    }
}
