#!/usr/bin/env bash
# The test command: installs what the tests need (Debian packages, the two MariaDB server builds, Maven and
# the project's dependencies through the wrapper), then runs unit tests (surefire) and integration tests
# (failsafe, *IT) of every module.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-local-world.sh
# -T 2: modules that do not depend on each other build at once (the four services after the sandbox; the CLI beside
# the benchmarks and the system tests). Much of an integration test is waiting on processes (a node restarting, a
# service starting), so two at a time on two cores cut the suite by minutes; every test that starts a world takes
# its own ports and its own block of 127.x addresses (PodNetwork.forThisProcess), so two at once never collide.
# A failed build ends with a short digest of why (scripts/failure-digest.sh): a CI log is often read by its tail only.
status=0
./mvnw -B -ntp -T 2 verify "$@" || status=$?
if [ "$status" -ne 0 ]; then
  echo "---- why the build failed (scripts/failure-digest.sh; the reports under */target/*-reports hold the rest) ----"
  bash scripts/failure-digest.sh || true
fi
exit "$status"
