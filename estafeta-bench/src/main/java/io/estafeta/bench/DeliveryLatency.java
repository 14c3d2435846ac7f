package io.estafeta.bench;

import io.netty.buffer.ByteBuf;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What subscribers measure of each PUBLISH they receive: the time from its scheduled send, the latency
 * figure, which shows a sender that fell behind instead of hiding it (coordinated omission); and, when the
 * payload carries it, the time from its actual send, which leaves out the generator's own lateness in
 * sending and keeps what the broker and the way back into the generator took. Thread-safe: subscribers on
 * several event loops record into one.
 */
final class DeliveryLatency {

    /** Both figures for one interval of time. */
    record Interval(Histogram fromSchedule, Histogram fromSend) {
    }

    private final Recorder fromSchedule = new Recorder(Percentiles.DIGITS);
    private final Recorder fromSend = new Recorder(Percentiles.DIGITS);

    /** Records the PUBLISH whose payload is {@code in[payloadIndex, payloadIndex + payloadLength)}. */
    void record(ByteBuf in, int payloadIndex, int payloadLength, long nowNanos) {
        if (payloadLength >= PublishFrames.TIMESTAMP_BYTES) {
            fromSchedule.recordValue(Math.max(0, nowNanos - in.getLong(payloadIndex)));
        }
        if (payloadLength >= PublishFrames.BOTH_TIMESTAMPS_BYTES) {
            fromSend.recordValue(Math.max(0, nowNanos - in.getLong(payloadIndex + PublishFrames.TIMESTAMP_BYTES)));
        }
    }

    /** What was recorded since the last call (or since the start), and starts a new interval. */
    Interval interval() {
        return new Interval(fromSchedule.getIntervalHistogram(), fromSend.getIntervalHistogram());
    }
}
