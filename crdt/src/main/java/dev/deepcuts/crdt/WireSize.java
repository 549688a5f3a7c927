package dev.deepcuts.crdt;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * How many bytes a state of any CRDT here would take on the wire, all measured by one yardstick:
 * the conventions of {@link OrSetCodec}, so that a lab can compare types fairly without a codec
 * for each. For an {@link OrSet} of integers it is exactly the length of
 * {@link OrSetCodec#encode}.
 *
 * <p>The conventions: a version byte and a CRC32C (5 bytes) per message; unsigned LEB128 varints
 * for counts, counters and timestamps; zig-zag varints for integer elements, keys and values;
 * length-prefixed UTF-8 for strings and replica ids; a dot as its replica id and counter; a causal
 * context as its compact vector then its cloud; a map as its size then its entries. Elements,
 * keys and plain values may be {@code Integer}, {@code Long}, {@code String} or {@code Boolean}.
 */
public final class WireSize {

    /** The version byte and the checksum around every message. */
    static final int FRAME = 1 + 4;

    private WireSize() {
    }

    /**
     * The encoded size of {@code state}, framing included.
     *
     * @throws IllegalArgumentException for a state (or element) of a type it does not know
     */
    public static int of(Object state) {
        return FRAME + body(state);
    }

    private static int body(Object state) {
        return switch (state) {
            case GCounter g -> counts(g.counts());
            case PNCounter p -> counts(p.increments().counts()) + counts(p.decrements().counts());
            case LwwRegister<?> r -> r.value() == null ? 1 : 1 + value(r.value()) + varint(r.timestamp()) + string(r.replica());
            case GSet<?> g -> values(g.elements());
            case TwoPhaseSet<?> t -> values(t.added().elements()) + values(t.removed().elements());
            case OrSet<?> s -> context(s.context()) + dotsOf(s.store());
            case MvRegister<?> r -> context(r.context()) + dotsOf(r.store());
            case OrMap<?, ?> m -> context(m.context()) + entries(m.entries());
            case Embedded<?> e -> embedded(e);
            default -> throw new IllegalArgumentException("no wire size for a " + state.getClass().getName()
                    + ": expected a CRDT state of dev.deepcuts.crdt");
        };
    }

    private static int embedded(Embedded<?> e) {
        return switch (e) {
            case EmbeddedCounter c -> {
                int n = varint(c.totals().size());
                for (var t : c.totals().entrySet()) n += dot(t.getKey()) + zigzag(t.getValue());
                yield n;
            }
            case EmbeddedOrSet<?> s -> dotsOf(s.store());
            case EmbeddedMvRegister<?> r -> dotsOf(r.store());
            case EmbeddedOrMap<?, ?> m -> entries(m.entries());
        };
    }

    private static int entries(Map<?, ? extends Embedded<?>> entries) {
        int n = varint(entries.size());
        for (var e : entries.entrySet()) n += value(e.getKey()) + embedded(e.getValue());
        return n;
    }

    /** An element (or value) → dots store, as OrSetCodec writes it. */
    private static int dotsOf(Map<?, Set<Dot>> store) {
        int n = varint(store.size());
        for (var e : store.entrySet()) {
            n += value(e.getKey()) + varint(e.getValue().size());
            for (Dot d : e.getValue()) n += dot(d);
        }
        return n;
    }

    private static int context(CausalContext c) {
        int n = varint(c.compact().size());
        for (var e : c.compact().entrySet()) n += string(e.getKey()) + varint(e.getValue());
        n += varint(c.cloud().size());
        for (Dot d : c.cloud()) n += dot(d);
        return n;
    }

    private static int counts(Map<String, Long> counts) {
        int n = varint(counts.size());
        for (var e : counts.entrySet()) n += string(e.getKey()) + varint(e.getValue());
        return n;
    }

    private static int values(Collection<?> values) {
        int n = varint(values.size());
        for (Object v : values) n += value(v);
        return n;
    }

    private static int value(Object v) {
        return switch (v) {
            case Integer i -> varint((i << 1) ^ (i >> 31));       // as OrSetCodec writes an element
            case Long l -> zigzag(l);
            case String s -> string(s);
            case Boolean b -> 1;
            default -> throw new IllegalArgumentException("no wire size for a value of type " + v.getClass().getName() + " (" + v
                    + "): expected Integer, Long, String or Boolean");
        };
    }

    private static int dot(Dot d) {
        return string(d.replica()) + varint(d.counter());
    }

    private static int string(String s) {
        int len = s.getBytes(StandardCharsets.UTF_8).length;
        return varint(len) + len;
    }

    private static int zigzag(long v) {
        return varint((v << 1) ^ (v >> 63));
    }

    /** The bytes of {@code v} as an unsigned LEB128 varint: one per 7 bits. */
    private static int varint(long v) {
        int n = 0;
        do {
            n++;
            v >>>= 7;
        } while (v != 0);
        return n;
    }
}
