package io.estafeta.broker.session;

import io.estafeta.broker.message.ApplicationMessage;
import io.estafeta.broker.metrics.BrokerMetrics;
import io.estafeta.broker.routing.PausablePublisher;
import io.estafeta.broker.routing.SharedGroup;
import io.estafeta.broker.routing.Subscription;
import io.estafeta.broker.routing.SubscriptionTree;
import io.estafeta.broker.store.NoPersistence;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The session's QoS bookkeeping, driven directly: an embedded channel's event loop runs every task
 * inline, and a recording connection stands for the socket.
 */
class SessionTest {

    private final EventLoop loop = new EmbeddedChannel().eventLoop();
    private final SubscriptionTree tree = new SubscriptionTree();
    private final BrokerMetrics metrics = new BrokerMetrics();
    private final List<Session> ended = new ArrayList<>();

    private Session session(boolean persistent, SessionLimits limits) {
        Session session = new Session("client", persistent ? Session.NEVER_EXPIRES : 0, limits, tree, metrics, loop,
                new SessionOwner() {
                    @Override
                    public void sessionEnded(Session s) {
                        ended.add(s);
                    }

                    @Override
                    public boolean removeIfStillExpired(Session s, int generation) {
                        return true;
                    }

                    @Override
                    public void sharedMessageOrphaned(ApplicationMessage message, SharedGroup group, String former) {
                    }
                }, new NoPersistence());
        session.claim();
        return session;
    }

    private static SessionLimits limits(int inflight, int queued) {
        return new SessionLimits(inflight, queued, 0, false);
    }

    private static ApplicationMessage message(String payload) {
        return new ApplicationMessage("t", payload.getBytes(StandardCharsets.UTF_8), 1, false, "publisher");
    }

    private RecordingConnection attach(Session session) {
        RecordingConnection connection = new RecordingConnection();
        assertThat(session.attach(connection, session.generation())).isTrue();
        session.resumeDelivery();
        return connection;
    }

    @Test
    void qos1MessagesBeyondTheInflightWindowWaitInTheQueueUntilAcknowledged() {
        Session session = session(false, limits(2, 100));
        RecordingConnection connection = attach(session);

        for (int i = 1; i <= 5; i++) {
            session.offer(message("m" + i), 1);
        }

        assertThat(connection.payloads()).containsExactly("m1", "m2");
        assertThat(session.queuedMessages()).isEqualTo(3);
        session.onPuback(connection.packetIds().get(0));
        assertThat(connection.payloads()).containsExactly("m1", "m2", "m3");
        session.onPuback(connection.packetIds().get(1));
        session.onPuback(connection.packetIds().get(2));
        assertThat(connection.payloads()).containsExactly("m1", "m2", "m3", "m4", "m5");
        assertThat(session.queuedMessages()).isZero();
    }

    @Test
    void packetIdentifiersInUseAreSkippedAndTheCounterWrapsAfter65535() {
        Session session = session(false, limits(3, 100_000));
        RecordingConnection connection = attach(session);

        session.offer(message("held"), 1); // id 1, never acknowledged
        for (int i = 0; i < 65_535; i++) {
            session.offer(message("x"), 1);
            session.onPuback(connection.publishes.get(connection.publishes.size() - 1).packetId());
        }

        // [MQTT-2.3.1-2] a new message never reuses an identifier still in use, and 0 is never used.
        assertThat(connection.packetIds()).doesNotContain(0);
        assertThat(connection.packetIds().subList(1, connection.packetIds().size())).doesNotContain(1);
        assertThat(connection.packetIds()).contains(65_535);
    }

    @Test
    void qos2OutboundFlowKeepsTheSlotUntilPubcomp() {
        Session session = session(false, limits(1, 10));
        RecordingConnection connection = attach(session);
        session.offer(message("a"), 2);
        session.offer(message("b"), 2);
        int first = connection.packetIds().get(0);

        session.onPubrec(first);
        assertThat(connection.pubrels).containsExactly(first); // [MQTT-4.3.3-1]
        assertThat(connection.payloads()).containsExactly("a");

        session.onPubcomp(first);
        assertThat(connection.payloads()).containsExactly("a", "b");
    }

    @Test
    void reattachingResendsUnacknowledgedPublishWithDupAndPubrelForReceivedOnes() {
        Session session = session(true, limits(10, 10));
        RecordingConnection first = attach(session);
        session.offer(message("unacked"), 1);
        session.offer(message("received"), 2);
        session.offer(message("acked"), 1);
        session.onPubrec(first.packetIds().get(1));
        session.onPuback(first.packetIds().get(2));
        session.detach(first);

        session.claim();
        RecordingConnection second = attach(session);

        // [MQTT-4.4.0-1] original packet ids, PUBLISH with DUP=1, PUBREL for the PUBREC'd one.
        assertThat(second.publishes).hasSize(1);
        assertThat(second.publishes.get(0).dup()).isTrue();
        assertThat(second.publishes.get(0).packetId()).isEqualTo(first.packetIds().get(0));
        assertThat(second.pubrels).containsExactly(first.packetIds().get(1));
    }

    @Test
    void offlinePersistentSessionQueuesQos1UpToTheLimitAndCountsTheRest() {
        Session session = session(true, limits(10, 3));
        session.detach(attach(session));

        for (int i = 1; i <= 5; i++) {
            session.offer(message("m" + i), 1);
        }

        assertThat(session.queuedMessages()).isEqualTo(3);
        assertThat(metrics.snapshot().droppedQueueFull()).isEqualTo(2);
        RecordingConnection connection = reattach(session);
        assertThat(connection.payloads()).containsExactly("m1", "m2", "m3");
    }

