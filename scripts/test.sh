#!/usr/bin/env bash
# The test command: installs what the tests need (Debian packages, the two MariaDB server builds, Maven and
# the project's dependencies through the wrapper), then runs unit tests (surefire) and integration tests
# (failsafe, *IT) of every module.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-local-world.sh
exec ./mvnw -B -ntp verify "$@"
