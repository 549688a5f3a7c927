package dev.deepcuts.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class BufferPoolTest {

    /** Against an access-ordered LinkedHashMap, the structure it replaced: same pages, same order. */
    @Property(tries = 500)
    void keepsTheSamePagesInTheSameOrderAsAnAccessOrderedMap(
            @ForAll @Size(max = 80) List<@IntRange(min = 0, max = 15) Integer> pages,
            @ForAll @Size(max = 80) List<@IntRange(min = 0, max = 3) Integer> kinds) {
        var pool = new KvStore.BufferPool(16);
        var model = new LinkedHashMap<Integer, Page>(16, 0.75f, true);
        for (int i = 0; i < Math.min(pages.size(), kinds.size()); i++) {
            int no = pages.get(i);
            switch (kinds.get(i)) {
                case 0 -> {
                    Page p = new Page(no);
                    p.pinned = no % 3 == 0;                  // some pages a commit holds: never a victim
                    pool.put(p);
                    model.remove(no);
                    model.put(no, p);
                }
                case 1 -> assertThat(pool.get(no)).isSameAs(model.get(no));
                case 2 -> {
                    pool.remove(no);
                    model.remove(no);
                }
                default -> {
                    // peek changes nothing: compare with a map lookup that does not reorder
                    Page seen = null;
                    for (var e : model.entrySet()) {
                        if (e.getKey() == no) seen = e.getValue();
                    }
                    assertThat(pool.peek(no)).isSameAs(seen);
                }
            }
            assertThat(pool.size()).isEqualTo(model.size());
            assertThat(pool.leastRecentlyUsedFirst()).containsExactlyElementsOf(new ArrayList<>(model.values()));
            assertThat(pool.leastRecentlyUsedUnpinned())
                    .isSameAs(model.values().stream().filter(p -> !p.pinned).findFirst().orElse(null));
        }
    }
}
