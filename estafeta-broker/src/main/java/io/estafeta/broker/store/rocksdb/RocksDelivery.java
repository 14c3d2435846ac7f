package io.estafeta.broker.store.rocksdb;

import io.estafeta.broker.routing.SharedGroup;
import io.estafeta.broker.store.DeliveryHandle;
import io.estafeta.broker.store.DeliveryState;

/**
 * A message stored for one session. The final fields are set by the caller's thread; the others belong
 * to the writer thread, which applies every change in order.
 */
final class RocksDelivery implements DeliveryHandle {

    private final String clientId;
    private final long deliveryId;
    final int qos;
    final int[] subscriptionIds;
    final SharedGroup sharedGroup;

    // Writer thread only.
    StoredBody body;
    int packetId;
    DeliveryState state;

    RocksDelivery(String clientId, long deliveryId, int qos, int[] subscriptionIds, SharedGroup sharedGroup) {
        this.clientId = clientId;
        this.deliveryId = deliveryId;
        this.qos = qos;
        this.subscriptionIds = subscriptionIds;
        this.sharedGroup = sharedGroup;
    }

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public long deliveryId() {
        return deliveryId;
    }

    byte[] key() {
        return StoreKeys.delivery(clientId, deliveryId);
    }

    byte[] value() {
        return RecordCodec.encodeDelivery(state, qos, packetId, body == null ? RecordCodec.NO_MESSAGE : body.id,
                subscriptionIds, sharedGroup);
    }

    @Override
    public String toString() {
        return "delivery " + deliveryId + " to " + clientId;
    }
}
