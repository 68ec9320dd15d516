#!/usr/bin/env bash
# `make bench`: runs scripts/bench.py against .build/release/planner; see docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .build/release/planner ] || swift build -c release --static-swift-stdlib
python3 -c 'import yaml' 2>/dev/null || { echo "bench needs python3 with PyYAML (apt-get install python3-yaml)"; exit 2; }
exec python3 scripts/bench.py "$@"
