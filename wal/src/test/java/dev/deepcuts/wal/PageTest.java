package dev.deepcuts.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class PageTest {

    /** One change: put (or redo-overwrite) a value for a key, or delete the key. */
    record Op(int kind, byte[] key, byte[] value) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<byte[]> keys = Arbitraries.bytes().between((byte) 0, (byte) 3).array(byte[].class).ofMinSize(0).ofMaxSize(3);
        Arbitrary<byte[]> values = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(6);
        return Combinators.combine(Arbitraries.integers().between(0, 2), keys, values).as(Op::new).list().ofMaxSize(60);
    }

    @Property(tries = 500)
    void behavesLikeASortedMapAndSurvivesEncoding(@ForAll("ops") List<Op> ops) {
        Page page = new Page(3);
        TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
        for (Op op : ops) {
            switch (op.kind()) {
                case 0 -> {
                    page.put(op.key().clone(), op.value().clone());
                    model.put(op.key(), op.value());
                }
                case 1 -> { // redo's form: key and value read where they lie in a record buffer
                    byte[] record = new byte[3 + op.key().length + op.value().length];
                    System.arraycopy(op.key(), 0, record, 3, op.key().length);
                    System.arraycopy(op.value(), 0, record, 3 + op.key().length, op.value().length);
                    page.overwrite(record, 3, op.key().length, 3 + op.key().length, op.value().length);
                    model.put(op.key(), op.value());
                }
                default -> {
                    page.delete(op.key());
                    model.remove(op.key());
                }
            }
        }
        assertSame(page, model);
        page.lsn = 42;
        Page back = Page.decode(3, page.encode(4096));
        assertThat(back.lsn).isEqualTo(42);
        assertSame(back, model);
        assertThat(back.used).isEqualTo(page.used);
    }

    @Property(tries = 200)
    void aCopyChangesWithoutChangingTheOriginal(@ForAll("ops") List<Op> ops) {
        Page page = new Page(1);
        for (Op op : ops) {
            page.put(op.key(), op.value());
        }
        byte[] before = page.encode(4096);
        Page copy = page.copy();
        copy.put(new byte[] {9, 9, 9, 9}, new byte[] {1});
        if (page.size() > 0) {
            copy.delete(page.key(0));
        }
        assertThat(page.encode(4096)).isEqualTo(before);
    }

    private static void assertSame(Page page, TreeMap<byte[], byte[]> model) {
        assertThat(page.size()).isEqualTo(model.size());
        int i = 0;
        int used = Page.HEADER;
        for (Map.Entry<byte[], byte[]> e : model.entrySet()) {
            assertThat(page.key(i)).isEqualTo(e.getKey());
            assertThat(page.value(i)).isEqualTo(e.getValue());
            assertThat(page.get(e.getKey())).isEqualTo(e.getValue());
            used += Page.entrySize(e.getKey(), e.getValue());
            i++;
        }
        assertThat(page.used).isEqualTo(used);
    }
}
