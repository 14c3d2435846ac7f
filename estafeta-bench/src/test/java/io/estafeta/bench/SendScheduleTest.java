package io.estafeta.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SendScheduleTest {

    private static final long START = 5_000_000_000L;

    @Test
    void publishersSharingARateSendAtEvenlySpacedInstantsNotInBursts() {
        List<Long> dues = new ArrayList<>();
        for (int publisher = 0; publisher < 4; publisher++) {
            SendSchedule schedule = SendSchedule.forPublisher(START, 1_000, 4, publisher);
            for (long message = 0; message < 5; message++) {
                dues.add(schedule.dueNanos(message));
            }
        }
        Collections.sort(dues);

        for (int i = 0; i < dues.size(); i++) {
            assertThat(dues.get(i)).isEqualTo(START + i * 1_000_000L);
        }
    }

    @Test
    void aLonePublisherSendsItsFirstMessageAtTheStart() {
        SendSchedule schedule = SendSchedule.forPublisher(START, 1_000, 1, 0);

        assertThat(schedule.dueNanos(0)).isEqualTo(START);
        assertThat(schedule.dueNanos(1_000)).isEqualTo(START + 1_000_000_000L);
    }

    @Test
    void nothingIsDueBeforeAPublishersFirstSendTime() {
        SendSchedule schedule = SendSchedule.forPublisher(START, 1_000, 2, 1);

        assertThat(schedule.dueBy(START)).isZero();
        assertThat(schedule.dueBy(START + 999_999)).isZero();
        assertThat(schedule.dueBy(START + 1_000_000)).isEqualTo(1);
    }

    @Test
    void dueByCountsExactlyTheMessagesWhoseTimeHasComeEvenWithAnIntervalOfFractionalNanoseconds() {
        for (long rate : new long[] {3, 7, 1_000, 999_983}) {
            SendSchedule schedule = SendSchedule.forPublisher(START, rate, 3, 2);
            for (long message = 0; message < 20_000; message += 7) {
                long due = schedule.dueNanos(message);
                assertThat(schedule.dueBy(due)).as("rate %d, message %d at its time", rate, message)
                        .isEqualTo(message + 1);
                assertThat(schedule.dueBy(due - 1)).as("rate %d, message %d just before", rate, message)
                        .isLessThanOrEqualTo(message);
            }
        }
    }

    @Test
    void aScheduleNeedsARateAndAPublisherAmongThePublishers() {
        assertThatThrownBy(() -> SendSchedule.forPublisher(START, 0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SendSchedule.forPublisher(START, 10, 2, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
