package io.estafeta.broker.store;

import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.message.MessageProperties;
import io.estafeta.broker.message.UserProperty;
import io.estafeta.broker.routing.SharedGroup;
import io.estafeta.broker.routing.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every store does, run against each implementation: what is written comes back after a restart,
 * and what was removed does not.
 */
public abstract class StoreContractTest {

    protected static final long START = 1_700_000_000_000L;
    private static final int[] NO_IDS = new int[0];

    /** The clock the store is (re)opened with. */
    protected final AtomicLong now = new AtomicLong(START);
    protected final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    protected Persistence store;

    /** A fresh, empty store. */
    protected abstract Persistence open() throws Exception;

    /** What a restart of the broker finds: the store closed and opened again at {@link #clock}'s time. */
    protected abstract Persistence restart(Persistence before, Duration persistentClientExpiration) throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = open();
        assertThat(store.takeStoredState()).isEqualTo(StoredState.EMPTY);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    protected StoredState restarted() throws Exception {
        return restarted(null);
    }

    protected StoredState restarted(Duration persistentClientExpiration) throws Exception {
        store = restart(store, persistentClientExpiration);
        return store.takeStoredState();
    }

    protected static <T> T durable(CompletableFuture<T> write) throws Exception {
        return write.get(10, TimeUnit.SECONDS);
    }

    protected static ApplicationMessage message(String topic, String payload) {
        return new ApplicationMessage(topic, payload.getBytes(StandardCharsets.UTF_8), 1, false, "publisher");
    }

    protected void persistentSession(String clientId) throws Exception {
        durable(store.sessions().putSession(new StoredSession(clientId, StoredSession.NEVER_EXPIRES, START, null)));
    }

    protected DeliveryHandle queue(String clientId, ApplicationMessage message) throws Exception {
        Appended appended = store.messages().append(clientId, message, 1, NO_IDS, null, 0);
        durable(appended.durable());
        return appended.delivery();
    }

    private static StoredSessionState only(StoredState state) {
        assertThat(state.sessions()).hasSize(1);
        return state.sessions().getFirst();
    }

    private static List<String> payloads(StoredSessionState session) {
        return session.deliveries().stream().map(d -> d.message().payloadAsString()).toList();
    }

    // ------------------------------------------------------------------ sessions and subscriptions

    @Test
    void aSessionRecordComesBackAsWritten() throws Exception {
        StoredSession written = new StoredSession("client-ä", 3600, START - 1000, "alice");
        durable(store.sessions().putSession(written));

        StoredSessionState session = only(restarted());

        assertThat(session.session()).isEqualTo(written);
        assertThat(session.subscriptions()).isEmpty();
        assertThat(session.deliveries()).isEmpty();
        assertThat(session.inboundQos2()).isEmpty();
    }

    @Test
    void aLaterSessionRecordReplacesTheEarlierOne() throws Exception {
        durable(store.sessions().putSession(new StoredSession("c", 60, StoredSession.ONLINE, "alice")));
        StoredSession later = new StoredSession("c", StoredSession.NEVER_EXPIRES, START, "bob");
        durable(store.sessions().putSession(later));

        assertThat(only(restarted()).session()).isEqualTo(later);
    }

    @Test
    void subscriptionsComeBackWithEveryOption() throws Exception {
        persistentSession("c");
        Subscription plain = new Subscription("c", "a/+/c", 1);
        Subscription options = new Subscription("c", "x/#", 2, true, true, 268_435_455, null);
        Subscription shared = new Subscription("c", "x/#", 0, false, false, 7, "group");
        for (Subscription s : List.of(plain, options, shared)) {
            durable(store.sessions().putSubscription(s));
        }

        assertThat(only(restarted()).subscriptions()).containsExactlyInAnyOrder(plain, options, shared);
    }

