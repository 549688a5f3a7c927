package dev.deepcuts.wal.lab;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import dev.deepcuts.wal.FileStorage;
import dev.deepcuts.wal.KvStore;

/**
 * The process the crash lab kills: it opens (and so recovers) the store in the folder it is given,
 * prints {@code READY}, then commits one transaction after another, printing {@code ACK n} only
 * after commit {@code n} has returned — so every ACK the parent reads is a promise of durability.
 * Runs until killed.
 *
 * <p>Usage: {@code CrashChild DIR FIRST KEYS}
 */
public final class CrashChild {

    private CrashChild() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long n = Long.parseLong(args[1]);
        int keys = Integer.parseInt(args[2]);
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
        try (KvStore store = KvStore.open(new FileStorage(dir), CrashLab.config())) {
            out.println("READY");
            out.flush();
            // region child-loop
            while (true) {
                store.begin().put(CrashLab.key(n, keys), CrashLab.value(n)).commit();  // durable when it returns
                out.println("ACK " + n);                                               // only then: the promise
                out.flush();
                n++;
            }
            // endregion child-loop
        }
    }
}
