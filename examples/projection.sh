#!/usr/bin/env bash
# Shows: a projection built with `esctl watch | jq` — a running total of every OrderPlaced
# event, updated as events arrive (history first, then live). Ctrl-C to stop.
#
#   examples/projection.sh                      # prints "total=<sum> after seq <seq>" per event
#   examples/projection.sh orders               # only the streams below orders/
set -euo pipefail
esctl=${ESCTL:-esctl}
command -v jq >/dev/null || { echo "projection.sh needs jq" >&2; exit 2; }
stream=${1:-}

# --type filters on the server; jq -n with `foreach inputs` keeps the running total across lines.
"$esctl" watch ${stream:+"$stream" --recursive} --type OrderPlaced |
  jq -n --unbuffered -r 'foreach inputs as $e (0; . + ($e.data.total // 0); "total=\(.) after seq \($e.seq)")'