    @Test
    void aSubscriptionToTheSameFilterReplacesTheEarlierOne() throws Exception {
        // [MQTT-3.8.4-3] a SUBSCRIBE with an identical filter replaces the subscription.
        persistentSession("c");
        durable(store.sessions().putSubscription(new Subscription("c", "a/b", 0)));
        Subscription replacement = new Subscription("c", "a/b", 2);
        durable(store.sessions().putSubscription(replacement));

        assertThat(only(restarted()).subscriptions()).containsExactly(replacement);
    }

    @Test
    void anUnsubscribedFilterDoesNotComeBack() throws Exception {
        persistentSession("c");
        durable(store.sessions().putSubscription(new Subscription("c", "a/b", 1)));
        Subscription shared = new Subscription("c", "a/b", 1, false, false, 0, "g");
        durable(store.sessions().putSubscription(shared));
        durable(store.sessions().removeSubscription("c", "a/b"));

        assertThat(only(restarted()).subscriptions()).containsExactly(shared);
    }

    @Test
    void clientIdsThatArePrefixesOfEachOtherKeepTheirOwnRecords() throws Exception {
        persistentSession("ab");
        persistentSession("abc");
        durable(store.sessions().putSubscription(new Subscription("ab", "one", 1)));
        durable(store.sessions().putSubscription(new Subscription("abc", "two", 1)));
        queue("abc", message("t", "for abc"));
        durable(store.sessions().removeSession("ab"));

        StoredSessionState abc = only(restarted());

        assertThat(abc.clientId()).isEqualTo("abc");
        assertThat(abc.subscriptions()).containsExactly(new Subscription("abc", "two", 1));
        assertThat(payloads(abc)).containsExactly("for abc");
    }

    // ------------------------------------------------------------------ outgoing messages

    @Test
    void queuedMessagesComeBackInTheOrderTheyWereAppended() throws Exception {
        persistentSession("c");
        for (int i = 0; i < 20; i++) {
            queue("c", message("t/" + i, "m" + i));
        }

        StoredSessionState session = only(restarted());

        assertThat(payloads(session)).containsExactly(
                "m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9",
                "m10", "m11", "m12", "m13", "m14", "m15", "m16", "m17", "m18", "m19");
        assertThat(session.deliveries()).allSatisfy(d -> {
            assertThat(d.state()).isEqualTo(DeliveryState.QUEUED);
            assertThat(d.packetId()).isZero();
        });
    }

    @Test
    void everyFieldOfAMessageAndItsDeliveryComesBack() throws Exception {
        persistentSession("c");
        MessageProperties properties = new MessageProperties(1, "text/plain", "reply/here", new byte[]{1, 2, 3},
                List.of(new UserProperty("k", "v"), new UserProperty("k", "v2")));
        ApplicationMessage sent = new ApplicationMessage("a/b", new byte[]{0, -1, 42}, 2, true, "pub", properties,
                START + 60_000);
        SharedGroup group = new SharedGroup("g", "a/+");
        durable(store.messages().append("c", sent, 2, new int[]{3, 9}, group, 0).durable());

        StoredDelivery delivery = only(restarted()).deliveries().getFirst();

        assertThat(delivery.message()).usingRecursiveComparison().isEqualTo(sent);
        assertThat(delivery.qos()).isEqualTo(2);
        assertThat(delivery.subscriptionIds()).containsExactly(3, 9);
        assertThat(delivery.sharedGroup()).isEqualTo(group);
        assertThat(delivery.handle().clientId()).isEqualTo("c");
    }

    @Test
    void inFlightMessagesComeBackWithTheirPacketIdsInSendOrder() throws Exception {
        // [MQTT-4.4.0-1] on resumption unacknowledged PUBLISH packets are re-sent with their packet ids.
        persistentSession("c");
        DeliveryHandle first = queue("c", message("t", "first"));
        DeliveryHandle second = queue("c", message("t", "second"));
        queue("c", message("t", "third"));
        durable(store.messages().markInflight(first, 7));
        durable(store.messages().markInflight(second, 8));
        durable(store.messages().append("c", message("t", "sent at once"), 1, NO_IDS, null, 9).durable());

        StoredSessionState session = only(restarted());

        assertThat(session.deliveries()).extracting(StoredDelivery::packetId).containsExactly(7, 8, 0, 9);
        assertThat(session.deliveries()).extracting(StoredDelivery::state).containsExactly(
                DeliveryState.IN_FLIGHT, DeliveryState.IN_FLIGHT, DeliveryState.QUEUED, DeliveryState.IN_FLIGHT);
    }

