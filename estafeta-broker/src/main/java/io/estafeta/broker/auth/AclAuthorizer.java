package io.estafeta.broker.auth;

import io.estafeta.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;

/**
 * Applies an {@link AclFile} the way Mosquitto applies its {@code acl_file}:
 *
 * <ol>
 *   <li>the client's own {@code topic} rules (its username's {@code user} section, or the lines before any
 *       {@code user} line for a client without a username), deny rules first: the first rule whose filter
 *       matches the topic decides if it denies, or if it grants the access asked for; a matching rule that
 *       grants other access is passed over;</li>
 *   <li>then the {@code pattern} rules in the same way, with {@code %c} and {@code %u} replaced by the
 *       client's id and username; a pattern with {@code %u} does not apply to a client without a
 *       username;</li>
 *   <li>nothing decided: denied. An ACL file with no rules at all denies everything.</li>
 * </ol>
 *
 * <p><b>Unsafe substitutions.</b> A client picks its own client id, so {@code %c} must not let one reach
 * topics of others: a client id or username that is empty or contains {@code +}, {@code #} or {@code /}
 * would turn {@code devices/%c/#} into a wildcard or into another client's sub-tree. For such a value a
 * granting pattern that uses it is passed over and a deny pattern that uses it denies everything. (Mosquitto
 * 2.0 denies a client whose id or username holds {@code +} or {@code #} everything once patterns exist, and
 * lets {@code /} through.)
 *
 * <p><b>Subscriptions.</b> Mosquitto's ACL file does not check SUBSCRIBE at all and filters each
 * delivery. Here {@link #canSubscribe} refuses a filter only when no message on it could ever be delivered:
 * when a deny rule covers the whole filter before any rule granting read access to part of it, or when no
 * rule grants read access to any topic it matches. A subscription to {@code #} by a client allowed to read
 * {@code sensors/#} is therefore granted, and each delivery is checked with {@link #canReceive}. Security
 * rests on {@link #canReceive}; the subscription check tells a client early that it will get nothing.
 *
 * <p>{@code $} topics are matched only by rules that start with {@code $}. Rules for {@code $SYS} and
 * {@code $share} that hold regardless of the ACL are in {@link ServerTopicRules}. Thread-safe (immutable).
 */
public final class AclAuthorizer implements Authorizer {

    private static final Logger LOG = LoggerFactory.getLogger(AclAuthorizer.class);

    private final AclFile acl;

    public AclAuthorizer(AclFile acl) {
        this.acl = Objects.requireNonNull(acl, "acl");
    }

    @Override
    public boolean canPublish(String clientId, String username, String topic) {
        return decide(clientId, username, (rule, filter) -> topicVerdict(rule, filter, topic, Operation.WRITE));
    }

    @Override
    public boolean canReceive(String clientId, String username, String topic) {
        return decide(clientId, username, (rule, filter) -> topicVerdict(rule, filter, topic, Operation.READ));
    }

    @Override
    public boolean canSubscribe(String clientId, String username, String topicFilter) {
        return decide(clientId, username, (rule, filter) -> subscriptionVerdict(rule, filter, topicFilter));
    }

    /** The file this authorizer applies. */
    public AclFile acl() {
        return acl;
    }

    @Override
    public String toString() {
        return "AclAuthorizer[" + acl.usernames().size() + " users, " + acl.patternRules().size() + " patterns]";
    }

    private enum Operation { READ, WRITE }

    private enum Verdict { ALLOW, DENY, NEXT }

    @FunctionalInterface
    private interface RuleCheck {
        /** What {@code rule}, whose filter after substitution is {@code filter}, says. */
        Verdict check(AclRule rule, String filter);
    }

    private boolean decide(String clientId, String username, RuleCheck check) {
        Objects.requireNonNull(clientId, "clientId");
        Verdict verdict = firstVerdict(acl.rulesFor(username), clientId, username, check);
        if (verdict == Verdict.NEXT) {
            verdict = firstVerdict(acl.patternRules(), clientId, username, check);
        }
        return verdict == Verdict.ALLOW;
    }

    private static Verdict firstVerdict(List<AclRule> rules, String clientId, String username, RuleCheck check) {
        for (AclRule rule : rules) {
            if (rule.usesUsername() && username == null) {
                continue; // Mosquitto: a %u pattern does not apply to a client without a username.
            }
            if ((rule.usesClientId() && !safeLevel(clientId)) || (rule.usesUsername() && !safeLevel(username))) {
                if (rule.access() == AclAccess.DENY) {
                    LOG.debug("{}: client '{}' (username '{}') cannot be substituted safely; denying", rule.where(),
                            clientId, username);
                    return Verdict.DENY;
                }
                continue;
            }
            Verdict verdict = check.check(rule, rule.expand(clientId, username));
            if (verdict != Verdict.NEXT) {
                return verdict;
            }
        }
        return Verdict.NEXT;
    }

    private static Verdict topicVerdict(AclRule rule, String filter, String topic, Operation operation) {
        if (!Topics.matches(filter, topic)) {
            return Verdict.NEXT;
        }
        if (rule.access() == AclAccess.DENY) {
            return Verdict.DENY;
        }
        boolean granted = operation == Operation.READ ? rule.access().allowsRead() : rule.access().allowsWrite();
        return granted ? Verdict.ALLOW : Verdict.NEXT;
    }

    private static Verdict subscriptionVerdict(AclRule rule, String filter, String subscription) {
        if (rule.access() == AclAccess.DENY) {
            return TopicFilterRelations.covers(filter, subscription) ? Verdict.DENY : Verdict.NEXT;
        }
        return rule.access().allowsRead() && TopicFilterRelations.intersect(filter, subscription)
                ? Verdict.ALLOW : Verdict.NEXT;
    }

    /** A value that stays one ordinary topic level when put in place of {@code %c} or {@code %u}. */
    private static boolean safeLevel(String value) {
        if (value == null || value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == Topics.LEVEL_SEPARATOR || c == Topics.SINGLE_LEVEL_WILDCARD || c == Topics.MULTI_LEVEL_WILDCARD) {
                return false;
            }
        }
        return true;
    }
}
