#!/usr/bin/env bash
# Builds what the benchmark needs and runs it: ours (outbox-relay) vs Debezium + EventRouter in Kafka
# Connect standalone, on one embedded PostgreSQL and one Kafka broker (no Docker). About 6 minutes.
# Options go to the program, e.g. relay-benchmark/run.sh --rounds=3 (--help lists them).
# See docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."

# The relay and the benchmark (compiled, with this module's runtime classpath in target/benchmark.classpath).
./mvnw -q -B -pl relay-benchmark -am compile
# The Kafka Connect worker's classpath: connect-runtime + Debezium's connector and EventRouter, without
# Spring Boot's dependency management (peer/pom.xml).
./mvnw -q -B -f relay-benchmark/peer/pom.xml dependency:build-classpath \
    -Dmdep.outputFile="$PWD/relay-benchmark/target/peer.classpath"

extra=()
if [ "$(java -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = //p')" -ge 24 ] 2>/dev/null; then
  extra=(--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED)
fi
exec java -Xmx512m "${extra[@]}" \
    -cp "relay-benchmark/target/classes:$(cat relay-benchmark/target/benchmark.classpath)" \
    dev.sagaplatform.benchmark.RelayBenchmark \
    --peer-classpath-file=relay-benchmark/target/peer.classpath "$@"
