package io.pulse.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.conditions.ArchPredicates.are;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.pulse.pipeline.PulseTopology;
import io.pulse.pipeline.processing.ModelHolder;
import io.pulse.pipeline.processing.Recommender;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Pulse's floor plan as rules over the compiled main classes of every module (test classes and test-jars are not
 * imported): which way the arrows between modules and packages may point. A rule that matches no class at all fails
 * (ArchUnit's default), so a renamed package cannot make a rule pass by matching nothing.
 */
class ArchitectureTest {

    /** Packages whose classes exist only for tests or benchmarks; production code must not depend on them. */
    private static final String[] TEST_AND_BENCHMARK_PACKAGES = {
        "io.pulse.testsupport..", "io.pulse.benchmarks..", "io.pulse.dashboard.testing..",
        "org.junit..", "org.assertj..", "org.awaitility..", "org.openqa.selenium..", "net.jqwik..",
        "org.openjdk.jmh..", "org.mockito.."
    };

    /** Kafka Streams' test driver (kafka-streams-test-utils). */
    private static final String[] STREAMS_TEST_UTILS = {"org.apache.kafka.streams.test..",
        "org.apache.kafka.streams.TopologyTestDriver", "org.apache.kafka.streams.TestInputTopic",
        "org.apache.kafka.streams.TestOutputTopic", "org.apache.kafka.streams.TestRecord"};

    /** The developer tools: run from a source checkout, never part of the image. */
    private static final String[] TOOLS = {"io.pulse.benchmarks..", "io.pulse.evaluation..", "io.pulse.testsupport.."};

    /** Everything in the pipeline below its web layer. */
    private static final String[] BELOW_HTTP = {"io.pulse.pipeline.processing..", "io.pulse.pipeline.alerts..",
        "io.pulse.pipeline.state..", "io.pulse.pipeline.validate..", "io.pulse.pipeline.erasure..",
        "io.pulse.pipeline.telemetry..", "io.pulse.pipeline.entities.."};

    /** The pipeline's internals: how it processes, stores, validates, alerts and serves. */
    private static final String[] PIPELINE_INTERNALS = {"io.pulse.pipeline.processing..", "io.pulse.pipeline.alerts..",
        "io.pulse.pipeline.state..", "io.pulse.pipeline.validate..", "io.pulse.pipeline.http..",
        "io.pulse.pipeline.entities.."};

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("io.pulse");

    @Test
    void shouldReadTheMainClassesOfEveryModule() {
        Set<String> packages = MAIN.stream().map(JavaClass::getPackageName).collect(Collectors.toSet());
        assertThat(packages).contains("io.pulse.contracts", "io.pulse.model", "io.pulse.registry", "io.pulse.infra",
                "io.pulse.simulator", "io.pulse.dashboard", "io.pulse.pipeline", "io.pulse.trainer",
                "io.pulse.evaluation", "io.pulse.cli", "io.pulse.benchmarks", "io.pulse.model.dl4j",
                "io.pulse.deployment.probe");
        assertThat(MAIN.stream().filter(c -> c.getSource().map(s -> s.getUri().toString().contains("test-classes"))
                .orElse(false))).as("test classes imported").isEmpty();
    }

    @Test
    void shouldKeepKafkaOutOfTheModel() {
        ArchRule rule = noClasses().that().resideInAPackage("io.pulse.model..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..")
                .because("the model (features, kernel, bundles) is shared by the trainer and the pipeline and"
                        + " must stay free of Kafka");
        rule.check(MAIN);
    }

    @Test
    void shouldKeepDeeplearning4jOutOfTheServingModel() {
        ArchRule rule = noClasses().that().resideInAPackage("io.pulse.model..")
                .and().resideOutsideOfPackage("io.pulse.model.dl4j..")
                .should().dependOnClassesThat().resideInAnyPackage("org.deeplearning4j..", "org.nd4j..")
                .because("the pipeline serves the plain-Java kernel; Deeplearning4j stays in the trainer's process"
                        + " (io.pulse.model.dl4j, the one definition of the training graph)");
        rule.check(MAIN);
    }

    @Test
    void shouldKeepTestAndBenchmarkCodeOutOfProductionCode() {
        ArchRule rule = noClasses().that().resideInAPackage("io.pulse..").and().resideOutsideOfPackages(TOOLS)
                .should().dependOnClassesThat().resideInAnyPackage(TEST_AND_BENCHMARK_PACKAGES)
                .orShould().dependOnClassesThat().resideInAnyPackage(STREAMS_TEST_UTILS)
                .because("nothing test- or benchmark-only may reach the production class path or the image");
        rule.check(MAIN);
    }

    @Test
    void shouldKeepTestFrameworksOutOfTheDeveloperTools() {
        // the fraud-handbook evaluation drives the production topology with Kafka Streams' TopologyTestDriver (its
        // fast mode), which is why it is a tool outside the image; test frameworks have no place there either
        ArchRule rule = noClasses().that().resideInAnyPackage("io.pulse.evaluation..", "io.pulse.benchmarks..")
                .should().dependOnClassesThat().resideInAnyPackage("io.pulse.testsupport..", "org.junit..",
                        "org.assertj..", "org.awaitility..", "org.openqa.selenium..", "io.pulse.dashboard.testing..");
        rule.check(MAIN);
    }

    @Test
    void shouldKeepProcessorsAwayFromTheWebLayer() {
        ArchRule rule = noClasses().that().resideInAnyPackage(BELOW_HTTP)
                .should().dependOnClassesThat().resideInAPackage("io.pulse.pipeline.http..")
                .because("processors write telemetry through a narrow interface; the HTTP layer reads it");
        rule.check(MAIN);
    }

    @Test
    void shouldKeepTelemetryAtTheBottomOfThePipeline() {
        ArchRule rule = noClasses().that().resideInAPackage("io.pulse.pipeline.telemetry..")
                .should().dependOnClassesThat().resideInAnyPackage("io.pulse.pipeline", "io.pulse.pipeline.processing..",
                        "io.pulse.pipeline.state..", "io.pulse.pipeline.alerts..", "io.pulse.pipeline.erasure..",
                        "io.pulse.pipeline.http..", "io.pulse.pipeline.entities..")
                .because("every layer writes to or reads from telemetry, so it can depend on none of them");
        rule.check(MAIN);
    }

    @Test
    void shouldLetTheWebLayerReadStateWithoutBuildingTheTopology() {
        ArchRule rule = noClasses().that().resideInAPackage("io.pulse.pipeline.http..")
                .should().dependOnClassesThat().belongToAnyOf(PulseTopology.class)
                .orShould().dependOnClassesThat().resideInAnyPackage("io.pulse.pipeline.alerts..",
                        "io.pulse.pipeline.erasure..")
                .orShould().dependOnClassesThat(are(resideInAPackage("io.pulse.pipeline.processing.."))
                        .and(not(equivalentTo(ModelHolder.class))).and(not(equivalentTo(Recommender.class))))
                .because("store names and layouts belong to the state package; the HTTP layer needs only them, the"
                        + " telemetry, the handle on the live model and the on-request recommender (the same code"
                        + " as every prediction's recommendations)");
        rule.check(MAIN);
    }

    @Test
    void shouldKeepThePipelinesInternalsInsideIt() {
        ArchRule rule = noClasses().that().resideOutsideOfPackages("io.pulse.pipeline..", "io.pulse.benchmarks..")
                .should().dependOnClassesThat(are(resideInAnyPackage(PIPELINE_INTERNALS))
                        .and(not(equivalentTo(ModelHolder.class))))
                .because("outside the pipeline, code uses its surface: PulsePipeline, PulseConfig, PulseTopology,"
                        + " TopicProvisioner (io.pulse.pipeline), the metrics it reports (telemetry), the erasure"
                        + " contract (erasure) and the handle on the live model (processing.ModelHolder); the"
                        + " benchmarks measure internals (store names and sizes) as tests do");
        rule.check(MAIN);
    }
}
