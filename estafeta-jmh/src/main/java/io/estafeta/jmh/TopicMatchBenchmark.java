package io.estafeta.jmh;

import io.estafeta.broker.routing.Subscription;
import io.estafeta.broker.routing.SubscriptionTree;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@link SubscriptionTree#match} in a tree of 10^6 subscriptions of four kinds, a quarter each: exact
 * ({@code e/N/x}), single-level wildcard ({@code p/N/+}), multi-level wildcard ({@code h/N/#}) and shared
 * ({@code $share/gK/s/N/x}). Each benchmark publishes to a random topic that one subscription of its kind
 * matches. Issue #7's target: under 1 microsecond per publish.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g"})
public class TopicMatchBenchmark {

    private static final int SHARE_GROUPS = 10;
    private static final int TOPICS = 4096;

    @Param("1000000")
    public int subscriptions;

    private SubscriptionTree tree;
    private String[] exactTopics;
    private String[] plusTopics;
    private String[] hashTopics;
    private String[] sharedTopics;
    private int next;

    @Setup(Level.Trial)
    public void fillTree() {
        tree = new SubscriptionTree();
        int perKind = subscriptions / 4;
        for (int i = 0; i < perKind; i++) {
            tree.subscribe(new Subscription("c" + i, "e/" + i + "/x", 1));
            tree.subscribe(new Subscription("c" + i, "p/" + i + "/+", 1));
            tree.subscribe(new Subscription("c" + i, "h/" + i + "/#", 1));
            tree.subscribe(new Subscription("c" + i, "s/" + i + "/x", 1, false, false,
                    Subscription.NO_SUBSCRIPTION_ID, "g" + (i % SHARE_GROUPS)));
        }
        exactTopics = new String[TOPICS];
        plusTopics = new String[TOPICS];
        hashTopics = new String[TOPICS];
        sharedTopics = new String[TOPICS];
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int t = 0; t < TOPICS; t++) {
            int n = random.nextInt(perKind);
            exactTopics[t] = "e/" + n + "/x";
            plusTopics[t] = "p/" + n + "/anything";
            hashTopics[t] = "h/" + n + "/a/b/c";
            sharedTopics[t] = "s/" + n + "/x";
        }
    }

    private int nextIndex() {
        next = (next + 1) & (TOPICS - 1);
        return next;
    }

    @Benchmark
    public void exact(Blackhole matched) {
        tree.match(exactTopics[nextIndex()], matched::consume);
    }

    @Benchmark
    public void singleLevelWildcard(Blackhole matched) {
        tree.match(plusTopics[nextIndex()], matched::consume);
    }

    @Benchmark
    public void multiLevelWildcard(Blackhole matched) {
        tree.match(hashTopics[nextIndex()], matched::consume);
    }

    @Benchmark
    public void shared(Blackhole matched) {
        tree.match(sharedTopics[nextIndex()], matched::consume);
    }
}
