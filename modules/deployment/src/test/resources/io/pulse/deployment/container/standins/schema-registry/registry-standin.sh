#!/bin/sh
# Start script of the test-only Schema Registry stand-in: Apicurio on the container's loopback, the front on the port
# of SCHEMA_REGISTRY_LISTENERS, with the compatibility level of SCHEMA_REGISTRY_SCHEMA_COMPATIBILITY_LEVEL.
set -eu
/opt/java/bin/java -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.io.tmpdir=/tmp \
  -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port=8082 -Dquarkus.management.enabled=false \
  -Dquarkus.console.color=false -jar /opt/apicurio/*-runner.jar &
# the front listens on every interface of the container's own network namespace (the pipelines reach it as
# schema-registry:8081); the Compose file publishes it on the host's 127.0.0.1 only
listener=${SCHEMA_REGISTRY_LISTENERS:-http://0.0.0.0:8081}
exec /opt/java/bin/java -Xmx32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp /opt/front \
  io.pulse.deployment.container.RegistryFrontStandIn "${listener##*:}" http://127.0.0.1:8082/apis/ccompat/v7 \
  "${SCHEMA_REGISTRY_SCHEMA_COMPATIBILITY_LEVEL:-backward}"
