/**
 * Scale-out, proven: three pipeline instances with standby replicas on a three-node Kafka cluster
 * ({@link io.pulse.infra.LocalKafkaCluster}, replication factor 3), one killed with SIGKILL under a steady load while the
 * survivors take over its tasks from their standbys. {@link io.pulse.reliability.scaleout.ScaleOutIntegrationTest}
 * checks exactly-once output across the takeover and measures the recovery time; the helpers around it send the load
 * ({@code PacedLoad}), watch the committed output ({@code OutputWatcher}) and the killed instance's transaction
 * ({@code TransactionWatcher}), and read what the instances logged about their assignments and restorations
 * ({@code InstanceLog}).
 */
package io.pulse.reliability.scaleout;