    @Test
    void offlineSessionDoesNotKeepQos0UnlessConfiguredTo() {
        Session plain = session(true, limits(10, 10));
        plain.detach(attach(plain));
        plain.offer(message("zero"), 0);
        assertThat(plain.queuedMessages()).isZero();

        Session keeping = session(true, new SessionLimits(10, 10, 0, true));
        keeping.detach(attach(keeping));
        keeping.offer(message("zero"), 0);
        assertThat(reattach(keeping).payloads()).containsExactly("zero");
    }

    @Test
    void queuedBytesLimitDropsMessagesThatWouldExceedIt() {
        Session session = session(true, new SessionLimits(10, 100, 5, false));
        session.detach(attach(session));

        session.offer(message("abc"), 1);
        session.offer(message("def"), 1);

        assertThat(session.queuedMessages()).isEqualTo(1);
        assertThat(metrics.snapshot().droppedQueueFull()).isEqualTo(1);
    }

    @Test
    void onlineSessionBecomesCongestedAtTheQueueLimitAndResumesPublishersWhenDrained() {
        Session session = session(false, limits(1, 4));
        RecordingConnection connection = attach(session);
        CountingPublisher publisher = new CountingPublisher();

        for (int i = 0; i < 5; i++) {
            session.offer(message("m" + i), 1);
        }
        assertThat(session.isCongested()).isTrue();
        session.addPausedPublisher(publisher);
        assertThat(publisher.resumed).isZero();

        // Draining to half the limit lets the publisher go.
        for (int i = 0; i < 3; i++) {
            session.onPuback(connection.packetIds().get(i));
        }
        assertThat(session.isCongested()).isFalse();
        assertThat(publisher.resumed).isEqualTo(1);
    }

    @Test
    void onlineSessionAcceptsOverflowBeyondTheQueueLimitWhilePublishersPause() {
        Session session = session(false, limits(1, 2));
        attach(session);

        for (int i = 0; i < 20; i++) {
            session.offer(message("m" + i), 1);
        }

        assertThat(session.queuedMessages()).isEqualTo(19);
        assertThat(metrics.snapshot().droppedQueueFull()).isZero();
    }

    @Test
    void cleanSessionEndsWithItsConnectionAndLeavesTheSubscriptionTree() {
        Session session = session(false, limits(10, 10));
        RecordingConnection connection = attach(session);
        session.subscribe(new Subscription("client", "a/+", 1));
        assertThat(matches("a/b")).hasSize(1);

        session.detach(connection);

        assertThat(session.isEnded()).isTrue();
        assertThat(ended).containsExactly(session);
        assertThat(matches("a/b")).isEmpty();
    }

    @Test
    void persistentSessionKeepsSubscriptionsWhileOffline() {
        Session session = session(true, limits(10, 10));
        session.subscribe(new Subscription("client", "a/+", 1));
        session.detach(attach(session));

        assertThat(session.isEnded()).isFalse();
        assertThat(session.isOnline()).isFalse();
        assertThat(matches("a/b")).hasSize(1);
    }

    @Test
    void anOvertakenClaimCannotAttach() {
        Session session = session(true, limits(10, 10));
        int stale = session.generation();
        session.claim();

        assertThat(session.attach(new RecordingConnection(), stale)).isFalse();
    }

    @Test
    void inboundQos2PacketIdIsRoutedOnceUntilReleased() {
        Session session = session(false, limits(10, 10));

        assertThat(session.registerInboundQos2(7)).isTrue();
        assertThat(session.registerInboundQos2(7)).isFalse(); // [MQTT-4.3.3-2] re-sent: not again
        session.releaseInboundQos2(7);
        assertThat(session.registerInboundQos2(7)).isTrue();
    }

    private RecordingConnection reattach(Session session) {
        session.claim();
        return attach(session);
    }

    private List<Subscription> matches(String topic) {
        List<Subscription> found = new ArrayList<>();
        tree.match(topic, found::add);
        return found;
    }

    private record Sent(String payload, int qos, int packetId, boolean dup) {
    }

    private final class RecordingConnection implements SessionConnection {
        final List<Sent> publishes = new ArrayList<>();
        final List<Integer> pubrels = new ArrayList<>();

        @Override
        public EventLoop eventLoop() {
            return loop;
        }

        @Override
        public boolean isWritable() {
            return true;
        }

        @Override
        public boolean sendPublish(ApplicationMessage message, int qos, int packetId, boolean dup, boolean retain,
                                   int[] subscriptionIds) {
            publishes.add(new Sent(message.payloadAsString(), qos, packetId, dup));
            return true;
        }

        @Override
        public int receiveMaximum() {
            return 65_535;
        }

        @Override
        public void sendPubrel(int packetId) {
            pubrels.add(packetId);
        }

        @Override
        public void closeForTakeover() {
        }

        @Override
        public String describe() {
            return "recording";
        }

        @Override
        public String username() {
            return null;
        }

        List<String> payloads() {
            return publishes.stream().map(Sent::payload).toList();
        }

        List<Integer> packetIds() {
            return publishes.stream().map(Sent::packetId).toList();
        }
    }

    private static final class CountingPublisher implements PausablePublisher {
        int resumed;

        @Override
        public void pauseReading() {
        }

        @Override
        public void resumeReading() {
            resumed++;
        }
    }
}
