/**
 * A JUnit Jupiter extension that runs an Estafeta broker for a test class: {@link io.estafeta.junit.EstafetaExtension}
 * and its settings, {@link io.estafeta.junit.EstafetaConfig}.
 */
package io.estafeta.junit;
