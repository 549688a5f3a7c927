package dev.deepcuts.crdt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import org.junit.jupiter.api.Test;

/**
 * The OR-Map: its semantic choices pinned by examples (an update concurrent with a remove keeps
 * only what the remover did not see; a removed key comes back empty; nested maps behave the same
 * at every depth), and its laws checked by properties over every kind of embedded value —
 * counters, add-wins sets, multi-value registers and nested maps — on states and deltas reached
 * by random histories of three replicas.
 */
class OrMapTest {

    private static <V extends Embedded<V>> OrMap<String, V> emptyOf(V bottom) {
        return OrMap.empty(bottom);
    }

    // ---- the semantic choices, by example

    @Test
    void anUpdateConcurrentWithARemoveKeepsOnlyWhatTheRemoverDidNotSee() {
        var a = emptyOf(EmbeddedOrSet.<String>empty());
        a = a.join(a.update("a", "cart", EmbeddedOrSet.add("apple")));
        var b = emptyOf(EmbeddedOrSet.<String>empty()).join(a);          // b has seen the apple
        var removal = b.remove("cart");                                   // b removes the cart it saw...
        var update = a.update("a", "cart", EmbeddedOrSet.add("pear"));    // ...while a adds a pear, concurrently
        a = a.join(update).join(removal);
        b = b.join(removal).join(update);
        assertThat(a).isEqualTo(b);
        assertThat(a.containsKey("cart")).as("the update wins the key").isTrue();
        assertThat(a.get("cart").elements()).as("but only with what the remover had not seen").containsExactly("pear");
    }

    @Test
    void aRemovedKeyLeavesNoTombstoneAndComesBackEmptyWhenUpdatedAgain() {
        var m = emptyOf(EmbeddedOrSet.<String>empty());
        m = m.join(m.update("a", "cart", EmbeddedOrSet.add("apple")));
        m = m.join(m.update("b", "cart", EmbeddedOrSet.add("pear")));
        OrMap<String, EmbeddedOrSet<String>> stale = m;                  // a replica that will miss the remove
        m = m.join(m.remove("cart"));
        assertThat(m.containsKey("cart")).isFalse();
        assertThat(m.entries()).as("no tombstone: only the context remembers").isEmpty();
        assertThat(m.context().contains(new Dot("a", 1))).isTrue();
        m = m.join(m.update("a", "cart", EmbeddedOrSet.add("kiwi")));
        assertThat(m.get("cart").elements()).containsExactly("kiwi");
        assertThat(m.join(stale).get("cart").elements()).as("the removed dots stay removed").containsExactly("kiwi");
        assertThat(stale.join(m)).isEqualTo(m.join(stale));
    }

    @Test
    void aNestedMapRemovedConcurrentlyWithAnUpdateOfOneFieldKeepsOnlyThatField() {
        var a = emptyOf(EmbeddedOrMap.<String, EmbeddedMvRegister<String>>empty(EmbeddedMvRegister.empty()));
        a = a.join(a.update("a", "alice", EmbeddedOrMap.update("name", EmbeddedMvRegister.assign("Alice"))));
        a = a.join(a.update("a", "alice", EmbeddedOrMap.update("city", EmbeddedMvRegister.assign("Lisbon"))));
        a = a.join(a.update("a", "bob", EmbeddedOrMap.update("city", EmbeddedMvRegister.assign("Braga"))));
        var b = a;
        var removal = b.remove("alice");
        var move = a.update("a", "alice", EmbeddedOrMap.update("city", EmbeddedMvRegister.assign("Porto")));
        a = a.join(move).join(removal);
        b = b.join(removal).join(move);
        assertThat(a).isEqualTo(b);
        assertThat(a.get("alice").keys()).containsExactly("city");
        assertThat(a.get("alice").get("city").values()).containsExactly("Porto");
        assertThat(a.get("bob").get("city").values()).as("other keys untouched").containsExactly("Braga");

        // removing the last field of a nested map removes the outer key too: it holds no dot any more
        a = a.join(a.update("b", "alice", EmbeddedOrMap.remove("city")));
        assertThat(a.containsKey("alice")).isFalse();
        assertThat(a.keys()).containsExactly("bob");
    }

