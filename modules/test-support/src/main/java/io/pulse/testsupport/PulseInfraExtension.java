package io.pulse.testsupport;

import io.pulse.infra.LocalInfra;
import io.pulse.infra.LocalInfraConfig;
import io.pulse.infra.LocalKafkaBroker;
import io.pulse.infra.LocalSchemaRegistry;
import java.util.Set;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one real Kafka broker and one real Schema Registry per test JVM (free ports on 127.0.0.1, a temporary data
 * directory) the first time a test class needs them, shares them with every later class, and stops them when the
 * test run ends.
 *
 * <p>Test and lifecycle methods can take parameters of type {@link LocalInfra}, {@link LocalKafkaBroker} or
 * {@link LocalSchemaRegistry}. Usually applied through {@link PulseIntegrationTest}:
 *
 * <pre>{@code
 * @PulseIntegrationTest
 * class PipelineIntegrationTest {
 *     @Test
 *     void shouldPredictOnEveryEvent(LocalInfra infra) {
 *         String topic = TestTopics.createUnique(infra, "user-events", 3);
 *         props.put("bootstrap.servers", infra.bootstrapServers());
 *         props.put("schema.registry.url", infra.schemaRegistryUrl());
 *         ...
 * }</pre>
 *
 * <p>Tests share the servers, so each one uses its own topics and application ids ({@link TestTopics}). If the servers
 * fail to start, every test class that needs them fails with that same error, without trying again.
 */
public final class PulseInfraExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(PulseInfraExtension.class);
    private static final String KEY = "pulse-local-infra";
    private static final Set<Class<?>> INJECTABLE = Set.of(LocalInfra.class, LocalKafkaBroker.class,
            LocalSchemaRegistry.class);

    /** Starts the servers before the first test class that uses them, so start-up is not billed to one test. */
    @Override
    public void beforeAll(ExtensionContext context) {
        infra(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return INJECTABLE.contains(parameterContext.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        LocalInfra infra = infra(extensionContext);
        Class<?> type = parameterContext.getParameter().getType();
        if (type == LocalKafkaBroker.class) {
            return infra.broker();
        }
        if (type == LocalSchemaRegistry.class) {
            return infra.schemaRegistry();
        }
        return infra;
    }

    /**
     * The servers of this test run, started on first use. Kept in the root context's store, so one instance serves
     * every test class of the JVM and JUnit closes it (it is {@link AutoCloseable}) when the run ends.
     */
    public static LocalInfra infra(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(KEY, key -> SharedInfra.start(), SharedInfra.class)
                .infraOrThrow();
    }

    /** The started servers, or why they could not start (remembered so later classes do not wait for it again). */
    private static final class SharedInfra implements AutoCloseable {
        private final LocalInfra infra;
        private final RuntimeException failure;

        private SharedInfra(LocalInfra infra, RuntimeException failure) {
            this.infra = infra;
            this.failure = failure;
        }

        static SharedInfra start() {
            try {
                return new SharedInfra(LocalInfra.start(LocalInfraConfig.forTests()), null);
            } catch (RuntimeException e) {
                return new SharedInfra(null, e);
            }
        }

        LocalInfra infraOrThrow() {
            if (failure != null) {
                throw new IllegalStateException("the shared test Kafka broker and Schema Registry failed to start: "
                        + failure.getMessage(), failure);
            }
            return infra;
        }

        @Override
        public void close() {
            if (infra != null) {
                infra.close();
            }
        }
    }
}
