#!/bin/sh
# Start script of the test-only Kafka stand-in: KAFKA_FOO_BAR=x becomes foo.bar=x in server.properties (KAFKA_ stripped,
# lower case, "___" -> "-", "__" -> "_", "_" -> "."), as apache/kafka's image does; the log directory is formatted
# once with CLUSTER_ID; then the broker runs in the foreground.
set -eu
CONFIG=/opt/kafka/config/server.properties
: > "$CONFIG"
env | grep '^KAFKA_' | while IFS='=' read -r name value; do
  case "$name" in
    KAFKA_VERSION|KAFKA_HEAP_OPTS|KAFKA_OPTS|KAFKA_LOG4J_OPTS|KAFKA_JMX_OPTS|KAFKA_JVM_PERFORMANCE_OPTS|\
    KAFKA_GC_LOG_OPTS|KAFKA_LOG4J_ROOT_LOGLEVEL|KAFKA_LOG4J_LOGGERS|KAFKA_TOOLS_LOG4J_LOGLEVEL|KAFKA_JMX_HOSTNAME|\
    KAFKA_JMX_PORT) continue ;;
  esac
  key=$(echo "${name#KAFKA_}" | tr 'A-Z' 'a-z' | sed -e 's/___/-/g' -e 's/__/@/g' -e 's/_/./g' -e 's/@/_/g')
  echo "$key=$value" >> "$CONFIG"
done
echo "kafka stand-in: $(wc -l < "$CONFIG") settings from KAFKA_* variables"
CP="/opt/kafka/libs/*:/app/resources:/app/libs/*"
# shellcheck disable=SC2086
/opt/java/bin/java ${KAFKA_HEAP_OPTS:--Xmx384m} -XX:+UseSerialGC -cp "$CP" kafka.tools.StorageTool format \
  --cluster-id "$CLUSTER_ID" --config "$CONFIG" --ignore-formatted
# shellcheck disable=SC2086
exec /opt/java/bin/java ${KAFKA_HEAP_OPTS:--Xmx384m} -XX:+UseSerialGC -cp "$CP" kafka.Kafka "$CONFIG"