    @Test
    void concurrentWritesUnderOneKeyAreAllKeptByItsRegisterUntilAWriteSeesThem() {
        var a = emptyOf(EmbeddedMvRegister.<String>empty());
        var b = emptyOf(EmbeddedMvRegister.<String>empty());
        var wa = a.update("a", "title", EmbeddedMvRegister.assign("red"));
        var wb = b.update("b", "title", EmbeddedMvRegister.assign("blue"));
        a = a.join(wa).join(wb);
        b = b.join(wb).join(wa);
        assertThat(a.get("title").values()).containsExactlyInAnyOrder("red", "blue");
        assertThat(a).isEqualTo(b);
        a = a.join(a.update("a", "title", EmbeddedMvRegister.assign("purple")));
        assertThat(b.join(a).get("title").values()).containsExactly("purple");
    }

    @Test
    void aCounterUnderAKeyAddsUpEveryReplicasContribution() {
        var a = emptyOf(EmbeddedCounter.empty());
        var b = emptyOf(EmbeddedCounter.empty());
        a = a.join(a.update("a", "clicks", EmbeddedCounter.add(3)));
        b = b.join(b.update("b", "clicks", EmbeddedCounter.add(4)));
        b = b.join(b.update("b", "clicks", EmbeddedCounter.add(-1)));
        a = a.join(b);
        assertThat(a.get("clicks").value()).isEqualTo(6);
        assertThat(a.get("clicks").dots()).as("one dot per replica, however many increments").hasSize(2);
        assertThat(a.get("absent").value()).isZero();
    }

    /**
     * The one corner the bounded causal counter cuts (see EmbeddedCounter): an increment concurrent
     * with a remove revives the incrementer's whole running total, not just the new increment. A
     * remove the incrementer has seen is exact.
     */
    @Test
    void aCounterIncrementedConcurrentlyWithItsRemovalKeepsTheIncrementersWholeTotal() {
        var a = emptyOf(EmbeddedCounter.empty());
        a = a.join(a.update("a", "clicks", EmbeddedCounter.add(5)));
        var b = emptyOf(EmbeddedCounter.empty()).join(a);
        b = b.join(b.update("b", "clicks", EmbeddedCounter.add(2)));
        a = a.join(b);                                                     // a: 7, both have seen everything
        var removal = b.remove("clicks");
        var increment = a.update("a", "clicks", EmbeddedCounter.add(1));
        a = a.join(increment).join(removal);
        b = b.join(removal).join(increment);
        assertThat(a).isEqualTo(b);
        assertThat(a.get("clicks").value()).as("a's 5 + 1 survive, b's 2 are removed").isEqualTo(6);

        var c = a.join(a.remove("clicks"));                                // a remove seen before the next increment...
        c = c.join(c.update("a", "clicks", EmbeddedCounter.add(1)));
        assertThat(c.get("clicks").value()).as("...resets exactly").isEqualTo(1);
    }

    @Test
    void clearRemovesEveryKeyObservedButNotAConcurrentUpdate() {
        var a = emptyOf(EmbeddedCounter.empty());
        a = a.join(a.update("a", "x", EmbeddedCounter.add(1)));
        a = a.join(a.update("a", "y", EmbeddedCounter.add(2)));
        var b = a;
        var clear = b.clear();
        var update = a.update("a", "z", EmbeddedCounter.add(3));
        assertThat(a.join(update).join(clear).entries()).containsOnlyKeys("z");
        assertThat(b.join(clear).join(update)).isEqualTo(a.join(update).join(clear));
    }

