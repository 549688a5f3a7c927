package dev.deepcuts.bloom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FppMathTest {

    @Test
    void aWordsExactRateMatchesSmallCasesWorkedByHand() {
        assertThat(FppMath.exactWordFpp64(3, 0)).isZero();
        // one key, one bit: the probe hits it with probability 1/64
        assertThat(FppMath.exactWordFpp64(1, 1)).isCloseTo(1.0 / 64, within(1e-15));
        // one key of two bits: both land on one bit with probability 1/64, else two bits are set
        double twoBits = (1.0 / 64) * Math.pow(1.0 / 64, 2) + (63.0 / 64) * Math.pow(2.0 / 64, 2);
        assertThat(FppMath.exactWordFpp64(2, 1)).isCloseTo(twoBits, within(1e-15));
    }

    @Test
    void theTextbookFormulaUnderestimatesATinyFilter() {
        for (int load = 1; load <= 40; load++) {
            double textbook = Math.pow(-Math.expm1(Math.log1p(-1.0 / 64) * 3 * load), 3);
            assertThat(FppMath.exactWordFpp64(3, load)).as("load %d", load).isGreaterThan(textbook);
        }
    }

    @Test
    void binomialAndPoissonAveragesAreProbabilityWeights() {
        assertThat(FppMath.binomialAverage(1000, 0.25, i -> 1)).isCloseTo(1, within(1e-9));
        assertThat(FppMath.binomialAverage(1000, 0.25, i -> i)).isCloseTo(250, within(1e-6));
        assertThat(FppMath.poissonAverage(51.2, j -> 1)).isCloseTo(1, within(1e-9));
    }

    @Test
    void logFactorialIsContinuousWhereStirlingTakesOver() {
        double exact = 0;
        for (int i = 2; i <= 300; i++) {
            exact += Math.log(i);
            assertThat(FppMath.logFactorial(i)).as("ln %d!", i).isCloseTo(exact, within(1e-9 * exact));
        }
    }

    @Test
    void theTwoWordRateAtTenBitsPerKeyIsAboutOnePointOnePercent() {
        // 51.2 keys per 512-bit block, three bits in one of four words of each half
        assertThat(FppMath.sectorizedFpp(51.2, 4, 3)).isCloseTo(0.01109, within(0.00002));
    }
}
