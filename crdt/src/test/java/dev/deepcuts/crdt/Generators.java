package dev.deepcuts.crdt;

import java.util.Map;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Provide;

/** Small random states over three replicas, so that laws meet overlapping entries often. */
class Generators {

    static Arbitrary<String> replicas() {
        return Arbitraries.of("a", "b", "c");
    }

    static Arbitrary<Map<String, Long>> entries() {
        return Arbitraries.maps(replicas(), Arbitraries.longs().between(0, 6)).ofMaxSize(3);
    }

    @Provide
    Arbitrary<VectorClock> clocks() {
        return entries().map(VectorClock::of);
    }

    @Provide
    Arbitrary<GCounter> gcounters() {
        return entries().map(m -> {
            GCounter g = GCounter.zero();
            for (var e : m.entrySet()) g = g.join(g.increment(e.getKey(), e.getValue()));
            return g;
        });
    }

    @Provide
    Arbitrary<PNCounter> pncounters() {
        return gcounters().flatMap(inc -> gcounters().map(dec -> new PNCounter(inc, dec)));
    }

    @Provide
    Arbitrary<CausalContext> contexts() {
        Arbitrary<Dot> dots = replicas().flatMap(r -> Arbitraries.longs().between(1, 8).map(n -> new Dot(r, n)));
        return dots.set().ofMaxSize(10).map(Generators::contextOf);
    }

    static CausalContext contextOf(Set<Dot> dots) {
        CausalContext c = CausalContext.empty();
        for (Dot d : dots) c = c.add(d);
        return c;
    }
}
