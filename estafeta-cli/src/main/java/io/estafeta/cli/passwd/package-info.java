/** {@code estafeta passwd}: the password-file tool, a drop-in for {@code mosquitto_passwd}. */
package io.estafeta.cli.passwd;
