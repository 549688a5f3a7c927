package dev.deepcuts.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class ParamTest {

    @Test
    void parsesEachTypeWithReadableSuffixes() {
        assertThat(Param.ofLong("keys", 1, 1, "").parse("10M")).isEqualTo(10_000_000L);
        assertThat(Param.ofLong("keys", 1, 1, "").parse("1_000_000")).isEqualTo(1_000_000L);
        assertThat(Param.ofInt("k", 1, 1, "").parse("3k")).isEqualTo(3000);
        assertThat(Param.ofDouble("fpp", 1, 1, "").parse("0.01")).isEqualTo(0.01);
        assertThat(Param.ofBoolean("b", true, true, "").parse("off")).isEqualTo(false);
        assertThat(Param.ofIntList("bits", List.of(1), List.of(1), "").parse("4, 8,12")).isEqualTo(List.of(4, 8, 12));
    }

    @Test
    void namesTheParameterTheTextAndTheTypeWhenParsingFails() {
        var p = Param.ofLong("keys", 1, 1, "how many");
        assertThatThrownBy(() -> p.parse("lots")).isInstanceOf(UsageException.class)
                .hasMessage("parameter keys='lots' is not valid: expected integer");
        assertThatThrownBy(() -> Param.ofInt("k", 1, 1, "").parse("99999999999")).isInstanceOf(UsageException.class)
                .hasMessageContaining("32-bit");
        assertThatThrownBy(() -> Param.ofIntList("b", List.of(1), List.of(1), "").parse("1,,2")).isInstanceOf(UsageException.class)
                .hasMessageContaining("comma-separated integers");
    }
}
