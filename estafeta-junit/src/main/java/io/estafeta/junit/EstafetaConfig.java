package io.estafeta.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How {@link EstafetaExtension} starts its broker. On a test class it applies to the class's broker; on a
 * test method, that test gets a broker of its own with these settings. Without it: one broker for the class,
 * on a free port of 127.0.0.1, anonymous clients allowed.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface EstafetaConfig {

    /** A new broker for every test of the class instead of one shared by all of them. */
    boolean perTest() default false;

    /**
     * A configuration file (Estafeta's format, see docs/CONFIG.md), relative to the working directory; its
     * listeners are replaced by one on a free port of their first address. Empty: the defaults.
     */
    String configFile() default "";

    /** A password file (Mosquitto's format); with one, clients must log in. Empty: none. */
    String passwordFile() default "";

    /**
     * {@code false} refuses clients without a username. With a password file they are refused anyway; with
     * neither, the configuration file (or the default, which lets them in) decides.
     */
    boolean allowAnonymous() default true;
}