    @Test
    void aReleasedQos2MessageComesBackAsItsPacketIdOnly() throws Exception {
        // [MQTT-4.3.3-1] after PUBREC only PUBREL remains to be (re-)sent: the message is not needed.
        persistentSession("c");
        DeliveryHandle sent = queue("c", message("t", "qos2"));
        durable(store.messages().markInflight(sent, 5));
        durable(store.messages().markReleased(sent));

        StoredDelivery delivery = only(restarted()).deliveries().getFirst();

        assertThat(delivery.state()).isEqualTo(DeliveryState.RELEASED);
        assertThat(delivery.packetId()).isEqualTo(5);
        assertThat(delivery.message()).isNull();
    }

    @Test
    void acknowledgedMessagesDoNotComeBack() throws Exception {
        persistentSession("c");
        DeliveryHandle acknowledged = queue("c", message("t", "PUBACK'd"));
        DeliveryHandle completed = queue("c", message("t", "PUBCOMP'd"));
        queue("c", message("t", "still queued"));
        durable(store.messages().markInflight(acknowledged, 1));
        durable(store.messages().remove(acknowledged));
        durable(store.messages().markInflight(completed, 2));
        durable(store.messages().markReleased(completed));
        durable(store.messages().remove(completed));

        assertThat(payloads(only(restarted()))).containsExactly("still queued");
    }

    @Test
    void removingADeliveryTwiceOrAfterItsSessionIsHarmless() throws Exception {
        persistentSession("c");
        DeliveryHandle once = queue("c", message("t", "x"));
        durable(store.messages().remove(once));
        durable(store.messages().remove(once));
        DeliveryHandle orphan = queue("c", message("t", "y"));
        durable(store.sessions().removeSession("c"));
        durable(store.messages().remove(orphan));
        durable(store.messages().markInflight(orphan, 3));
        persistentSession("c");

        assertThat(only(restarted()).deliveries()).isEmpty();
    }

    @Test
    void aMessageQueuedForManySessionsComesBackAsOneInstance() throws Exception {
        ApplicationMessage shared = message("news", "one payload");
        for (int i = 0; i < 5; i++) {
            persistentSession("s" + i);
            queue("s" + i, shared);
        }

        List<ApplicationMessage> messages = restarted().sessions().stream()
                .map(s -> s.deliveries().getFirst().message()).toList();

        assertThat(messages).hasSize(5).allSatisfy(m -> assertThat(m).isSameAs(messages.getFirst()));
        assertThat(messages.getFirst().payloadAsString()).isEqualTo("one payload");
    }

    @Test
    void aMessageRemovedByOneSessionStaysForTheOthers() throws Exception {
        ApplicationMessage shared = message("news", "kept");
        persistentSession("a");
        persistentSession("b");
        DeliveryHandle forA = queue("a", shared);
        queue("b", shared);
        durable(store.messages().remove(forA));
        durable(store.sessions().removeSession("a"));

        assertThat(payloads(only(restarted()))).containsExactly("kept");
    }

    @Test
    void deliveryIdsKeepIncreasingAcrossARestart() throws Exception {
        persistentSession("c");
        long before = queue("c", message("t", "before")).deliveryId();
        restarted();

        long after = queue("c", message("t", "after")).deliveryId();

        assertThat(after).isGreaterThan(before);
        assertThat(payloads(only(restarted()))).containsExactly("before", "after");
    }

    @Test
    void inboundQos2PacketIdsComeBackUntilReleased() throws Exception {
        // [MQTT-4.3.3-2] exactly once across a restart: an id not yet released must still be known.
        persistentSession("c");
        durable(store.messages().addInboundQos2("c", 1));
        durable(store.messages().addInboundQos2("c", 65535));
        durable(store.messages().addInboundQos2("c", 300));
        durable(store.messages().removeInboundQos2("c", 300));

        assertThat(only(restarted()).inboundQos2()).containsExactlyInAnyOrder(1, 65535);
    }

