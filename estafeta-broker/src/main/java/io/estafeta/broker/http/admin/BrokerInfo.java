package io.estafeta.broker.http.admin;

import io.estafeta.broker.config.BrokerConfig;
import io.estafeta.broker.config.HttpListenerConfig;
import io.estafeta.broker.config.ListenerConfig;
import io.estafeta.broker.http.HttpServices;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /api/broker}: version, uptime, listeners and a configuration summary without secrets. */
final class BrokerInfo {

    private final HttpServices services;
    private final HttpListenerConfig httpConfig;

    BrokerInfo(HttpServices services, HttpListenerConfig httpConfig) {
        this.services = services;
        this.httpConfig = httpConfig;
    }

    Map<String, Object> describe() {
        BrokerConfig config = services.config();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", "Estafeta");
        info.put("version", services.version());
        long now = System.currentTimeMillis();
        info.put("startedAt", services.startedAtMillis());
        info.put("uptimeSeconds", (now - services.startedAtMillis()) / 1000);
        List<Map<String, Object>> listeners = new ArrayList<>();
        List<ListenerConfig> configured = config.listeners();
        for (int i = 0; i < configured.size(); i++) {
            Map<String, Object> listener = new LinkedHashMap<>();
            listener.put("protocol", configured.get(i).tls() == null ? "mqtt" : "mqtts");
            InetSocketAddress bound = services.mqttAddresses().get(i);
            listener.put("address", bound.getAddress().getHostAddress());
            listener.put("port", bound.getPort());
            listener.put("maxConnections", configured.get(i).maxConnections());
            listeners.add(listener);
        }
        info.put("listeners", listeners);
        Map<String, Object> http = new LinkedHashMap<>();
        http.put("tls", httpConfig.tls() != null);
        http.put("adminAuthentication", httpConfig.adminPasswordFile() != null);
        info.put("http", http);
        // What an operator checks: limits and switches. No password or key material, and no file contents.
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("allowAnonymous", config.allowAnonymous());
        summary.put("passwordFile", config.passwordFile() != null);
        summary.put("aclFile", config.aclFile() != null);
        summary.put("maxInflightMessages", config.maxInflightMessages());
        summary.put("maxQueuedMessages", config.maxQueuedMessages());
        summary.put("maxQueuedBytes", config.maxQueuedBytes());
        summary.put("queueQos0Messages", config.queueQos0Messages());
        summary.put("maxKeepalive", config.maxKeepalive());
        summary.put("maxPacketSize", config.maxPacketSize());
        summary.put("messageSizeLimit", config.messageSizeLimit());
        summary.put("retainAvailable", config.retainAvailable());
        summary.put("maxTopicAlias", config.maxTopicAlias());
        summary.put("maxTopicLength", config.clientLimits().maxTopicLength());
        summary.put("maxTopicLevels", config.clientLimits().maxTopicLevels());
        summary.put("maxSubscriptionsPerClient", config.clientLimits().maxSubscriptionsPerClient());
        summary.put("persistentClientExpirationSeconds", config.persistentClientExpiration() == null ? null
                : config.persistentClientExpiration().toSeconds());
        summary.put("connectTimeoutSeconds", config.connectTimeout().toSeconds());
        summary.put("persistence", config.persistence());
        info.put("config", summary);
        return info;
    }
}
