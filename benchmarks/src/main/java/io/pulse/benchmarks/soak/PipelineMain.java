package io.pulse.benchmarks.soak;

import io.pulse.pipeline.PulseConfig;
import io.pulse.pipeline.PulsePipeline;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code PipelineMain key=value ...}: the pipeline alone, as {@code pulse pipeline --set key=value} runs it, for the
 * soak benchmark's child JVM (the benchmarks module cannot depend on the launcher, which depends on it).
 */
public final class PipelineMain {

    private PipelineMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> settings = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("expected key=value, got " + arg);
            }
            settings.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        PulsePipeline pipeline = new PulsePipeline(new PulseConfig(settings));
        Runtime.getRuntime().addShutdownHook(new Thread(pipeline::close, "pipeline-shutdown"));
        pipeline.start().awaitStop();
    }
}
