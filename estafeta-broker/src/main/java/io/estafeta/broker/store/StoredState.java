package io.estafeta.broker.store;

import io.estafeta.broker.message.ApplicationMessage;

import java.util.List;

/**
 * What the store held when it was opened, for the broker to rebuild its sessions, retained messages and
 * pending wills from.
 *
 * @param sessions        every stored session that had not expired
 * @param retained        every retained message that had not expired
 * @param wills           every pending delayed will, including those of the sessions in {@code expiredSessions}
 *                        (their session is over, so they are due now)
 * @param expiredSessions the records of sessions that expired while the broker was down (their usernames
 *                        authorize their wills): their storage was removed when the store was opened
 */
public record StoredState(List<StoredSessionState> sessions, List<ApplicationMessage> retained,
                          List<StoredWill> wills, List<StoredSession> expiredSessions) {

    public static final StoredState EMPTY = new StoredState(List.of(), List.of(), List.of(), List.of());

    public StoredState {
        sessions = List.copyOf(sessions);
        retained = List.copyOf(retained);
        wills = List.copyOf(wills);
        expiredSessions = List.copyOf(expiredSessions);
    }
}