    @Test
    void aRemovedSessionLeavesNothingButItsWill() throws Exception {
        persistentSession("c");
        durable(store.sessions().putSubscription(new Subscription("c", "a", 1)));
        queue("c", message("t", "x"));
        durable(store.messages().addInboundQos2("c", 4));
        durable(store.wills().putWill("c", message("will", "bye"), START + 1000));
        durable(store.sessions().removeSession("c"));

        StoredState state = restarted();

        assertThat(state.sessions()).isEmpty();
        assertThat(state.wills()).extracting(StoredWill::clientId).containsExactly("c");
    }

    @Test
    void writesAfterARemovedSessionBelongToTheNewSession() throws Exception {
        persistentSession("c");
        durable(store.sessions().putSubscription(new Subscription("c", "old", 1)));
        queue("c", message("t", "old"));
        // Not waiting in between: the writes are applied in the order they were requested.
        store.sessions().removeSession("c");
        store.sessions().putSession(new StoredSession("c", 120, START, "new"));
        store.sessions().putSubscription(new Subscription("c", "new", 2));
        durable(store.messages().append("c", message("t", "new"), 1, NO_IDS, null, 0).durable());

        StoredSessionState session = only(restarted());

        assertThat(session.session().username()).isEqualTo("new");
        assertThat(session.subscriptions()).containsExactly(new Subscription("c", "new", 2));
        assertThat(payloads(session)).containsExactly("new");
    }

    @Test
    void recordsOfAClientWithoutASessionRecordAreDropped() throws Exception {
        durable(store.sessions().putSubscription(new Subscription("ghost", "a", 1)));
        queue("ghost", message("t", "x"));
        durable(store.messages().addInboundQos2("ghost", 2));

        assertThat(restarted().sessions()).isEmpty();
        assertThat(restarted().sessions()).isEmpty();
    }

    // ------------------------------------------------------------------ expiry

    @Test
    void aSessionWhoseExpiryIntervalPassedWhileDownIsRemoved() throws Exception {
        durable(store.sessions().putSession(new StoredSession("gone", 60, START, null)));
        durable(store.sessions().putSession(new StoredSession("kept", 62, START, null)));
        queue("gone", message("t", "x"));
        now.set(START + 61_000);

        StoredState state = restarted();

        assertThat(state.sessions()).extracting(StoredSessionState::clientId).containsExactly("kept");
        assertThat(state.expiredSessions()).extracting(StoredSession::clientId).containsExactly("gone");
        assertThat(restarted().expiredSessions()).isEmpty();
    }

    @Test
    void persistentClientExpirationAppliesToSessionsThatNeverExpire() throws Exception {
        durable(store.sessions().putSession(new StoredSession("old", StoredSession.NEVER_EXPIRES, START, null)));
        durable(store.sessions().putSession(new StoredSession("recent", StoredSession.NEVER_EXPIRES,
                START + 10_000, null)));
        now.set(START + Duration.ofHours(1).toMillis());

        StoredState state = restarted(Duration.ofHours(1).minusSeconds(5));

        assertThat(state.sessions()).extracting(StoredSessionState::clientId).containsExactly("recent");
        assertThat(state.expiredSessions()).extracting(StoredSession::clientId).containsExactly("old");
    }

    @Test
    void aSessionThatWasOnlineCountsAsOfflineFromTheRestart() throws Exception {
        durable(store.sessions().putSession(new StoredSession("c", 60, StoredSession.ONLINE, null)));
        now.set(START + Duration.ofDays(1).toMillis());

        assertThat(restarted().sessions()).extracting(StoredSessionState::clientId).containsExactly("c");
    }

    @Test
    void aSessionWithExpiryZeroDoesNotOutliveARestart() throws Exception {
        // [MQTT-3.1.2-6] / Session Expiry 0: the session ends with its connection.
        durable(store.sessions().putSession(new StoredSession("c", 0, StoredSession.ONLINE, null)));

        assertThat(restarted().sessions()).isEmpty();
    }

