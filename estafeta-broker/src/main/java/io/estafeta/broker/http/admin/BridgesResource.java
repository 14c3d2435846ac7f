package io.estafeta.broker.http.admin;

import io.estafeta.broker.bridge.BridgeStatus;
import io.estafeta.broker.http.HttpServices;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /api/bridges}: each bridge's state (as {@code Broker.bridges()} reports it), in configuration
 * order. A bridge's status is kept by the bridge itself, so reading it needs no event loop round trip.
 */
final class BridgesResource {

    private final HttpServices services;

    BridgesResource(HttpServices services) {
        this.services = services;
    }

    List<Map<String, Object>> list() {
        return services.bridges().get().stream().map(BridgesResource::describe).toList();
    }

    private static Map<String, Object> describe(BridgeStatus status) {
        Map<String, Object> bridge = new LinkedHashMap<>();
        bridge.put("name", status.name());
        bridge.put("state", status.state().name().toLowerCase(Locale.ROOT));
        bridge.put("since", status.since() == null ? null : status.since().toEpochMilli());
        bridge.put("address", status.address() == null ? null : status.address().toString());
        bridge.put("remoteClientId", status.remoteClientId());
        bridge.put("localClientId", status.localClientId());
        bridge.put("lastError", status.lastError());
        bridge.put("messagesOut", status.messagesOut());
        bridge.put("messagesIn", status.messagesIn());
        bridge.put("startType", status.startType().directiveValue());
        bridge.put("waitingMessages", status.waitingMessages());
        return bridge;
    }
}