    @Test
    void badInputIsRejectedWithAMessageNamingIt() {
        var m = emptyOf(EmbeddedCounter.empty());
        EmbeddedCounter nonEmpty = m.join(m.update("a", "k", EmbeddedCounter.add(1))).get("k");
        assertThatThrownBy(() -> OrMap.empty(nonEmpty)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must hold no dots").hasMessageContaining("a:1");
        assertThatThrownBy(() -> EmbeddedOrMap.empty(nonEmpty)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must hold no dots");
        assertThatThrownBy(() -> m.update("", "k", EmbeddedCounter.add(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("replica ''");
        Embedded.Mutator<EmbeddedCounter> forger = (replica, value, context) -> EmbeddedCounter.add(1).apply("mallory", value, context);
        assertThatThrownBy(() -> m.update("a", "k", forger)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dot mallory:1 of another replica");
        assertThatThrownBy(() -> new Embedded.Delta<>(nonEmpty, CausalContext.empty())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("delta holds dot a:1 outside its own context");
    }

    // ---- the laws, over every kind of value

    /** The kinds of value the properties run over; NESTED is a map of maps of add-wins sets. */
    enum Kind { COUNTERS, SETS, REGISTERS, NESTED }

    /**
     * A random operation: its delta at a replica's state, the key it touches (-1 for all), and the
     * effect the delta must have once joined into the state it was made from.
     */
    record Op<V extends Embedded<V>>(String text, int key, BiFunction<OrMap<Integer, V>, String, OrMap<Integer, V>> delta,
                                     BiConsumer<OrMap<Integer, V>, OrMap<Integer, V>> effect) {
        @Override
        public String toString() {
            return text;
        }
    }

    /** The empty value of one kind, and its random operations. */
    record Model<V extends Embedded<V>>(V bottom, BiFunction<SplittableRandom, Integer, Op<V>> update) {

        /** Removes, clears and the kind's own updates, over four keys. */
        Op<V> randomOp(SplittableRandom rnd) {
            int k = rnd.nextInt(4);
            int dice = rnd.nextInt(30);
            if (dice == 0) return new Op<>("clear", -1, (m, r) -> m.clear(), (before, after) -> assertThat(after.keys()).isEmpty());
            if (dice < 6) return new Op<>("remove " + k, k, (m, r) -> m.remove(k), (before, after) -> assertThat(after.containsKey(k)).isFalse());
            return update.apply(rnd, k);
        }
    }

    static Model<?> model(Kind kind) {
        return switch (kind) {
            case COUNTERS -> new Model<>(EmbeddedCounter.empty(), (rnd, k) -> {
                long n = rnd.nextInt(9) - 3;
                return new Op<EmbeddedCounter>("add " + n + " at " + k, k, (m, r) -> m.update(r, k, EmbeddedCounter.add(n)),
                        (before, after) -> assertThat(after.get(k).value()).isEqualTo(before.get(k).value() + n));
            });
            case SETS -> new Model<>(EmbeddedOrSet.<Integer>empty(), (rnd, k) -> {
                int e = rnd.nextInt(4);
                return rnd.nextInt(3) == 0
                        ? new Op<EmbeddedOrSet<Integer>>("remove " + e + " at " + k, k, (m, r) -> m.update(r, k, EmbeddedOrSet.remove(e)),
                                (before, after) -> assertThat(after.get(k).contains(e)).isFalse())
                        : new Op<EmbeddedOrSet<Integer>>("add " + e + " at " + k, k, (m, r) -> m.update(r, k, EmbeddedOrSet.add(e)),
                                (before, after) -> assertThat(after.get(k).contains(e)).isTrue());
            });
            case REGISTERS -> new Model<>(EmbeddedMvRegister.<Integer>empty(), (rnd, k) -> {
                int v = rnd.nextInt(5);
                return new Op<EmbeddedMvRegister<Integer>>("assign " + v + " at " + k, k, (m, r) -> m.update(r, k, EmbeddedMvRegister.assign(v)),
                        (before, after) -> assertThat(after.get(k).values()).containsExactly(v));
            });
            case NESTED -> new Model<>(EmbeddedOrMap.<Integer, EmbeddedOrSet<Integer>>empty(EmbeddedOrSet.empty()), (rnd, k) -> {
                int field = rnd.nextInt(3);
                int e = rnd.nextInt(3);
                return switch (rnd.nextInt(4)) {
                    case 0 -> new Op<EmbeddedOrMap<Integer, EmbeddedOrSet<Integer>>>("remove field " + field + " at " + k, k,
                            (m, r) -> m.update(r, k, EmbeddedOrMap.remove(field)),
                            (before, after) -> assertThat(after.get(k).containsKey(field)).isFalse());
                    case 1 -> new Op<EmbeddedOrMap<Integer, EmbeddedOrSet<Integer>>>("remove " + e + " from field " + field + " at " + k, k,
                            (m, r) -> m.update(r, k, EmbeddedOrMap.update(field, EmbeddedOrSet.remove(e))),
                            (before, after) -> assertThat(after.get(k).get(field).contains(e)).isFalse());
                    default -> new Op<EmbeddedOrMap<Integer, EmbeddedOrSet<Integer>>>("add " + e + " to field " + field + " at " + k, k,
                            (m, r) -> m.update(r, k, EmbeddedOrMap.update(field, EmbeddedOrSet.add(e))),
                            (before, after) -> assertThat(after.get(k).get(field).contains(e)).isTrue());
                };
            });
        };
    }

    private static final String[] REPLICAS = {"a", "b", "c"};

    /** Every state and delta of three replicas running random operations and syncing now and then. */
    static <V extends Embedded<V>> List<OrMap<Integer, V>> reachable(Model<V> model, SplittableRandom rnd) {
        List<OrMap<Integer, V>> replicas = new ArrayList<>(List.of(OrMap.empty(model.bottom()), OrMap.empty(model.bottom()), OrMap.empty(model.bottom())));
        List<OrMap<Integer, V>> seen = new ArrayList<>(replicas);
        for (int step = 0; step < 25; step++) {
            int r = rnd.nextInt(3);
            if (rnd.nextInt(4) == 0) {
                replicas.set(r, replicas.get(r).join(replicas.get(rnd.nextInt(3))));
            } else {
                var delta = model.randomOp(rnd).delta().apply(replicas.get(r), REPLICAS[r]);
                seen.add(delta);
                replicas.set(r, replicas.get(r).join(delta));
            }
            seen.add(replicas.get(r));
        }
        return seen;
    }

    @Property(tries = 150)
    void joinIsCommutativeAssociativeAndIdempotentOnReachableStatesAndDeltas(@ForAll Kind kind, @ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        semilattice(model(kind), seed);
    }

    private static <V extends Embedded<V>> void semilattice(Model<V> model, long seed) {
        var rnd = new SplittableRandom(seed);
        var states = reachable(model, rnd);
        for (int i = 0; i < 20; i++) {
            var x = states.get(rnd.nextInt(states.size()));
            var y = states.get(rnd.nextInt(states.size()));
            var z = states.get(rnd.nextInt(states.size()));
            assertThat(x.join(y)).as("commutative, seed %d", seed).isEqualTo(y.join(x));
            assertThat(x.join(y).join(z)).as("associative, seed %d", seed).isEqualTo(x.join(y.join(z)));
            assertThat(x.join(x)).as("idempotent, seed %d", seed).isEqualTo(x);
            assertThat(x.join(y).join(y)).as("a duplicate changes nothing, seed %d", seed).isEqualTo(x.join(y));
        }
    }

    @Property(tries = 150)
    void aDeltaJoinsLikeItsOperation(@ForAll Kind kind, @ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        deltaLaw(model(kind), seed);
    }

    /**
     * Joining the delta of an operation into the state it was made from has the operation's effect,
     * touches no other key, and lands once however often or in whichever order it is joined. The
     * delta itself holds at most the key it changed.
     */
    private static <V extends Embedded<V>> void deltaLaw(Model<V> model, long seed) {
        var rnd = new SplittableRandom(seed);
        var states = reachable(model, rnd);
        for (int i = 0; i < 20; i++) {
            var x = states.get(rnd.nextInt(states.size()));
            var op = model.randomOp(rnd);
            String replica = REPLICAS[rnd.nextInt(3)];
            var delta = op.delta().apply(x, replica);
            var after = x.join(delta);
            String why = op + " by " + replica + " on " + x + ", seed " + seed;
            try {
                op.effect().accept(x, after);
            } catch (AssertionError e) {
                throw new AssertionError("the delta of " + why + " did not have the operation's effect: " + e.getMessage(), e);
            }
            if (op.key() >= 0) {
                assertThat(delta.keys()).as("a delta holds only its key: %s", why).isSubsetOf(op.key());
                for (var e : x.entries().entrySet()) {
                    if (e.getKey() != op.key()) assertThat(after.get(e.getKey())).as("other keys untouched: %s", why).isEqualTo(e.getValue());
                }
            }
            assertThat(delta.join(x)).as(why).isEqualTo(after);
            assertThat(after.join(delta)).as(why).isEqualTo(after);
            assertThat(x.join(after)).as("an inflation: %s", why).isEqualTo(after);
        }
    }

    @Property(tries = 150)
    void replicasExchangingDeltasLateReorderedAndDuplicatedConverge(@ForAll Kind kind, @ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        converge(model(kind), seed);
    }

    /**
     * Three replicas run random operations and ship their deltas — alone or joined into delta
     * groups — through a channel that delivers them late, out of order and some twice. Once all
     * are delivered, every replica holds the join of every delta ever made.
     */
    private static <V extends Embedded<V>> void converge(Model<V> model, long seed) {
        var rnd = new SplittableRandom(seed);
        V bottom = model.bottom();
        List<OrMap<Integer, V>> replicas = new ArrayList<>(List.of(OrMap.empty(bottom), OrMap.empty(bottom), OrMap.empty(bottom)));
        List<OrMap<Integer, V>> pending = new ArrayList<>(List.of(OrMap.empty(bottom), OrMap.empty(bottom), OrMap.empty(bottom)));
        record InFlight<V extends Embedded<V>>(int to, OrMap<Integer, V> group) {
        }
        List<InFlight<V>> network = new ArrayList<>();
        OrMap<Integer, V> everything = OrMap.empty(bottom);
        for (int step = 0; step < 60; step++) {
            int r = rnd.nextInt(3);
            var delta = model.randomOp(rnd).delta().apply(replicas.get(r), REPLICAS[r]);
            everything = everything.join(delta);
            replicas.set(r, replicas.get(r).join(delta));
            pending.set(r, pending.get(r).join(delta));                       // a delta group, shipped now or later
            if (rnd.nextBoolean()) {
                for (int to = 0; to < 3; to++) {
                    if (to == r) continue;
                    network.add(new InFlight<>(to, pending.get(r)));
                    if (rnd.nextInt(5) == 0) network.add(new InFlight<>(to, pending.get(r)));   // duplicated
                }
                pending.set(r, OrMap.empty(bottom));
            }
            while (!network.isEmpty() && rnd.nextBoolean()) {                   // deliver something, in random order
                var m = network.remove(rnd.nextInt(network.size()));
                replicas.set(m.to(), replicas.get(m.to()).join(m.group()));
            }
        }
        for (int r = 0; r < 3; r++) {
            for (int to = 0; to < 3; to++) if (to != r) network.add(new InFlight<>(to, pending.get(r)));
        }
        while (!network.isEmpty()) {
            var m = network.remove(rnd.nextInt(network.size()));
            replicas.set(m.to(), replicas.get(m.to()).join(m.group()));
        }
        for (int r = 0; r < 3; r++) assertThat(replicas.get(r)).as("replica %s, seed %d", REPLICAS[r], seed).isEqualTo(everything);
    }

    @Test
    void everyKindOfValueReachesNonTrivialStates() {
        for (Kind kind : Kind.values()) {
            var states = reachable(model(kind), new SplittableRandom(7));
            assertThat(states).as("%s", kind).anyMatch(s -> s.keys().size() >= 2);
        }
    }
}
