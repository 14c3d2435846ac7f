package io.estafeta.broker.store.rocksdb;

import org.rocksdb.ColumnFamilyHandle;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The open handles of the column families. */
final class Columns implements AutoCloseable {

    private final Map<Column, ColumnFamilyHandle> handles = new EnumMap<>(Column.class);

    /** @param opened handles in the order of {@link Column#values()} */
    Columns(List<ColumnFamilyHandle> opened) {
        Column[] columns = Column.values();
        for (int i = 0; i < columns.length; i++) {
            handles.put(columns[i], opened.get(i));
        }
    }

    ColumnFamilyHandle handle(Column column) {
        return handles.get(column);
    }

    @Override
    public void close() {
        handles.values().forEach(ColumnFamilyHandle::close);
    }
}
