package io.estafeta.broker.sys;

/**
 * A counter's rate per minute, averaged over 1, 5 and 15 minutes with exponential decay (the way Unix
 * load averages and Mosquitto's {@code $SYS/broker/load/...} topics are computed): each update folds the
 * rate seen since the previous one into the averages, weighting it by how much of the window elapsed.
 * Confined to the thread that publishes the $SYS topics.
 */
final class LoadAverage {

    /** The windows, in seconds, in the order of {@link #averages()}. */
    static final long[] WINDOW_SECONDS = {60, 300, 900};
    /** The topic level naming each window. */
    static final String[] WINDOW_NAMES = {"1min", "5min", "15min"};
    private static final double SECONDS_PER_MINUTE = 60.0;

    private final double[] averages = new double[WINDOW_SECONDS.length];
    private long lastCount;

    LoadAverage(long initialCount) {
        this.lastCount = initialCount;
    }

    /** Folds in the counter's value after {@code elapsedSeconds} (> 0) since the previous update. */
    void update(long count, double elapsedSeconds) {
        double perMinute = (count - lastCount) * SECONDS_PER_MINUTE / elapsedSeconds;
        lastCount = count;
        for (int i = 0; i < averages.length; i++) {
            double decay = Math.exp(-elapsedSeconds / WINDOW_SECONDS[i]);
            averages[i] = perMinute + decay * (averages[i] - perMinute);
        }
    }

    /** The 1, 5 and 15 minute averages, events per minute. */
    double[] averages() {
        return averages.clone();
    }
}
