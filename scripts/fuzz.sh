#!/usr/bin/env bash
# The longer fuzz run of the doors and decoders (minutes; NOT part of the test suite):
#  1. every jqwik property of events, pipeline-common and request-ingest with many more tries than the suite's
#     200 (JsonCodec over arbitrary bytes/JSON, bounded dead letters, admission, durations, version constraints,
#     both doors' per-record logic and their agreement);
#  2. DoorsFuzz: on the local world's real broker and Kubernetes API, the real Kafka door loop and HTTP server get
#     FUZZ_RECORDS generated hostile records and as many HTTP bodies, then a valid request each.
# Prints: property tries, records tried, dead letters / rejections, 5xx answers, refusals without a rule,
# whether the loop is alive, and whether the valid requests sent last were admitted.
#
#   scripts/fuzz.sh                                  # FUZZ_TRIES=5000 FUZZ_RECORDS=2000
#   FUZZ_TRIES=20000 FUZZ_RECORDS=10000 scripts/fuzz.sh
set -euo pipefail
cd "$(dirname "$0")/.."
TRIES="${FUZZ_TRIES:-5000}"
RECORDS="${FUZZ_RECORDS:-2000}"

status=0
# reports of an earlier run would be counted as this run's
rm -rf events/target/surefire-reports pipeline-common/target/surefire-reports request-ingest/target/surefire-reports \
  request-ingest/target/fuzz-figures.txt
./mvnw -B -q -ntp -pl events,pipeline-common,request-ingest -am verify \
  -Djqwik.tries.default="$TRIES" -Dfuzz.records="$RECORDS" \
  -Dtest='*PropertiesTest,DeadLettersTest' -Dit.test='DoorsFuzz' \
  -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false || status=$?

echo
echo "=== property runs (jqwik, default tries ${TRIES}) ==="
for report in events/target/surefire-reports/*-output.txt pipeline-common/target/surefire-reports/*-output.txt \
    request-ingest/target/surefire-reports/*-output.txt; do
  [ -f "$report" ] || continue
  awk '/^timestamp = / {sub(/^timestamp = [^,]*, /, ""); sub(/ = *$/, ""); prop=$0}
       /^tries = / {printf "  %6d tries  %s\n", $3, prop}' "$report"
done
total=$(cat events/target/surefire-reports/*-output.txt pipeline-common/target/surefire-reports/*-output.txt \
  request-ingest/target/surefire-reports/*-output.txt 2>/dev/null | awk '/^tries = / {s+=$3} END {print s+0}' || true)
failed=$(grep -l "<failure\|<error" events/target/surefire-reports/TEST-*.xml \
  pipeline-common/target/surefire-reports/TEST-*.xml request-ingest/target/surefire-reports/TEST-*.xml 2>/dev/null \
  | wc -l || true)
echo "  property tries in all:             ${total}"
echo "  property classes failing:          ${failed}"
echo
echo "=== doors on the local world (DoorsFuzz) ==="
if [ -f request-ingest/target/fuzz-figures.txt ]; then
  sed 's/^/  /' request-ingest/target/fuzz-figures.txt
else
  echo "  no figures: the run did not get that far (see request-ingest/target/failsafe-reports)"
fi
exit "$status"
