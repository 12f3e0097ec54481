#!/usr/bin/env bash
# The chaos suite: real rolling updates of a 3-node Galera cluster on the local world, each under a writer, each
# with one process (a pxops service or the Kafka broker) killed with SIGKILL at a random moment and started again;
# every trial is checked for the five properties of a safe update. Prints a table and totals, writes a JSON.
#   scripts/chaos.sh                          50 trials, a random seed (printed: rerun it with --seed)
#   scripts/chaos.sh --trials 10 --seed 42    a reproducible plan
#   scripts/chaos.sh --out target/chaos.json --trial-limit PT5M
# The last fifth of the trials run two instances of every service and restart nothing. Bounded: a trial past its
# limit counts as wedged, and the whole run is stopped after trials x (limit + 1 min) + 10 min.
set -euo pipefail
cd "$(dirname "$0")/.."

trials=50
seed=$(date +%s)
out="$PWD/target/chaos.json"
limit=PT5M
usage() { sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --trials) trials="${2:?--trials needs a number}"; shift 2 ;;
    --seed) seed="${2:?--seed needs a number}"; shift 2 ;;
    --out) out="$(realpath -m "${2:?--out needs a file}")"; shift 2 ;;
    --trial-limit) limit="${2:?--trial-limit needs an ISO-8601 duration, e.g. PT5M}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "chaos.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done
[[ "$trials" =~ ^[1-9][0-9]*$ ]] || { echo "chaos.sh: --trials must be a positive whole number: $trials" >&2; exit 2; }
[[ "$seed" =~ ^-?[0-9]+$ ]] || { echo "chaos.sh: --seed must be a whole number: $seed" >&2; exit 2; }
[[ "$limit" =~ ^PT([0-9]+M)?([0-9]+S)?$ && "$limit" != PT ]] || {
  echo "chaos.sh: --trial-limit must look like PT5M or PT90S: $limit" >&2; exit 2; }
limit_s=$(( $(sed -E 's/^PT(([0-9]+)M)?(([0-9]+)S)?$/\2/' <<<"$limit" | sed 's/^$/0/') * 60 \
  + $(sed -E 's/^PT(([0-9]+)M)?(([0-9]+)S)?$/\4/' <<<"$limit" | sed 's/^$/0/') ))
budget=$(( trials * (limit_s + 60) + 600 ))

bash scripts/install-local-world.sh >&2
echo "chaos.sh: $trials trials, seed $seed, trial limit $limit, whole run stopped after ${budget} s; JSON: $out" >&2
mkdir -p "$(dirname "$out")"
rc=0
# timeout runs Maven in a process group of its own and signals all of it at the limit: Maven, the test JVM, the
# services and the database nodes it started; a signal to this script is passed on to that group the same way
timeout --kill-after=60 "$budget" ./mvnw -B -q -ntp -pl system-tests -am verify \
  -Dtest=NoUnitTestsInAChaosRun -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dit.test=ChaosRun -Dchaos.trials="$trials" -Dchaos.seed="$seed" -Dchaos.out="$out" \
  -Dchaos.trialLimit="$limit" >&2 &
run=$!
trap 'kill -TERM -- -"$run" 2>/dev/null || true' TERM INT
wait "$run" || rc=$?
wait "$run" 2>/dev/null || true
report="${out%.json}.txt"
if [ -f "$report" ]; then
  cat "$report"
else
  echo "chaos.sh: no report at $report (exit $rc); see system-tests/target/failsafe-reports/" >&2
fi
[ "$rc" -eq 124 ] && echo "chaos.sh: stopped after ${budget} s" >&2
exit "$rc"
