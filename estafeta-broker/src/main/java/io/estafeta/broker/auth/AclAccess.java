package io.estafeta.broker.auth;

import java.util.Optional;

/** The access word of an ACL line: {@code topic [read|write|readwrite|deny] TOPIC}. */
public enum AclAccess {
    /** Receive messages on matching topics (deliveries, retained messages). */
    READ("read"),
    /** Publish to matching topics (PUBLISH, will messages). */
    WRITE("write"),
    /** Both; also what a line without an access word grants. */
    READWRITE("readwrite"),
    /** Neither, whatever other lines grant: deny lines are checked first. */
    DENY("deny");

    private final String keyword;

    AclAccess(String keyword) {
        this.keyword = keyword;
    }

    /** The word as written in an ACL file. */
    public String keyword() {
        return keyword;
    }

    public boolean allowsRead() {
        return this == READ || this == READWRITE;
    }

    public boolean allowsWrite() {
        return this == WRITE || this == READWRITE;
    }

    /** The access an ACL file's word stands for (exact, lower case, as Mosquitto reads it). */
    public static Optional<AclAccess> fromKeyword(String word) {
        for (AclAccess access : values()) {
            if (access.keyword.equals(word)) {
                return Optional.of(access);
            }
        }
        return Optional.empty();
    }
}
