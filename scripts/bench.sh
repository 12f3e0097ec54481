#!/usr/bin/env bash
# The benchmark suite on the local world: prints a table and writes target/benchmarks.json.
#   scripts/bench.sh                              everything (about 45 minutes on 2 cores, most of it 10,000 databases)
#   scripts/bench.sh --suites latency             one suite: latency, overhead, fleet, cost
#   scripts/bench.sh --fleet 100,1000 --help      options
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-local-world.sh >&2
./mvnw -B -q -ntp -DskipTests install -pl benchmarks -am >&2
exec java -XX:+UseSerialGC -Xmx6g -cp "benchmarks/target/classes:$(cat benchmarks/target/classpath.txt)" \
  io.pxops.benchmarks.BenchmarkMain "$@"
