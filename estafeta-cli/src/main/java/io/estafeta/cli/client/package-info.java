/**
 * {@code estafeta pub} and {@code estafeta sub}: MQTT clients on the command line that behave like
 * Mosquitto's {@code mosquitto_pub} and {@code mosquitto_sub} (same options, output, messages and exit
 * statuses), built on the shared client core in {@code io.estafeta.client}. docs/CLI.md lists the
 * differences.
 */
package io.estafeta.cli.client;
