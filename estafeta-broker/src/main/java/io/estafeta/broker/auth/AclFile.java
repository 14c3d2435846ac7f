package io.estafeta.broker.auth;

import io.estafeta.broker.config.ConfigException;
import io.estafeta.broker.config.ConfigText;
import io.estafeta.protocol.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An access control list in Mosquitto's {@code acl_file} syntax (mosquitto.conf(5)), read once:
 *
 * <pre>
 * # comment
 * topic [read|write|readwrite|deny] TOPIC     (before any user line: for clients without a username)
 * user USERNAME                               (the topic lines after it are that user's)
 * topic [read|write|readwrite|deny] TOPIC
 * pattern [read|write|readwrite|deny] TOPIC   (wherever it stands: for every client; %c = client id,
 *                                              %u = username, each a whole topic level)
 * </pre>
 *
 * Without an access word a line grants {@code readwrite}; the topic is the rest of the line and may
 * contain spaces only after an access word. TOPIC may hold wildcards as in a subscription. A username given
 * in several {@code user} lines collects all their rules. Within each list, deny lines come first, then the
 * others in file order, which is the order Mosquitto checks them in; {@link AclAuthorizer} applies them.
 *
 * <p>Differences from Mosquitto 2.0.11 (seen): tabs between words and indented comments are fine here and
 * errors there; {@code %c} or {@code %u} inside a longer level of a {@code pattern} (such as {@code dev-%c})
 * is an error here, as mosquitto.conf(5) says they must be a whole level, and substituted there.
 */
public final class AclFile {

    private static final Logger LOG = LoggerFactory.getLogger(AclFile.class);

    private static final Pattern WHITESPACE = Pattern.compile("\\p{javaWhitespace}+");
    private static final String TOPIC = "topic";
    private static final String PATTERN = "pattern";
    private static final String USER = "user";
    private static final String RULE_EXPECTATION = "[read|write|readwrite|deny] TOPIC";
    private static final String PERCENT = "%";

    private final List<AclRule> anonymousRules;
    private final Map<String, List<AclRule>> userRules;
    private final List<AclRule> patternRules;

    private AclFile(List<AclRule> anonymousRules, Map<String, List<AclRule>> userRules, List<AclRule> patternRules) {
        this.anonymousRules = anonymousRules;
        this.userRules = userRules;
        this.patternRules = patternRules;
    }

    /**
     * Reads an ACL file (UTF-8).
     *
     * @throws ConfigException if it cannot be read or a line is not valid, naming the file and line
     */
    public static AclFile load(Path file) throws ConfigException {
        return parse(PasswordFile.readText(file, "ACL file"), file.toString());
    }

    /**
     * Reads ACL text.
     *
     * @param source what messages call the text, e.g. its file's path
     * @throws ConfigException naming the source and line of the first line that is not valid
     */
    public static AclFile parse(String text, String source) throws ConfigException {
        RuleList anonymous = new RuleList();
        Map<String, RuleList> users = new LinkedHashMap<>();
        RuleList patterns = new RuleList();
        RuleList[] current = {anonymous};
        ConfigText.forEachLine(text, (number, content) -> {
            String where = source + ":" + number;
            String[] keywordAndRest = WHITESPACE.split(content, 2);
            String keyword = keywordAndRest[0];
            String rest = keywordAndRest.length > 1 ? keywordAndRest[1] : "";
            switch (keyword) {
                case TOPIC -> current[0].add(rule(where, keyword, rest, false));
                case PATTERN -> patterns.add(rule(where, keyword, rest, true));
                case USER -> {
                    if (rest.isEmpty()) {
                        throw new ConfigException(where + ": user expects a username, got nothing");
                    }
                    current[0] = users.computeIfAbsent(rest, name -> new RuleList());
                }
                default -> throw new ConfigException(where + ": expected topic, pattern or user, got '"
                        + keyword + "'");
            }
        });
        Map<String, List<AclRule>> userRules = new LinkedHashMap<>();
        users.forEach((name, rules) -> userRules.put(name, rules.inCheckingOrder()));
        return new AclFile(anonymous.inCheckingOrder(), Collections.unmodifiableMap(userRules),
                patterns.inCheckingOrder());
    }

    /**
     * The {@code topic} rules for a client, deny rules first: a user's own, or for {@code null} those for
     * clients without a username. A username with no {@code user} section has none.
     */
    public List<AclRule> rulesFor(String username) {
        return username == null ? anonymousRules : userRules.getOrDefault(username, List.of());
    }

    /** The {@code pattern} rules, deny rules first. */
    public List<AclRule> patternRules() {
        return patternRules;
    }

    /** The usernames with a {@code user} section, in file order. */
    public List<String> usernames() {
        return List.copyOf(userRules.keySet());
    }

    /** Whether the file grants nothing to anyone (Mosquitto then denies every client everything). */
    public boolean isEmpty() {
        return anonymousRules.isEmpty() && patternRules.isEmpty()
                && userRules.values().stream().allMatch(List::isEmpty);
    }

    private static AclRule rule(String where, String keyword, String rest, boolean pattern)
            throws ConfigException {
        if (rest.isEmpty()) {
            throw new ConfigException(where + ": " + keyword + " expects " + RULE_EXPECTATION + ", got nothing");
        }
        String[] words = WHITESPACE.split(rest, 2);
        AclAccess access;
        String filter;
        if (words.length == 1) {
            access = AclAccess.READWRITE;
            filter = words[0];
            if (AclAccess.fromKeyword(filter).isPresent()) {
                LOG.warn("{}: '{} {}' grants readwrite access to the topic '{}'; is the topic missing?", where,
                        keyword, filter, filter);
            }
        } else {
            Optional<AclAccess> word = AclAccess.fromKeyword(words[0]);
            if (word.isEmpty()) {
                throw new ConfigException(where + ": " + keyword + " expects " + RULE_EXPECTATION + ", got '" + rest
                        + "' (the access must be read, write, readwrite or deny)");
            }
            access = word.get();
            filter = words[1];
        }
        if (!Topics.isValidTopicFilter(filter)) {
            throw new ConfigException(where + ": '" + filter + "' is not a valid topic filter");
        }
        AclRule rule = new AclRule(access, filter, pattern, where);
        if (pattern) {
            requireWholeLevelPlaceholders(rule);
            if (!rule.usesClientId() && !rule.usesUsername()) {
                LOG.warn("{}: pattern '{}' has no %c or %u level; it applies to every client as it is", where,
                        filter);
            }
        } else if (filter.contains(PERCENT + "c") || filter.contains(PERCENT + "u")) {
            LOG.warn("{}: topic lines are not substituted, '{}' is taken literally; use pattern for %c and %u",
                    where, filter);
        }
        return rule;
    }

    private static void requireWholeLevelPlaceholders(AclRule rule) throws ConfigException {
        for (String level : rule.filter().split(String.valueOf(Topics.LEVEL_SEPARATOR), -1)) {
            boolean placeholder = level.equals(AclRule.CLIENT_ID_LEVEL) || level.equals(AclRule.USERNAME_LEVEL);
            if (!placeholder && (level.contains(AclRule.CLIENT_ID_LEVEL) || level.contains(AclRule.USERNAME_LEVEL))) {
                throw new ConfigException(rule.where() + ": in '" + rule.filter() + "', %c and %u must each be a"
                        + " whole topic level (as in devices/%c/status), not part of '" + level + "'");
            }
        }
    }

    /** Collects one list's rules; deny rules are checked before the others, as in Mosquitto. */
    private static final class RuleList {
        private final List<AclRule> denies = new ArrayList<>();
        private final List<AclRule> grants = new ArrayList<>();

        void add(AclRule rule) {
            (rule.access() == AclAccess.DENY ? denies : grants).add(rule);
        }

        List<AclRule> inCheckingOrder() {
            List<AclRule> all = new ArrayList<>(denies);
            all.addAll(grants);
            return List.copyOf(all);
        }
    }
}
