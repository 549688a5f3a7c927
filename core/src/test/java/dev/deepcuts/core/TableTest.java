package dev.deepcuts.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void alignsNumbersRightAndTextLeft() {
        var t = Table.of("filters", "filter", "bits/key", "fpr")
                .row("classic", 9.585, 0.01)
                .row("split-block", 10, 0.0123456);
        String text = t.render();
        assertThat(text).isEqualTo("""
                filters
                  filter       bits/key      fpr
                  -----------  --------  -------
                  classic         9.585  0.01000
                  split-block        10  0.01235
                """);
    }

    @Test
    void formatsCellsWithFourSignificantDigits() {
        assertThat(Table.cell(1234.5678)).isEqualTo("1235");
        assertThat(Table.cell(3.14159)).isEqualTo("3.142");
        assertThat(Table.cell(0.00012345)).isEqualTo("1.235e-04");
        assertThat(Table.cell(1.5e9)).isEqualTo("1500000000");
        assertThat(Table.cell(1.25e9)).isEqualTo("1250000000");
        assertThat(Table.cell(1.5e15)).isEqualTo("1.500e+15");
        assertThat(Table.cell(12345678.9)).isEqualTo("1.235e+07");
        assertThat(Table.cell(42L)).isEqualTo("42");
        assertThat(Table.cell(null)).isEqualTo("-");
        assertThat(Table.cell(Double.NaN)).isEqualTo("NaN");
    }

    @Test
    void rejectsARowOfTheWrongWidth() {
        var t = Table.of("t", "a", "b");
        assertThatThrownBy(() -> t.row(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has 2 columns").hasMessageContaining("1 cells");
    }
}
