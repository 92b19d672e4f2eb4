#!/usr/bin/env bash
# certgate against its closest peer, conftest, on the same inputs in the same run:
# the driver in bench/ (go run ./bench -h). RUNS sets the runs per tool (default 5);
# arguments are passed on (-only REGEXP, -runs N, -keep).
set -euo pipefail
cd "$(dirname "$0")/.."
exec go run ./bench "$@"
