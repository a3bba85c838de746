package io.pulse.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Pulse runs Kafka Streams 4.4 on a newer RocksJava than the one Kafka Streams was built against (pom.xml
 * {@code rocksdb.version}). A member that the newer RocksJava removed fails only when it is called
 * ({@code NoSuchMethodError}), so this checks Kafka Streams' compiled classes against the RocksJava on the class path:
 * every RocksDB method, constructor and field they use must exist, except those known to be gone, and Kafka Streams
 * itself must not call those (only a user's {@code RocksDBConfigSetter} could, through the options adapter, and Pulse's
 * does not: it is compiled against the newer RocksJava). Re-read when either version changes.
 */
class RocksJavaCompatibilityTest {

    /** Removed in RocksDB 10.2 (Kafka deprecates the adapter's delegates in 4.5, KAFKA-20867). */
    private static final Set<String> KNOWN_REMOVED = Set.of(
            "org.rocksdb.ColumnFamilyOptions.maxWriteBufferNumberToMaintain()",
            "org.rocksdb.ColumnFamilyOptions.setMaxWriteBufferNumberToMaintain(int)");

    /** Kafka Streams' options adapter, handed to config setters: the only class that delegates to them. */
    private static final String OPTIONS_ADAPTER =
            "org.apache.kafka.streams.state.internals.RocksDBGenericOptionsToDbOptionsColumnFamilyOptionsAdapter";

    /** Kafka Streams' classes, imported with RocksJava's, so that every access resolves or visibly does not. */
    private static final List<JavaClass> STREAMS = new ClassFileImporter()
            .importPackages("org.apache.kafka.streams", "org.rocksdb").stream()
            .filter(c -> c.getPackageName().startsWith("org.apache.kafka.streams"))
            .toList();

    @Test
    void shouldFindEveryRocksDbMemberKafkaStreamsUsesInTheRocksJavaOnTheClassPathButTheKnownRemovedOnes() {
        List<JavaAccess<?>> toRocksDb = STREAMS.stream()
                .flatMap(c -> c.getAccessesFromSelf().stream())
                .filter(a -> a.getTargetOwner().getPackageName().startsWith("org.rocksdb"))
                .collect(Collectors.toList());
        // Object's methods called through a RocksDB interface (getClass) resolve to no RocksDB member: not RocksDB's
        Set<String> unresolved = toRocksDb.stream()
                .filter(a -> a.getTarget().resolveMember().isEmpty())
                .filter(a -> !a.getTarget().getName().equals("getClass"))
                .map(a -> a.getTarget().getFullName())
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> callers = toRocksDb.stream()
                .filter(a -> KNOWN_REMOVED.contains(a.getTarget().getFullName()))
                .map(a -> a.getOriginOwner().getName())
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(toRocksDb).as("Kafka Streams' uses of RocksDB, read from its classes").hasSizeGreaterThan(100);
        assertThat(unresolved).as("RocksDB members Kafka Streams uses that the RocksJava on the class path lacks")
                .isSubsetOf(KNOWN_REMOVED);
        assertThat(callers).as("who uses the removed members").containsOnly(OPTIONS_ADAPTER);
        assertThat(STREAMS.stream()
                .filter(c -> !c.getName().equals(OPTIONS_ADAPTER)) // its own bridge methods call its delegates
                .flatMap(c -> c.getMethodCallsFromSelf().stream())
                .filter(call -> call.getTargetOwner().getName().equals(OPTIONS_ADAPTER))
                .map(call -> call.getTarget().getName())
                .filter(name -> name.contains("MaxWriteBufferNumberToMaintain")
                        || name.equals("maxWriteBufferNumberToMaintain"))
                .toList())
                .as("Kafka Streams' own calls of the adapter's delegates to the removed members")
                .isEmpty();
    }
}
