#!/bin/sh
# Kafka's own tool (kafka-tools 4.4.0), at the path apache/kafka's image has it, for the Compose health check.
exec /opt/java/bin/java -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "/opt/kafka/libs/*:/app/resources:/app/libs/*" \
  org.apache.kafka.tools.BrokerApiVersionsCommand "$@"
