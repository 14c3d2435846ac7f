package io.estafeta.protocol.codec;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttReasonCodes;

import java.util.function.ToIntFunction;

/**
 * Which reason code values each packet type may carry: the sender "MUST use one of" them (for example
 * [MQTT-3.4.2-1] for PUBACK, [MQTT-3.14.2-1] for DISCONNECT). The sets are Netty's reason code enums,
 * which follow the tables of the specification, turned into lookup tables.
 */
final class ReasonCodeTables {

    private static final int BYTE_VALUES = 256;
    private static final int MASK = 0xFF;
    private static final int LOWEST_FAILURE = 0x80;
    /** MQTT 3.1.1 return codes 0 (accepted) to 5 (not authorized), section 3.2.2.3. */
    private static final int HIGHEST_MQTT_3_RETURN_CODE = 5;
    /** MQTT 3.1.1 SUBACK return codes: granted QoS 0, 1, 2, and 0x80 Failure ([MQTT-3.9.3-2]). */
    private static final int[] MQTT_3_SUBACK = {0x00, 0x01, 0x02, 0x80};

    static final boolean[] PUBACK = table(MqttReasonCodes.PubAck.values(), MqttReasonCodes.PubAck::byteValue);
    static final boolean[] PUBREC = table(MqttReasonCodes.PubRec.values(), MqttReasonCodes.PubRec::byteValue);
    static final boolean[] PUBREL = table(MqttReasonCodes.PubRel.values(), MqttReasonCodes.PubRel::byteValue);
    static final boolean[] PUBCOMP = table(MqttReasonCodes.PubComp.values(), MqttReasonCodes.PubComp::byteValue);
    static final boolean[] DISCONNECT =
            table(MqttReasonCodes.Disconnect.values(), MqttReasonCodes.Disconnect::byteValue);
    static final boolean[] AUTH = table(MqttReasonCodes.Auth.values(), MqttReasonCodes.Auth::byteValue);
    static final boolean[] SUBACK_5 = table(MqttReasonCodes.SubAck.values(), MqttReasonCodes.SubAck::byteValue);
    static final boolean[] UNSUBACK_5 = table(MqttReasonCodes.UnsubAck.values(), MqttReasonCodes.UnsubAck::byteValue);
    static final boolean[] SUBACK_3 = new boolean[BYTE_VALUES];
    static final boolean[] CONNACK_5 = new boolean[BYTE_VALUES];
    static final boolean[] CONNACK_3 = new boolean[BYTE_VALUES];

    static {
        for (int code : MQTT_3_SUBACK) {
            SUBACK_3[code] = true;
        }
        for (MqttConnectReturnCode code : MqttConnectReturnCode.values()) {
            int value = code.byteValue() & MASK;
            CONNACK_5[value] = value == 0 || value >= LOWEST_FAILURE;
            CONNACK_3[value] = value <= HIGHEST_MQTT_3_RETURN_CODE;
        }
    }

    private ReasonCodeTables() {
    }

    private static <E> boolean[] table(E[] codes, ToIntFunction<E> byteValue) {
        boolean[] table = new boolean[BYTE_VALUES];
        for (E code : codes) {
            table[byteValue.applyAsInt(code) & MASK] = true;
        }
        return table;
    }
}
