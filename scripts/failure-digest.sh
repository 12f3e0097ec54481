#!/usr/bin/env bash
# After a failed build: a short digest of why, printed last, where a CI log cut to its tail still shows it.
# For each test class with a failure or an error (surefire and failsafe reports): the failure's first lines, then the
# class's last warnings and errors from its own output (a world's processes, the services' log tails). Every line is
# cut to 240 characters and the whole digest to 60 lines: it points at the cause, the report files hold the rest.
set -uo pipefail
cd "$(dirname "$0")/.."

{
  for report in */target/failsafe-reports/*.txt */target/surefire-reports/*.txt; do
    [ -f "$report" ] || continue
    case "$report" in *-output.txt) continue ;; esac
    grep -qE '<<< (FAILURE|ERROR)!' "$report" || continue
    echo "== $(basename "$report" .txt)"
    # each failed test's name and the first lines of what it threw
    grep -A6 -E '<<< (FAILURE|ERROR)!' "$report" | grep -vE '^\s+at |^--$' | head -n 14
    output="${report%.txt}-output.txt"
    if [ -f "$output" ]; then
      echo "-- its last warnings and errors:"
      # the embedded broker's own warnings (o.a.k.*, at start and at shutdown) say nothing about a failure
      grep -E ' (WARN|ERROR) |"level":"(WARN|ERROR)"| is (Failed|Successful|Progressing|Pending)' "$output" \
        | grep -vE ' o\.a\.k\.|"loggerName":"org\.apache\.kafka' | tail -n 12
    fi
  done
} | cut -c1-240 | head -n 60
