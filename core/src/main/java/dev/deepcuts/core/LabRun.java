package dev.deepcuts.core;

import java.util.List;
import java.util.Map;

/**
 * One finished run of a lab: who ran, with which seed, mode and parameters, what it found, which
 * figures it drew and how long it took. This is what the JSON result holds (see {@link ResultJson}).
 *
 * @param chapter the chapter id
 * @param lab     the lab id
 * @param seed    the seed that replays the run
 * @param quick   whether this was a quick run
 * @param params  the resolved parameter values
 * @param result  metrics, tables, claims and verdict
 * @param figures paths of the PNG files drawn, relative to the repository root where possible
 * @param seconds wall-clock duration of {@link Lab#run}
 */
public record LabRun(String chapter, String lab, long seed, boolean quick, Map<String, Object> params,
                     LabResult result, List<String> figures, double seconds) {

    /** "bloom/fpr" */
    public String name() {
        return chapter + "/" + lab;
    }

    /** Claims that held, out of all. */
    public long claimsHeld() {
        return result.claims().stream().filter(Claim::holds).count();
    }
}
