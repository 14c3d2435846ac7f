package io.estafeta.broker.testsupport;

/** An application message as a real client library handed it to the application. */
public record ReceivedMessage(String topic, String payload, int qos, boolean retained, boolean duplicate) {
}
