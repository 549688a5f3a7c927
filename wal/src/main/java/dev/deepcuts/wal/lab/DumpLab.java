package dev.deepcuts.wal.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import dev.deepcuts.core.Lab;
import dev.deepcuts.core.LabContext;
import dev.deepcuts.core.LabResult;
import dev.deepcuts.core.Param;
import dev.deepcuts.core.Table;
import dev.deepcuts.core.UsageException;
import dev.deepcuts.wal.FileStorage;
import dev.deepcuts.wal.KvStore;
import dev.deepcuts.wal.WalConfig;
import dev.deepcuts.wal.WalDump;

/**
 * The inspector at work: a few transactions (one aborted) and a checkpoint written to a fresh store,
 * then its log printed record by record, like pg_waldump. With {@code --param dir=...} it prints the
 * log of an existing store instead.
 */
public final class DumpLab implements Lab {

    @Override
    public String chapter() {
        return "wal";
    }

    @Override
    public String id() {
        return "dump";
    }

    @Override
    public String title() {
        return "the log inspector: every record of a store's log, like pg_waldump";
    }

    @Override
    public List<Param> params() {
        return List.of(
                Param.ofString("dir", "", "", "an existing store's folder to inspect (default: write a small one)"),
                Param.ofInt("limit", 60, 60, "most records to print"));
    }

    @Override
    public LabResult run(LabContext ctx) throws IOException {
        int limit = ctx.intParam("limit");
        if (limit < 1) {
            throw new UsageException("limit must be at least 1, got " + limit);
        }
        KvStore.Config config = KvStore.Config.defaults().withPages(4).withWal(WalConfig.defaults().withSegmentSize(1 << 20));
        Path dir;
        boolean written = ctx.stringParam("dir").isEmpty();
        if (written) {
            dir = ctx.workDir();
            // region dump-workload
            try (KvStore store = KvStore.open(new FileStorage(dir), config)) {
                store.begin().put(bytes("alice"), bytes("100")).put(bytes("bob"), bytes("50")).commit();
                store.begin().put(bytes("alice"), bytes("70")).put(bytes("bob"), bytes("80")).commit();   // a transfer
                store.begin().put(bytes("carol"), bytes("999")).abort();                                  // never logged
                store.checkpoint();
                store.begin().delete(bytes("bob")).commit();
            }   // closing checkpoints again
            // endregion dump-workload
        } else {
            dir = Path.of(ctx.stringParam("dir"));
            if (!Files.isDirectory(dir)) {
                throw new UsageException("not a folder: " + dir);
            }
        }
        List<WalDump.Line> lines = WalDump.dump(new FileStorage(dir), config.wal().segmentSize(), 0, limit);
        if (written) {
            CrashLab.deleteTree(dir);
        }
        var table = Table.of("The log of " + (written ? "a store the lab wrote" : dir), "lsn", "len", "type", "description");
        long updates = 0;
        long images = 0;
        long commits = 0;
        for (WalDump.Line l : lines) {
            table.row(WalDump.lsn(l.lsn()), l.length(), l.type(), l.summary());
            updates += l.type().equals("UPDATE") ? 1 : 0;
            images += l.summary().endsWith("+FPI") ? 1 : 0;
            commits += l.type().equals("COMMIT") ? 1 : 0;
        }
        var b = LabResult.builder();
        b.table(table);
        b.metric("records", lines.size(), "records");
        b.metric("updates", updates, "records");
        b.metric("images", images, "records");
        b.metric("commits", commits, "records");
        if (written) {
            b.claim("the aborted transaction left nothing in the log (no record names carol)",
                    lines.stream().noneMatch(l -> l.summary().contains("carol")));
            b.claim("each page's first change after a checkpoint carries a full page image (+FPI)", images > 0);
            b.claim("3 transactions committed, 3 COMMIT records", commits == 3);
        }
        return b.verdict(String.format(Locale.ROOT, "%d records: %d updates (%d with a page image), %d commits", lines.size(), updates, images, commits))
                .build();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
