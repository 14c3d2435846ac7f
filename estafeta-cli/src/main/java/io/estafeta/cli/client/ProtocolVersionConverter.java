package io.estafeta.cli.client;

import io.netty.handler.codec.mqtt.MqttVersion;
import picocli.CommandLine.ITypeConverter;

/** {@code -V}: {@code 31}/{@code mqttv31}, {@code 311}/{@code mqttv311}, {@code 5}/{@code mqttv5}, as Mosquitto spells them. */
final class ProtocolVersionConverter implements ITypeConverter<MqttVersion> {

    @Override
    public MqttVersion convert(String value) {
        return switch (value) {
            case "31", "mqttv31" -> MqttVersion.MQTT_3_1;
            case "311", "mqttv311" -> MqttVersion.MQTT_3_1_1;
            case "5", "mqttv5" -> MqttVersion.MQTT_5;
            default -> throw new UsageException("Error: Invalid protocol version argument given.");
        };
    }
}
