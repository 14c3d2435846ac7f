package io.estafeta.broker.auth;

import io.estafeta.protocol.Topics;

import java.util.Objects;

/**
 * One {@code topic} or {@code pattern} line of an ACL file. A pattern's {@code %c} and {@code %u} levels
 * stand for the client id and the username of the client being checked.
 */
public final class AclRule {

    /** A pattern level that stands for the client id. */
    public static final String CLIENT_ID_LEVEL = "%c";
    /** A pattern level that stands for the username. */
    public static final String USERNAME_LEVEL = "%u";

    private static final String LEVEL_SEPARATOR = String.valueOf(Topics.LEVEL_SEPARATOR);

    private final AclAccess access;
    private final String filter;
    private final boolean pattern;
    private final String where;
    private final String[] levels;
    private final boolean usesClientId;
    private final boolean usesUsername;

    /**
     * @param access  what the line grants, or {@link AclAccess#DENY}
     * @param filter  its topic filter as written (for a pattern, with {@code %c}/{@code %u} levels)
     * @param pattern whether it is a {@code pattern} line (applies to every client, with substitution)
     * @param where   {@code FILE:LINE}, for messages
     */
    public AclRule(AclAccess access, String filter, boolean pattern, String where) {
        this.access = Objects.requireNonNull(access, "access");
        this.filter = Objects.requireNonNull(filter, "filter");
        this.pattern = pattern;
        this.where = Objects.requireNonNull(where, "where");
        this.levels = filter.split(LEVEL_SEPARATOR, -1);
        boolean clientId = false;
        boolean username = false;
        for (String level : levels) {
            clientId |= level.equals(CLIENT_ID_LEVEL);
            username |= level.equals(USERNAME_LEVEL);
        }
        this.usesClientId = pattern && clientId;
        this.usesUsername = pattern && username;
    }

    public AclAccess access() {
        return access;
    }

    /** The topic filter as written. */
    public String filter() {
        return filter;
    }

    public boolean isPattern() {
        return pattern;
    }

    /** {@code FILE:LINE} of the line. */
    public String where() {
        return where;
    }

    /** Whether this is a pattern with a {@code %c} level. */
    public boolean usesClientId() {
        return usesClientId;
    }

    /** Whether this is a pattern with a {@code %u} level. */
    public boolean usesUsername() {
        return usesUsername;
    }

    /**
     * The filter with {@code %c} and {@code %u} levels replaced; for a {@code topic} line, the filter as is.
     * The values must already be known safe (see {@link AclAuthorizer}): one non-empty level each.
     */
    String expand(String clientId, String username) {
        if (!usesClientId && !usesUsername) {
            return filter;
        }
        StringBuilder expanded = new StringBuilder(filter.length() + clientId.length());
        for (int i = 0; i < levels.length; i++) {
            if (i > 0) {
                expanded.append(Topics.LEVEL_SEPARATOR);
            }
            String level = levels[i];
            if (usesClientId && level.equals(CLIENT_ID_LEVEL)) {
                expanded.append(clientId);
            } else if (usesUsername && level.equals(USERNAME_LEVEL)) {
                expanded.append(username);
            } else {
                expanded.append(level);
            }
        }
        return expanded.toString();
    }

    @Override
    public String toString() {
        return where + ": " + (pattern ? "pattern " : "topic ") + access.keyword() + " " + filter;
    }
}
