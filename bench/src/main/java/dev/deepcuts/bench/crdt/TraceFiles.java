package dev.deepcuts.bench.crdt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.deepcuts.core.Repo;
import dev.deepcuts.core.UsageException;
import dev.deepcuts.crdt.text.EditTrace;

/**
 * Where the editing traces are: the folder named by the system property {@value #PROPERTY}, else
 * by the environment variable {@value #ENV}, else {@code data/editing-traces} in the repository
 * (the project's copy of two traces of
 * <a href="https://github.com/josephg/editing-traces">josephg/editing-traces</a>).
 */
final class TraceFiles {

    /** The system property naming the traces folder (passed on to the JMH forks). */
    static final String PROPERTY = "deepcuts.traces";

    /** The environment variable naming the traces folder. */
    static final String ENV = "DEEPCUTS_TRACES";

    /** The default, relative to the repository root. */
    static final String DEFAULT = "data/editing-traces";

    private TraceFiles() {
    }

    /** The traces folder as configured, resolved to an absolute path; not checked. */
    static Path directory() {
        String configured = System.getProperty(PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(ENV);
        }
        Path dir = configured == null || configured.isBlank() ? Repo.root().resolve(DEFAULT) : Path.of(configured);
        return dir.toAbsolutePath().normalize();
    }

    /**
     * The file of each named trace ({@code NAME.json.gz}) in {@code dir}, or one clear line if the
     * folder or a trace is missing.
     */
    static List<Path> files(Path dir, List<String> names) {
        for (String name : names) {
            Path file = dir.resolve(name + ".json.gz");
            if (!Files.isRegularFile(file)) {
                throw new UsageException("editing trace " + name + " not found: no " + file
                        + " (set " + ENV + " or -D" + PROPERTY + " to the folder holding automerge-paper.json.gz and seph-blog1.json.gz"
                        + " from github.com/josephg/editing-traces; the default is " + DEFAULT + " beside the repository)");
            }
        }
        return names.stream().map(n -> dir.resolve(n + ".json.gz")).toList();
    }

    /** Loads the trace {@code name} from {@code dir}, with the same clear line if it is missing. */
    static EditTrace load(Path dir, String name) throws IOException {
        return EditTrace.load(files(dir, List.of(name)).getFirst());
    }
}
