/** The {@code estafeta} command line: broker and, later, pub, sub, passwd and bench. */
package io.estafeta.cli;
