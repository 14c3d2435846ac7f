package io.estafeta.junit;

import io.estafeta.broker.Broker;
import io.estafeta.broker.BrokerBuilder;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Runs an Estafeta broker for a test class: started on a free port of 127.0.0.1 before the class's first
 * test (before its {@code @BeforeAll} methods), stopped after its last. A test, lifecycle method or
 * constructor gets it by declaring a {@link Broker} parameter; {@link Broker#uri()} is where clients connect.
 *
 * <pre>{@code
 * @ExtendWith(EstafetaExtension.class)
 * class SensorTest {
 *     @Test
 *     void publishes(Broker broker) {
 *         MqttClient client = new MqttClient(broker.uri(), "sensor");
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <p>{@link EstafetaConfig} changes the settings, or asks for a new broker per test. Nested test classes
 * share the broker of the class that encloses them.
 */
public final class EstafetaExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(EstafetaExtension.class);
    private static final String BROKER = "broker";
    /** The extension's own port choice: the system picks a free one, reported by {@link Broker#port()}. */
    private static final int ANY_FREE_PORT = 0;

    @Override
    public void beforeAll(ExtensionContext context) {
        Optional<EstafetaConfig> config = AnnotationSupport.findAnnotation(context.getRequiredTestClass(),
                EstafetaConfig.class);
        boolean perTest = config.map(EstafetaConfig::perTest).orElse(false);
        // An enclosing class's broker is found through the parent store: nested classes reuse it.
        if (!perTest && context.getStore(NAMESPACE).get(BROKER, Broker.class) == null) {
            start(context, config);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Optional<EstafetaConfig> onMethod = context.getTestMethod()
                .flatMap(method -> AnnotationSupport.findAnnotation(method, EstafetaConfig.class));
        Optional<EstafetaConfig> onClass = context.getTestClass()
                .flatMap(type -> AnnotationSupport.findAnnotation(type, EstafetaConfig.class));
        if (onMethod.isPresent()) {
            start(context, onMethod);
        } else if (onClass.map(EstafetaConfig::perTest).orElse(false)) {
            start(context, onClass);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stopOwn(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopOwn(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Broker.class;
    }

    @Override
    public Broker resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Broker broker = context.getStore(NAMESPACE).get(BROKER, Broker.class);
        if (broker == null) {
            throw new ParameterResolutionException("no Estafeta broker is running here: with"
                    + " @EstafetaConfig(perTest = true) a broker exists for each test only, not in @BeforeAll,"
                    + " @AfterAll or the constructor");
        }
        return broker;
    }

    private static void start(ExtensionContext context, Optional<EstafetaConfig> config) {
        BrokerBuilder builder = Broker.builder();
        boolean hasConfigFile = config.map(settings -> !settings.configFile().isEmpty()).orElse(false);
        if (!hasConfigFile) {
            // A test's broker keeps nothing on disk (no ./data left behind); a configuration file decides itself.
            builder.configure(c -> c.persistence(false));
        }
        config.ifPresent(settings -> {
            if (!settings.configFile().isEmpty()) {
                builder.config(Path.of(settings.configFile()));
            }
            // Only ever closes the door: a configuration file's allow_anonymous stands unless told otherwise.
            if (!settings.allowAnonymous() || !settings.passwordFile().isEmpty()) {
                builder.configure(c -> c.allowAnonymous(false));
            }
            if (!settings.passwordFile().isEmpty()) {
                builder.configure(c -> c.passwordFile(Path.of(settings.passwordFile())));
            }
        });
        Broker broker = builder.port(ANY_FREE_PORT).start();
        context.getStore(NAMESPACE).put(BROKER, broker);
    }

    /** Stops the broker this context started, leaving an enclosing context's broker running. */
    private static void stopOwn(ExtensionContext context) {
        Broker own = context.getStore(NAMESPACE).remove(BROKER, Broker.class);
        if (own != null) {
            own.close();
        }
    }
}
