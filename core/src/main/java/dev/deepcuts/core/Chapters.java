package dev.deepcuts.core;

import java.util.List;
import java.util.Optional;

/** The ten chapters of DESIGN.md: number, CLI id, module folder, chapter file and title. */
public final class Chapters {

    /**
     * One chapter.
     *
     * @param number the chapter number
     * @param id     the CLI id ({@code bloom})
     * @param module the Maven module folder ({@code bloom})
     * @param file   the chapter file under {@code book/}
     * @param title  the chapter title
     */
    public record Chapter(int number, String id, String module, String file, String title) {
    }

    /** All ten, in book order. */
    public static final List<Chapter> ALL = List.of(
            new Chapter(1, "crdt", "crdt", "01-crdts.md", "CRDTs: merging without conflicts"),
            new Chapter(2, "wal", "wal", "02-write-ahead-log.md", "Write-ahead logs: durability and crash recovery"),
            new Chapter(3, "idempotency", "idempotency", "03-idempotency-keys.md", "Idempotency keys: exactly-once effects over at-least-once delivery"),
            new Chapter(4, "descriptors", "descriptors", "04-descriptors.md", "Descriptors and a mini-ORM"),
            new Chapter(5, "bloom", "bloom", "05-bloom-filters.md", "Bloom filters: when \"maybe\" beats \"definitely\""),
            new Chapter(6, "split-brain", "splitbrain", "06-split-brain.md", "Split-brain: two leaders and lost writes"),
            new Chapter(7, "event-sourcing", "eventsourcing", "07-event-sourcing.md", "Event sourcing"),
            new Chapter(8, "pool", "pool", "08-connection-pools.md", "Connection pool exhaustion"),
            new Chapter(9, "actors", "actors", "09-actors.md", "The actor model"),
            new Chapter(10, "read-your-writes", "readyourwrites", "10-read-your-writes.md", "Read-after-write consistency"));

    private Chapters() {
    }

    /** The chapter with this CLI id. */
    public static Optional<Chapter> byId(String id) {
        return ALL.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /** "crdt, wal, …" for error messages. */
    public static String ids() {
        return String.join(", ", ALL.stream().map(Chapter::id).toList());
    }
}
