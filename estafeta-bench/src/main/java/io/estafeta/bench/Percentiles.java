package io.estafeta.bench;

import org.HdrHistogram.Histogram;

/** The percentiles a report shows of a histogram of nanoseconds, in microseconds. */
final class Percentiles {

    /** Significant decimal digits every histogram of the generator keeps. */
    static final int DIGITS = 3;

    private static final double NANOS_PER_MICROSECOND = 1_000.0;
    private static final double P50 = 50;
    private static final double P90 = 90;
    private static final double P99 = 99;
    private static final double P99_9 = 99.9;

    private Percentiles() {
    }

    /** Puts count, p50, p90, p99, p99_9 and max of {@code histogram} into {@code section}. */
    static void put(Report report, String section, Histogram histogram) {
        report.put(section, "count", histogram.getTotalCount())
                .put(section, "p50", at(histogram, P50))
                .put(section, "p90", at(histogram, P90))
                .put(section, "p99", at(histogram, P99))
                .put(section, "p99_9", at(histogram, P99_9))
                .put(section, "max", histogram.getTotalCount() == 0 ? 0.0
                        : histogram.getMaxValue() / NANOS_PER_MICROSECOND);
    }

    /** The value at {@code percentile} in microseconds, 0 for an empty histogram. */
    static double at(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? 0.0
                : histogram.getValueAtPercentile(percentile) / NANOS_PER_MICROSECOND;
    }
}
