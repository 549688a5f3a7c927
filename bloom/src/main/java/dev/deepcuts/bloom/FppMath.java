package dev.deepcuts.bloom;

import java.util.function.IntToDoubleFunction;

/**
 * False-positive arithmetic for blocked layouts. Package-private.
 *
 * <p>In a blocked filter the keys are not spread evenly: each block receives a Poisson-distributed
 * number of them, with mean λ = n / blocks. A lookup lands in a random block, so the filter's
 * false-positive probability is the average, over that distribution, of the false-positive
 * probability of one block holding j keys [1]. Overloaded blocks cost more than underloaded
 * blocks save (the per-block rate is convex in j), which is why a blocked filter needs more bits
 * than a classic one for the same rate.
 *
 * <p>[1] F. Putze, P. Sanders, J. Singler, "Cache-, Hash- and Space-Efficient Bloom Filters",
 * WEA 2007, https://doi.org/10.1007/978-3-540-72845-0_9
 */
final class FppMath {

    private FppMath() {}

    /*
     * The false-positive rate of ONE block holding j keys. The textbook expression,
     * (1 − (1 − 1/B)^{kj})^k, treats the k probe bits of a lookup as independent of each other
     * and of the fill; Christensen, Roginsky and Jimeno [1] show it always underestimates, and
     * that the error is significant when the filter is small. A 512-bit block is a very small
     * filter: with the textbook expression our blocked filter measured 0.3–5% above prediction
     * even with ideal random probes. So we compute the exact value instead.
     *
     * (The first blocked layout probed a whole 512-bit block; today's BlockedBloomFilter sets
     * three bits in each of two 64-bit words, so the filter that matters is one word, B = 64.)
     *
     * After t probes into B bits (uniform, with replacement), let X_t be the number of set bits.
     * X_0 = 0 and each probe sets a new bit with probability (B − X)/B: a Markov chain we step
     * exactly. A lookup of an absent key probes k bits, each set with probability X/B, so the
     * rate at load j is E[(X_{kj} / B)^k]. One pass of the chain up to t = k · j_max
     * gives the rates for every k ≤ MAX_K and every load ≤ j_max; it takes a few tens of
     * milliseconds once, and is then a table lookup.
     *
     * [1] K. Christensen, A. Roginsky, M. Jimeno, "A new analysis of the false positive rate of a
     *     Bloom filter", Information Processing Letters 110(21), 2010,
     *     https://doi.org/10.1016/j.ipl.2010.07.024
     */

    /** The largest load with an exact rate in the table; beyond it the textbook form is used. */
    static final int MAX_EXACT_LOAD = 1024;

    /** rates[k][j] = E[(X_{kj}/bits)^k] for 1 ≤ k ≤ maxK, 0 ≤ j ≤ maxLoad, by stepping the fill chain. */
    static double[][] exactTable(int bits, int maxK, int maxLoad) {
        double[][] rates = new double[maxK + 1][maxLoad + 1];
        double[][] powers = new double[maxK + 1][bits + 1]; // (i/bits)^k
        for (int k = 1; k <= maxK; k++) {
            for (int i = 0; i <= bits; i++) powers[k][i] = Math.pow((double) i / bits, k);
        }
        double[] dist = new double[bits + 1];
        double[] next = new double[bits + 1];
        dist[0] = 1;
        int maxT = maxK * maxLoad;
        for (int t = 1; t <= maxT; t++) {
            next[0] = 0;
            for (int i = 1; i <= bits; i++) {
                next[i] = dist[i] * ((double) i / bits) + dist[i - 1] * ((double) (bits - i + 1) / bits);
            }
            next[0] = 0;
            double[] swap = dist;
            dist = next;
            next = swap;
            for (int k = 1; k <= maxK; k++) {
                if (t % k == 0 && t / k <= maxLoad) {
                    double sum = 0;
                    for (int i = 1; i <= bits; i++) sum += dist[i] * powers[k][i];
                    rates[k][t / k] = sum;
                }
            }
        }
        return rates;
    }

    private static final int WORD = 64;
    private static final int MAX_WORD_K = 8;
    private static volatile double[][] exact64; // [q][i]

