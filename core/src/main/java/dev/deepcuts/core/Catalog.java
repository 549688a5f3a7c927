package dev.deepcuts.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The labs and benches on the class path, found with {@link ServiceLoader}: a chapter registers its
 * labs in {@code META-INF/services/dev.deepcuts.core.Lab} (and benches in
 * {@code META-INF/services/dev.deepcuts.core.Bench}) and nothing else needs to change.
 * Lookups that fail throw {@link UsageException} naming what exists.
 */
public final class Catalog {

    private final List<Lab> labs;
    private final List<Bench> benches;

    private Catalog(List<Lab> labs, List<Bench> benches) {
        Comparator<String> byChapter = Comparator.comparingInt(Catalog::chapterOrder);
        var sortedLabs = new ArrayList<>(labs);
        sortedLabs.sort(Comparator.comparing(Lab::chapter, byChapter));
        var sortedBenches = new ArrayList<>(benches);
        sortedBenches.sort(Comparator.comparing(Bench::chapter, byChapter));
        for (int i = 0; i < sortedLabs.size(); i++) {
            Lab a = sortedLabs.get(i);
            if (Chapters.byId(a.chapter()).isEmpty()) {
                throw new IllegalStateException("lab " + a.getClass().getName() + " names chapter '" + a.chapter() + "', which is not one of " + Chapters.ids());
            }
            for (int j = 0; j < i; j++) {
                Lab b = sortedLabs.get(j);
                if (a.chapter().equals(b.chapter()) && a.id().equals(b.id())) {
                    throw new IllegalStateException("two labs are registered as " + a.chapter() + "/" + a.id()
                            + ": " + a.getClass().getName() + " and " + b.getClass().getName());
                }
            }
        }
        this.labs = List.copyOf(sortedLabs);
        this.benches = List.copyOf(sortedBenches);
    }

    /** Everything registered on the class path. */
    public static Catalog load() {
        var labs = new ArrayList<Lab>();
        ServiceLoader.load(Lab.class).forEach(labs::add);
        var benches = new ArrayList<Bench>();
        ServiceLoader.load(Bench.class).forEach(benches::add);
        return new Catalog(labs, benches);
    }

    /** A catalog of exactly these (tests). */
    public static Catalog of(List<Lab> labs, List<Bench> benches) {
        return new Catalog(labs, benches);
    }

    public List<Lab> labs() {
        return labs;
    }

    public List<Bench> benches() {
        return benches;
    }

    /** The labs of one chapter, in registration order. */
    public List<Lab> labs(String chapter) {
        requireChapter(chapter);
        return labs.stream().filter(l -> l.chapter().equals(chapter)).toList();
    }

    /** The lab {@code chapter/id}, or a usage error naming the valid choices. */
    public Lab lab(String chapter, String id) {
        List<Lab> ofChapter = labs(chapter);
        if (ofChapter.isEmpty()) {
            throw new UsageException("chapter '" + chapter + "' has no labs yet; chapters with labs: " + chaptersWithLabs());
        }
        return ofChapter.stream().filter(l -> l.id().equals(id)).findFirst()
                .orElseThrow(() -> new UsageException("unknown lab '" + id + "' in chapter " + chapter + "; its labs are: "
                        + String.join(", ", ofChapter.stream().map(Lab::id).toList())));
    }

    /** The benches of one chapter, or a usage error naming the chapters that have some. */
    public List<Bench> benches(String chapter) {
        requireChapter(chapter);
        var found = benches.stream().filter(b -> b.chapter().equals(chapter)).toList();
        if (found.isEmpty()) {
            String with = String.join(", ", benches.stream().map(Bench::chapter).distinct().toList());
            throw new UsageException("chapter '" + chapter + "' has no benchmarks yet; chapters with benchmarks: " + (with.isEmpty() ? "none" : with));
        }
        return found;
    }

    /** Throws a usage error unless {@code chapter} is one of the ten ids. */
    public static void requireChapter(String chapter) {
        if (Chapters.byId(chapter).isEmpty()) {
            throw new UsageException("unknown chapter '" + chapter + "'; the chapters are: " + Chapters.ids());
        }
    }

    private String chaptersWithLabs() {
        var ids = labs.stream().map(Lab::chapter).distinct().toList();
        return ids.isEmpty() ? "none" : String.join(", ", ids);
    }

    private static int chapterOrder(String id) {
        return Chapters.byId(id).map(Chapters.Chapter::number).orElse(99);
    }
}