    @Test
    void theWillOfAnExpiredSessionStaysToBePublished() throws Exception {
        durable(store.sessions().putSession(new StoredSession("c", 10, START, null)));
        durable(store.wills().putWill("c", message("will", "bye"), START + 30_000));
        now.set(START + 20_000);

        StoredState state = restarted();

        assertThat(state.expiredSessions()).extracting(StoredSession::clientId).containsExactly("c");
        assertThat(state.wills()).singleElement().satisfies(w -> {
            assertThat(w.will().payloadAsString()).isEqualTo("bye");
            assertThat(w.publishAtMillis()).isEqualTo(START + 30_000);
        });
    }

    // ------------------------------------------------------------------ retained messages and wills

    @Test
    void retainedMessagesComeBackOnePerTopic() throws Exception {
        durable(store.retained().put(message("a", "first").withRetain(true)));
        durable(store.retained().put(message("a", "second").withRetain(true)));
        durable(store.retained().put(message("b", "other").withRetain(true)));
        durable(store.retained().put(message("c", "removed").withRetain(true)));
        durable(store.retained().remove("c"));

        assertThat(restarted().retained()).extracting(ApplicationMessage::payloadAsString)
                .containsExactlyInAnyOrder("second", "other");
    }

    @Test
    void aRetainedMessageWithAnEmptyPayloadRemovesTheTopicsRetainedMessage() throws Exception {
        // [MQTT-3.3.1-10] a retained message with an empty payload removes the existing one and is not kept.
        durable(store.retained().put(message("a", "x").withRetain(true)));
        durable(store.retained().put(message("a", "").withRetain(true)));

        assertThat(restarted().retained()).isEmpty();
    }

    @Test
    void anExpiredRetainedMessageDoesNotComeBack() throws Exception {
        // [MQTT-3.3.2-5] an expired message is not delivered to any further subscriber.
        ApplicationMessage expiring = new ApplicationMessage("a", new byte[]{1}, 1, true, null,
                MessageProperties.NONE, START + 5_000);
        ApplicationMessage lasting = new ApplicationMessage("b", new byte[]{2}, 1, true, null,
                MessageProperties.NONE, START + 50_000);
        durable(store.retained().put(expiring));
        durable(store.retained().put(lasting));
        now.set(START + 5_000);

        assertThat(restarted().retained()).extracting(ApplicationMessage::topic).containsExactly("b");
    }

    @Test
    void aDelayedWillComesBackUntilRemoved() throws Exception {
        ApplicationMessage will = new ApplicationMessage("w", "bye".getBytes(StandardCharsets.UTF_8), 2, true, "c",
                new MessageProperties(MessageProperties.UNSPECIFIED, null, "resp", null, List.of()), START + 99_000);
        durable(store.wills().putWill("c", will, START + 3000));
        durable(store.wills().putWill("d", message("w", "d"), START + 4000));
        durable(store.wills().removeWill("d"));

        StoredWill stored = restarted().wills().getFirst();

        assertThat(stored.clientId()).isEqualTo("c");
        assertThat(stored.publishAtMillis()).isEqualTo(START + 3000);
        assertThat(stored.will()).usingRecursiveComparison().isEqualTo(will);
    }

    // ------------------------------------------------------------------ life cycle

    @Test
    void theStoredStateCanBeTakenOnlyOnce() throws Exception {
        persistentSession("c");
        restarted();

        assertThatThrownBy(() -> store.takeStoredState()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void writesAfterCloseFail() {
        store.close();

        assertThat(store.sessions().putSession(new StoredSession("c", 1, START, null)))
                .failsWithin(Duration.ofSeconds(10))
                .withThrowableThat().withCauseInstanceOf(StoreException.class);
    }

    @Test
    void everyWriteCountsInTheStatistics() throws Exception {
        persistentSession("c");
        queue("c", message("t", "x"));

        assertThat(store.statistics().writes()).isEqualTo(2);
    }
}
