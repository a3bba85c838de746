package io.pulse.reliability.scaleout;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one pipeline instance said about its own membership and state, read from its log: Kafka Streams' state
 * transitions, the task assignments it received (active and standby), the changelog restorations it finished and when
 * its consumer was told to rejoin the group. The instances log with {@link #LOGBACK_PATTERN}, whose timestamps carry
 * the date and zone, so the times compare with this JVM's clock.
 */
final class InstanceLog {

    /** The logback pattern the instances are started with (see {@link #logbackConfiguration()}). */
    static final String LOGBACK_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{36} - %msg%n";

    private static final Pattern LINE = Pattern.compile(
            "^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(?:Z|[+-]\\d\\d:\\d\\d)) +(\\w+) +(\\S+) - (.*)$");
    private static final Pattern STATE_TRANSITION = Pattern.compile(
            "stream-client \\[([^\\]]+)] State transition from (\\w+) to (\\w+)");
    private static final Pattern RESTORED = Pattern.compile(
            "Finished restoring changelog (\\S+)-(\\d+) to store (\\S+) with a total number of (\\d+) records");
    private static final Pattern REJOIN = Pattern.compile("Request joining group due to: (.*)");
    private static final Pattern TASK_LIST = Pattern.compile("\\t(New active|New standby|Existing active|Existing"
            + " standby) tasks: \\[([^\\]]*)]");

    /** Kafka Streams moved from one state to another. */
    record Transition(long atMillis, String from, String to) {
    }

    /** A finished restoration of one changelog partition into one store, after which the task may process. */
    record Restoration(long atMillis, String changelog, int partition, String store, long records) {
    }

    /** One assignment: the active and standby tasks it gives, and those the instance had until then. */
    record Assignment(long atMillis, Set<String> active, Set<String> standby, Set<String> previousActive,
            Set<String> previousStandby) {

        /** Tasks this assignment makes active here that were standbys here until now: promoted standbys. */
        Set<String> promotedFromStandby() {
            Set<String> promoted = new TreeSet<>(active);
            promoted.removeAll(previousActive);
            promoted.retainAll(previousStandby);
            return promoted;
        }

        /** Tasks this assignment makes active here that were not active here until now. */
        Set<String> newlyActive() {
            Set<String> added = new TreeSet<>(active);
            added.removeAll(previousActive);
            return added;
        }
    }

    /** The consumer was asked to rejoin its group (a rebalance began). */
    record Rejoin(long atMillis, String reason) {
    }

    private final List<Transition> transitions = new ArrayList<>();
    private final List<Restoration> restorations = new ArrayList<>();
    private final List<Assignment> assignments = new ArrayList<>();
    private final List<Rejoin> rejoins = new ArrayList<>();
    private String clientId;

    private InstanceLog() {
    }

    /** Parses a log; lines not written with {@link #LOGBACK_PATTERN} (a JVM warning, a stack trace) are skipped. */
    static InstanceLog parse(String text) {
        InstanceLog log = new InstanceLog();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            Matcher line = LINE.matcher(lines.get(i));
            if (!line.matches()) {
                continue;
            }
            long at = OffsetDateTime.parse(line.group(1)).toInstant().toEpochMilli();
            String message = line.group(4);
            Matcher m;
            if ((m = STATE_TRANSITION.matcher(message)).find()) {
                log.clientId = m.group(1);
                log.transitions.add(new Transition(at, m.group(2), m.group(3)));
            } else if ((m = RESTORED.matcher(message)).find()) {
                log.restorations.add(new Restoration(at, m.group(1), Integer.parseInt(m.group(2)), m.group(3),
                        Long.parseLong(m.group(4))));
            } else if ((m = REJOIN.matcher(message)).find()) {
                log.rejoins.add(new Rejoin(at, m.group(1)));
            } else if (message.contains("Handle new assignment with:")) {
                // a multi-line message: the four task lists follow on lines of their own, each starting with a tab;
                // "New" is the whole assignment just received, "Existing" what the instance had until then
                Map<String, Set<String>> lists = new HashMap<>();
                for (int j = i + 1; j < lines.size() && lines.get(j).startsWith("\t"); j++) {
                    Matcher list = TASK_LIST.matcher(lines.get(j));
                    if (list.find()) {
                        Set<String> tasks = new TreeSet<>();
                        for (String task : list.group(2).split(",")) {
                            if (!task.isBlank()) {
                                tasks.add(task.strip());
                            }
                        }
                        lists.put(list.group(1), tasks);
                    }
                }
                log.assignments.add(new Assignment(at,
                        lists.getOrDefault("New active", Set.of()), lists.getOrDefault("New standby", Set.of()),
                        lists.getOrDefault("Existing active", Set.of()),
                        lists.getOrDefault("Existing standby", Set.of())));
            }
        }
        return log;
    }

    /** The Kafka Streams client id ({@code <application.id>-<process id>}), the prefix of its transactional ids. */
    Optional<String> clientId() {
        return Optional.ofNullable(clientId);
    }

    List<Transition> transitions() {
        return transitions;
    }

    List<Restoration> restorations() {
        return restorations;
    }

    List<Assignment> assignments() {
        return assignments;
    }

    /** The latest assignment received before {@code atMillis}. */
    Optional<Assignment> assignmentBefore(long atMillis) {
        return assignments.stream().filter(a -> a.atMillis() < atMillis).reduce((first, second) -> second);
    }

    /** The first request to rejoin the group at or after {@code atMillis}. */
    Optional<Rejoin> firstRejoinAfter(long atMillis) {
        return rejoins.stream().filter(r -> r.atMillis() >= atMillis).findFirst();
    }

    /** The first transition into {@code to} at or after {@code atMillis}. */
    Optional<Transition> firstTransitionAfter(long atMillis, String to) {
        return transitions.stream().filter(t -> t.atMillis() >= atMillis && t.to().equals(to)).findFirst();
    }

    /**
     * A logback configuration for the instances: Pulse at INFO, Kafka at WARN except the few Kafka Streams and consumer
     * classes whose INFO lines say when a rebalance began, which tasks (active and standby) an instance was given,
     * how many records each restoration replayed, and every state transition.
     */
    static String logbackConfiguration() {
        return """
                <configuration>
                  <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
                    <target>System.err</target>
                    <encoder><pattern>%s</pattern></encoder>
                  </appender>
                  <logger name="io.pulse" level="INFO"/>
                  <logger name="org.apache.kafka" level="WARN"/>
                  <logger name="kafka" level="WARN"/>
                  <logger name="org.apache.kafka.streams.KafkaStreams" level="INFO"/>
                  <logger name="org.apache.kafka.streams.processor.internals.TaskManager" level="INFO"/>
                  <logger name="org.apache.kafka.streams.processor.internals.StoreChangelogReader" level="INFO"/>
                  <logger name="org.apache.kafka.clients.consumer.internals.ConsumerCoordinator" level="INFO"/>
                  <root level="WARN">
                    <appender-ref ref="STDERR"/>
                  </root>
                </configuration>
                """.formatted(LOGBACK_PATTERN);
    }
}
