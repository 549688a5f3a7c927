package dev.deepcuts.core;

import java.util.List;

/**
 * A runnable experiment that makes one phenomenon of a chapter visible with measured numbers.
 *
 * <p>A lab has a chapter id and a lab id (together they name it on the command line:
 * {@code ./deepcuts lab bloom fpr}), a one-line title, typed parameters with a full and a quick
 * default, and {@link #run(LabContext)}, which returns a {@link LabResult}: metrics, tables,
 * charts, claims and a verdict. A lab is deterministic for a given seed wherever its topic allows.
 *
 * <p>Chapters register their labs with {@link java.util.ServiceLoader}: a file
 * {@code META-INF/services/dev.deepcuts.core.Lab} in the chapter module lists the classes, and the
 * CLI finds them without being changed. Implementations need a public no-argument constructor.
 */
public interface Lab {

    /** The chapter id, as in DESIGN.md's table: {@code "bloom"}, {@code "wal"}, … */
    String chapter();

    /** The lab id within its chapter, lower-case with dashes: {@code "fpr"}. */
    String id();

    /** One line saying what the lab shows. */
    String title();

    /** The parameters the lab understands, with their defaults. */
    List<Param> params();

    /**
     * Runs the experiment. Progress goes through {@link LabContext#progress}; the result carries
     * the claims, which the harness checks (a failed claim makes the run exit with status 1).
     */
    LabResult run(LabContext context) throws Exception;
}
