package io.pulse.cli;

import io.pulse.contracts.schema.PulseTopics;
import io.pulse.infra.LocalInfra;
import io.pulse.infra.LocalInfraConfig;
import io.pulse.infra.internal.ParentWatchdog;
import io.pulse.pipeline.PulseConfig;
import io.pulse.pipeline.PulsePipeline;
import io.pulse.pipeline.TopicProvisioner;
import io.pulse.simulator.SimulationConfig;
import io.pulse.simulator.TerminalCompromises;
import io.pulse.simulator.Timeline;
import io.pulse.simulator.publish.EventPublisher;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code pulse demo}: everything in one command, on this machine, without Docker. A real Kafka broker and Schema
 * Registry; the pipeline with its dashboard and interest-shift alerts on, started at once on its built-in
 * seeded-random model so the dashboard shows predictions within seconds; an initial model with interest heads trained
 * on a simulated history in the background (in a child JVM: Deeplearning4j stays out of the pipeline's process) and
 * hot-swapped in when published, which shows the swap too; a simulator producing
 * live events (with items and categories whose interests drift and switch, devices, and terminals of which some get
 * compromised: {@link #TERMINAL_COMPROMISES}) and delayed labels ({@link #FRAUD_LABEL_DELAY}); and scheduled
 * retraining (another child JVM). Stops cleanly on Ctrl-C or after {@code --duration}.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run Kafka, the Schema Registry, a simulator, the trainer, the pipeline and the dashboard.")
final class DemoCommand implements Callable<Integer> {

    /**
     * The demo's interest-shift alert threshold: above most of what simulated users show between their switches (with
     * {@code InterestShiftAtSwitchesTest}'s small model, the 90th percentile of those events is 0.28 and the 99th
     * 0.44), so that the overview's interest-shift alerts are mostly large moves.
     */
    static final String INTEREST_ALERT_THRESHOLD = "0.4";
    /**
     * The demo's fraud alert threshold, below the pipeline's 0.8 so that payments at a compromised terminal alert once
     * its known frauds arrive (the alert naming the terminal). Measured on the first 12,000 events of the demo's
     * stream (seed 7) scored by the production topology in a TopologyTestDriver with the demo's initial model:
     * genuine payments p99 0.23, max 0.38 (2 of 264 at 0.25 or more); payments at the compromised terminal-1 rise from
     * 0.03 to 0.44 as its known frauds arrive (4 alerts at 0.3, each led by {@code terminal_known_frauds_1d});
     * fraudsters' payments 0.37 to 0.89.
     */
    static final String FRAUD_ALERT_THRESHOLD = "0.3";
    /**
     * Item and category embedding sizes of the demo's models, and an epoch cap: the next-item head's loss keeps
     * falling slowly for many epochs, so without a cap early stopping lets the initial training run for ten minutes
     * and more on two cores; six epochs keep the start-up to a minute or two.
     */
    /**
     * The demo's model: interest heads, and the terminal of each payment as an entity (its windows and known frauds;
     * the pipeline keeps them with {@link #ENTITY_TYPES}), so fraud alerts can name the terminal.
     */
    private static final List<String> INTEREST_OPTIONS = List.of("--interests", "--item-dim", "16",
            "--category-dim", "8", "--epochs", "6", "--entity", "terminal");
    /** The entity types of the demo's pipeline: the simulator's payments carry {@code attr.terminal}. */
    static final String ENTITY_TYPES = "terminal";
    /**
     * The demo's terminals: busy terminals take 60 % of the payments and 4 of them a day become compromised for a
     * simulated day. At the default 300 users and 50 events/s, simulated time runs about 800 times faster than the
     * wall clock (4 minutes are about 54 simulated hours, with about 290 payments), so a 4-minute demo sees several
     * episodes with a few to a dozen frauds each (seed 7: 6 episodes, 16 frauds, 9 of them at one terminal). Without
     * busy terminals a user's payments spread over 10,000 terminals and a compromised one would see nobody.
     */
    static final TerminalCompromises TERMINAL_COMPROMISES = new TerminalCompromises(0.6, 4, Duration.ofDays(1));
    /**
     * The demo's fraud label delay: 1 to 6 simulated hours, about 4 to 27 seconds of the demo, so that known frauds
     * name a compromised terminal while it is still compromised (the simulator's default, 1 to 7 days, is most of a
     * demo's simulated time: hardly any label would arrive).
     */
    static final String FRAUD_LABEL_DELAY = "1h..6h";

    private static final Duration SIMULATOR_STOP = Duration.ofSeconds(10);

    @Spec
    CommandSpec spec;

    @Option(names = "--duration", paramLabel = "DURATION",
            description = "Stop after this long, e.g. 10m (default: run until Ctrl-C).")
    String duration;

    @Option(names = "--rate", defaultValue = "50", paramLabel = "EVENTS_PER_SECOND",
            description = "Live event rate of the simulator (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--users", defaultValue = "300", description = "Simulated users (default: ${DEFAULT-VALUE}).")
    int users;

    @Option(names = "--seed", defaultValue = "7", description = "Simulator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--http-port", defaultValue = "${env:PULSE_HTTP_PORT:-8080}",
            description = "Dashboard and query port (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Mixin
    LocalPortsOptions ports;

    @Option(names = "--data-dir", defaultValue = ".pulse/demo",
            description = "Where the demo keeps its data (broker, registry, state, training reports); wiped at every"
                    + " start (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--train-days", defaultValue = "21",
            description = "Days of simulated history the initial model learns from (default: ${DEFAULT-VALUE}).")
    int trainDays;

    @Option(names = "--retrain-every", defaultValue = "10m", paramLabel = "DURATION",
            description = "Retrain on the live topics this often; 0 to turn off (default: ${DEFAULT-VALUE}).")
    String retrainEvery;

    @Option(names = "--skip-training", description = "No initial training: the pipeline keeps its seeded-random"
            + " model until the first scheduled retraining.")
    boolean skipTraining;

    @Mixin
    TerminalCompromiseOptions terminals;

    @Option(names = "--fraud-label-delay", defaultValue = FRAUD_LABEL_DELAY, paramLabel = "MIN..MAX",
            description = "How long after a fraudulent event (simulated time) its FRAUD label arrives, uniformly"
                    + " between MIN and MAX (default: ${DEFAULT-VALUE}: short, so known frauds reveal a compromised"
                    + " terminal within a few minutes).")
    String fraudLabelDelay;

    @Option(names = "--churn-horizon", defaultValue = "1d", paramLabel = "DURATION",
            description = "Churn means no activity within this long (default: ${DEFAULT-VALUE}: short, so a demo"
                    + " of a few weeks of history has churn outcomes to learn from and to show).")
    String churnHorizon;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        // parse every duration first: a typo should fail now, not after minutes of start-up
        Duration horizon = Durations.parse(churnHorizon);
        Duration retrain = Durations.parse(retrainEvery);
        Duration runFor = duration == null ? null : Durations.parse(duration);
        SimulationConfig simulation = TerminalCompromiseOptions.withLabelDelay(
                terminals.applyTo(simulation(users, seed, horizon)), fraudLabelDelay);
        // the shutdown hook and the main thread both touch it
        List<AutoCloseable> running = new CopyOnWriteArrayList<>();
        CountDownLatch stop = new CountDownLatch(1);
        Thread shutdown = new Thread(() -> {
            stop.countDown();
            closeAll(running, out);
        }, "pulse-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);

        deleteRecursively(dataDir);
        say(out, "1/5 starting Kafka and the Schema Registry on 127.0.0.1 ...");
        LocalInfra infra = LocalInfra.start(ports.applyTo(LocalInfraConfig.builder())
                .dataDir(dataDir.resolve("infra").toAbsolutePath()).clean(true)
                .build()).shutDownAfter(shutdown);
        running.add(infra);
        Map<String, Object> clients = new HashMap<>(Map.of("bootstrap.servers", infra.bootstrapServers(),
                "schema.registry.url", infra.schemaRegistryUrl()));
        TopicProvisioner.ensureTopics(clients, PulseTopics.defaults(6));

        say(out, "2/5 starting the pipeline on its built-in model (seeded random weights) ...");
        Map<String, String> settings = new HashMap<>();
        clients.forEach((key, value) -> settings.put(key, value.toString()));
        settings.put(PulseConfig.HTTP_PORT, Integer.toString(httpPort));
        settings.put(PulseConfig.STATE_DIR, dataDir.resolve("state").toAbsolutePath().toString());
        settings.put(PulseConfig.APPLICATION_ID, "pulse-demo");
        settings.put(PulseConfig.CHURN_HORIZON_MS, Long.toString(horizon.toMillis()));
        settings.put(PulseConfig.INTEREST_ALERT_THRESHOLD, INTEREST_ALERT_THRESHOLD);
        settings.put(PulseConfig.FRAUD_ALERT_THRESHOLD, FRAUD_ALERT_THRESHOLD);
        settings.put(PulseConfig.ENTITIES_TYPES, ENTITY_TYPES);
        // the environment (PULSE_*) still tunes the demo's pipeline; the demo's own wiring wins
        PulsePipeline pipeline = new PulsePipeline(PulseConfig.load(null, System.getenv(), settings)).start();
        running.add(0, pipeline);
        if (!pipeline.awaitRunning(Duration.ofSeconds(120))) {
            say(out, "   the pipeline is not running yet after 2 minutes; continuing (see the log above)");
        }
        String dashboard = "http://127.0.0.1:" + pipeline.httpPort() + "/";
        say(out, "   dashboard: " + dashboard);

        say(out, "3/5 simulating " + users + " users live at " + rate + " events/s ...");
        AtomicLong produced = new AtomicLong();
        Thread simulator = new Thread(() -> {
            try (EventPublisher publisher = new EventPublisher(clients, PulseTopics.USER_EVENTS.name(),
                    PulseTopics.USER_LABELS.name())) {
                publisher.publishPaced(new Timeline(simulation.withStart(Instant.now())), rate, Long.MAX_VALUE, null,
                        produced::set);
                // stopped by an interrupt: the producer's close must not be interrupted too
                Thread.interrupted();
            } catch (RuntimeException e) {
                if (stop.getCount() > 0) {
                    say(out, "   the simulator stopped: " + e.getMessage());
                }
            }
        }, "pulse-demo-simulator");
        simulator.setDaemon(true);
        simulator.start();
        running.add(0, () -> {
            simulator.interrupt();
            simulator.join(SIMULATOR_STOP.toMillis()); // its producer flushes and closes before the broker goes
        });

        Path trainerLog = dataDir.resolve("trainer.log");
        Runnable retraining = () -> {
            if (stop.getCount() == 0) {
                return;
            }
            if (retrain.isZero()) {
                say(out, "5/5 scheduled retraining is off");
                return;
            }
            say(out, "5/5 retraining every " + retrainEvery + " from the live topics (child process, log: "
                    + trainerLog + ")");
            try {
                Process trainer = startTrainer(infra, retrainingArgs(retrainEvery, churnHorizon,
                        dataDir.resolve("train")), trainerLog);
                running.add(0, () -> stopProcess(trainer));
            } catch (IOException e) {
                say(out, "   cannot start the retraining: " + e.getMessage());
            }
        };
        if (skipTraining) {
            say(out, "4/5 skipping the initial training: the pipeline keeps its seeded random weights");
            retraining.run();
        } else {
            say(out, "4/5 training a model on " + trainDays + " days of simulated history in the background (a few"
                    + " minutes; log: " + trainerLog + "); the pipeline switches to it without a restart when it"
                    + " is published");
            Process initial = startTrainer(infra, initialTrainingArgs(simulation, trainDays,
                    dataDir.resolve("train-initial")), trainerLog);
            running.add(0, () -> stopProcess(initial));
            String builtIn = pipeline.models().current().version();
            pipeline.models().onChange(model -> {
                if (!model.version().equals(builtIn)) {
                    say(out, "   the pipeline now serves the trained model " + model.version()
                            + " (hot-swapped, no restart)");
                }
            });
            // one trainer at a time on two cores: the scheduled retraining starts once the first model is out
            initial.onExit().thenAccept(done -> {
                if (done.exitValue() != 0 && stop.getCount() > 0) {
                    say(out, "   the initial training failed (exit " + done.exitValue() + ", see " + trainerLog
                            + "); the pipeline keeps its seeded random weights");
                }
                retraining.run();
            });
        }
        out.printf("%nPulse demo is running.%n");
        out.printf("  Dashboard            : %s%n", dashboard);
        out.printf("  A user               : %susers/<id>  (JSON; the dashboard has a user page)%n", dashboard);
        out.printf("  Kafka                : %s%n", infra.bootstrapServers());
        out.printf("  Schema Registry      : %s  (schema.registry.url for any Confluent client)%n",
                infra.schemaRegistryUrl());
        out.printf("  Topics               : user-events (in), user-predictions, user-interests, churn-alerts,"
                + " fraud-alerts, interest-alerts, user-labels, model-weights%n");
        out.printf("  Metrics              : %smetrics%n", dashboard);
        out.printf("%n%s%n", duration == null ? "Press Ctrl-C to stop." : "Running for " + duration + ".");
        out.flush();

        if (duration == null) {
            stop.await();
        } else if (!stop.await(runFor.toMillis(), TimeUnit.MILLISECONDS)) {
            say(out, "demo duration reached after " + produced.get() + " simulated events; stopping");
        }
        return 0;
    }

    /** The demo's simulation of {@code users} users: its terminal compromises and fraud label delay. */
    static SimulationConfig simulation(int users, long seed, Duration churnHorizon) {
        return TerminalCompromiseOptions.withLabelDelay(SimulationConfig.defaults().withSeed(seed).withUsers(users)
                .withChurnHorizon(churnHorizon).withTerminalCompromises(TERMINAL_COMPROMISES), FRAUD_LABEL_DELAY);
    }

    /** {@link #initialTrainingArgs(SimulationConfig, int, Path)} of the demo's own {@link #simulation}. */
    static List<String> initialTrainingArgs(int users, int days, long seed, String churnHorizon, Path out) {
        return initialTrainingArgs(simulation(users, seed, Durations.parse(churnHorizon)), days, out);
    }

    /**
     * The {@code pulse train} arguments of the initial model: a simulated history of the live simulation's users,
     * seed, terminals (with their compromises) and fraud label delay, so the model learns what a terminal's known frauds
     * mean; with interest heads (next category, next item), so the demo shows interests and recommendations from the
     * start, and the payments' terminals as an entity type.
     */
    static List<String> initialTrainingArgs(SimulationConfig simulation, int days, Path out) {
        List<String> args = new ArrayList<>(List.of("--source", "simulated", "--simulate-users",
                Integer.toString(simulation.users()), "--simulate-days", Integer.toString(days), "--seed",
                Long.toString(simulation.seed()), "--churn-horizon", simulation.churnHorizon().toString(),
                "--fraud-label-delay", simulation.minFraudLabelDelay() + ".." + simulation.maxFraudLabelDelay(),
                "--out", out.toString()));
        args.addAll(TerminalCompromiseOptions.args(simulation.terminalCompromises()));
        args.addAll(INTEREST_OPTIONS);
        return args;
    }

    /** The {@code pulse train} arguments of the scheduled retraining: the live topics, interest heads kept. */
    static List<String> retrainingArgs(String every, String churnHorizon, Path out) {
        List<String> args = new ArrayList<>(List.of("--source", "kafka", "--every", every, "--churn-horizon",
                churnHorizon, "--out", out.toString()));
        args.addAll(INTEREST_OPTIONS);
        return args;
    }

    /**
     * The trainer runs as {@code pulse train} in its own JVM, with this JVM's class path, its output to {@code log}, and
     * ends with this JVM ({@link ParentWatchdog}) even if it started too late for the shutdown to stop it.
     */
    private static Process startTrainer(LocalInfra infra, List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ParentWatchdog.class.getName());
        command.add(Long.toString(ProcessHandle.current().pid()));
        command.add(Pulse.class.getName());
        command.add("train");
        command.addAll(args);
        command.addAll(List.of("--bootstrap-servers", infra.bootstrapServers(), "--schema-registry-url",
                infra.schemaRegistryUrl()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putIfAbsent("OMP_NUM_THREADS", "1");
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return builder.start();
    }

    private static void stopProcess(Process process) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static void closeAll(List<AutoCloseable> running, PrintWriter out) {
        for (AutoCloseable part : running) {
            try {
                part.close();
            } catch (Exception e) {
                out.println("error while stopping: " + e.getMessage());
            }
        }
        running.clear();
        out.println("demo stopped");
        out.flush();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static void say(PrintWriter out, String line) {
        out.println(line);
        out.flush();
    }
}
