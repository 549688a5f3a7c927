package dev.deepcuts.bloom;

/** Argument checks shared by the filters; each message names the bad value and what was expected. */
final class Args {

    private Args() {}

    static double fpp(String name, double fpp) {
        if (!(fpp > 0 && fpp < 1)) {
            throw new IllegalArgumentException(name + " must be in (0, 1), exclusive; got " + fpp);
        }
        return fpp;
    }

    static long positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive; got " + value);
        }
        return value;
    }

    static long inRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]; got " + value);
        }
        return value;
    }

    static int inRange(String name, int value, int min, int max) {
        return (int) inRange(name, (long) value, min, max);
    }
}
