/**
 * What the broker and clients share, with no I/O: topic name and filter rules, reason codes.
 * Packet encoding and decoding is Netty's codec-mqtt.
 */
package io.estafeta.protocol;
