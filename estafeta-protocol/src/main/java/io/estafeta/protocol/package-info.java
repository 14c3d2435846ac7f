/**
 * What the broker and clients share, with no I/O: topic name and filter rules, and (in {@code codec})
 * the packet decoder. Packets are Netty codec-mqtt message objects; encoding is Netty's.
 */
package io.estafeta.protocol;