    /**
     * The exact false-positive rate of one 64-bit word holding {@code load} keys of {@code q} bits
     * each: E[(X_{q·load}/64)^q], from the same fill chain as the 512-bit block.
     */
    static double exactWordFpp64(int q, int load) {
        if (q < 1 || q > MAX_WORD_K) throw new IllegalArgumentException("q=" + q + " must be in [1, " + MAX_WORD_K + "]");
        if (load > MAX_EXACT_LOAD) {
            return Math.pow(-Math.expm1(Math.log1p(-1.0 / WORD) * q * (double) load), q);
        }
        double[][] table = exact64;
        if (table == null) {
            table = exactTable(WORD, MAX_WORD_K, MAX_EXACT_LOAD);
            exact64 = table;
        }
        return table[q][load];
    }

    /*
     * The rate of the two-word ("sectorized") layout of BlockedBloomFilter. A block holding j keys
     * gives each word of a half a Binomial(j, 1/w) share of them (w words per half); an absent key
     * picks one word per half independently, so the half's rate at block load j is
     * H(j) = Σ_i Binomial(i; j, 1/w) · word(q, i), and the block's rate is H(j)², the two halves
     * being independent given j (a key's choices in one half say nothing about the other). The
     * filter's rate is the Poisson average of H(j)² over the block loads.
     */

    /**
     * The false-positive rate of a blocked filter whose keys set {@code q} bits in one of
     * {@code wordsPerHalf} 64-bit words in each of the two halves of a block, with a mean of
     * {@code lambda} keys per block.
     */
    static double sectorizedFpp(double lambda, int wordsPerHalf, int q) {
        if (lambda > 8 * MAX_EXACT_LOAD) { // every word saturated: the average is its mean case, ≈ 1
            double half = exactWordFpp64(q, (int) Math.min(Integer.MAX_VALUE, lambda / wordsPerHalf));
            return half * half;
        }
        return poissonAverage(lambda, j -> {
            double half = binomialAverage(j, 1.0 / wordsPerHalf, i -> exactWordFpp64(q, i));
            return half * half;
        });
    }

    /** Σ_i Binomial(i; n, p) · f(i), over the i that carry all but a negligible mass. */
    static double binomialAverage(int n, double p, IntToDoubleFunction f) {
        if (n == 0) {
            return f.applyAsDouble(0);
        }
        double mean = n * p;
        double spread = 12 * Math.sqrt(mean * (1 - p)) + 12;
        int lo = (int) Math.max(0, Math.floor(mean - spread));
        int hi = (int) Math.min(n, Math.ceil(mean + spread));
        double logP = Math.log(p);
        double logQ = Math.log1p(-p);
        double logNFactorial = logFactorial(n);
        double sum = 0;
        for (int i = lo; i <= hi; i++) {
            double logPmf = logNFactorial - logFactorial(i) - logFactorial(n - i) + i * logP + (n - i) * logQ;
            sum += Math.exp(logPmf) * f.applyAsDouble(i);
        }
        return sum;
    }

    /** ln n!, exactly summed below 256 and by Stirling's series above (error below 1e-12). */
    static double logFactorial(int n) {
        if (n < 256) {
            double[] table = LOG_FACTORIALS;
            return table[n];
        }
        double x = n + 1.0; // ln Γ(x)
        return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI)
                + 1 / (12 * x) - 1 / (360 * x * x * x) + 1 / (1260 * x * x * x * x * x);
    }

    private static final double[] LOG_FACTORIALS = new double[256];

    static {
        for (int i = 1; i < LOG_FACTORIALS.length; i++) {
            LOG_FACTORIALS[i] = LOG_FACTORIALS[i - 1] + Math.log(i);
        }
    }

    /** Σ_j Poisson(j; λ) · fppAtLoad(j), over the j that carry all but a negligible mass. */
    static double poissonAverage(double lambda, IntToDoubleFunction fppAtLoad) {
        if (lambda <= 0) {
            return fppAtLoad.applyAsDouble(0);
        }
        double spread = 12 * Math.sqrt(lambda) + 12;
        int lo = (int) Math.max(0, Math.floor(lambda - spread));
        int hi = (int) Math.min(Integer.MAX_VALUE - 1, Math.ceil(lambda + spread));
        double logLambda = Math.log(lambda);
        double logFactorial = 0; // ln j!
        double sum = 0;
        for (int j = 0; j <= hi; j++) {
            if (j > 0) {
                logFactorial += Math.log(j);
            }
            if (j >= lo) {
                double p = Math.exp(j * logLambda - lambda - logFactorial);
                sum += p * fppAtLoad.applyAsDouble(j);
            }
        }
        return Math.min(1, sum);
    }
}
