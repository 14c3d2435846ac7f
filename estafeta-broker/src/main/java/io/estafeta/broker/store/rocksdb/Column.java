package io.estafeta.broker.store.rocksdb;

import org.rocksdb.RocksDB;

import java.nio.charset.StandardCharsets;

/** The column families of the store, one per kind of record ({@link StoreKeys} has their key formats). */
enum Column {
    /** Required by RocksDB; holds nothing. */
    DEFAULT(new String(RocksDB.DEFAULT_COLUMN_FAMILY, StandardCharsets.UTF_8)),
    META("meta"),
    SESSIONS("sessions"),
    SUBSCRIPTIONS("subscriptions"),
    DELIVERIES("deliveries"),
    MESSAGES("messages"),
    INBOUND_QOS2("inbound_qos2"),
    RETAINED("retained"),
    WILLS("wills");

    private final String familyName;

    Column(String familyName) {
        this.familyName = familyName;
    }

    String familyName() {
        return familyName;
    }

    byte[] nameBytes() {
        return familyName.getBytes(StandardCharsets.UTF_8);
    }

    /** The columns that hold a session's records under its client key, removed with the session. */
    static final Column[] PER_SESSION = {SESSIONS, SUBSCRIPTIONS, DELIVERIES, INBOUND_QOS2};
}
