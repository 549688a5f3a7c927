package dev.deepcuts.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class SimulationTest {

    @Test
    void runsEventsInTimeOrderAndTiesInSchedulingOrder() {
        var sim = new Simulation(1);
        List<String> order = new ArrayList<>();
        sim.schedule(30, () -> order.add("c@30"));
        sim.schedule(10, () -> order.add("a@10"));
        sim.schedule(10, () -> order.add("b@10"));
        sim.schedule(0, () -> order.add("now"));
        sim.runUntilIdle(100);
        assertThat(order).containsExactly("now", "a@10", "b@10", "c@30");
        assertThat(sim.now()).isEqualTo(30);
    }

    @Test
    void eventsCanScheduleMoreEventsAndTimeNeverGoesBack() {
        var sim = new Simulation(2);
        List<Long> times = new ArrayList<>();
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            times.add(sim.now());
            if (times.size() < 5) sim.schedule(7, tick[0]);
        };
        sim.schedule(0, tick[0]);
        sim.runUntilIdle(100);
        assertThat(times).containsExactly(0L, 7L, 14L, 21L, 28L);
    }

    @Test
    void aCancelledEventNeverRuns() {
        var sim = new Simulation(3);
        List<String> ran = new ArrayList<>();
        var timer = sim.schedule(5, () -> ran.add("cancelled"));
        sim.schedule(6, () -> ran.add("kept"));
        timer.cancel();
        sim.runUntilIdle(10);
        assertThat(ran).containsExactly("kept");
    }

    @Test
    void runUntilStopsAtTheGivenTimeAndLeavesLaterEvents() {
        var sim = new Simulation(4);
        List<String> ran = new ArrayList<>();
        sim.schedule(5, () -> ran.add("early"));
        sim.schedule(50, () -> ran.add("late"));
        sim.runUntil(20);
        assertThat(ran).containsExactly("early");
        assertThat(sim.now()).isEqualTo(20);
        assertThat(sim.pending()).isEqualTo(1);
    }

    @Test
    void aRunThatNeverGoesIdleFailsNamingItsSeed() {
        var sim = new Simulation(77);
        Runnable[] forever = new Runnable[1];
        forever[0] = () -> sim.schedule(1, forever[0]);
        sim.schedule(0, forever[0]);
        assertThatThrownBy(() -> sim.runUntilIdle(1000)).isInstanceOf(IllegalStateException.class).hasMessageContaining("seed 77");
    }

    @Test
    void rejectsThePast() {
        var sim = new Simulation(5);
        assertThatThrownBy(() -> sim.schedule(-1, () -> { })).hasMessageContaining("-1").hasMessageContaining("past");
        sim.runUntil(10);
        assertThatThrownBy(() -> sim.runUntil(9)).hasMessageContaining("9").hasMessageContaining("before now");
    }

    @Test
    void sameSeedSameRandomStreamsDifferentSeedDifferent() {
        long a = new Simulation(9).newRandom().nextLong();
        long b = new Simulation(9).newRandom().nextLong();
        long c = new Simulation(10).newRandom().nextLong();
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
    }
}
