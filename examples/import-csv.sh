#!/usr/bin/env bash
# Shows: importing a CSV file into esctl with jq — one event per row, one stream per order,
# committed in batches of 1,000 (each batch atomic; a failed batch leaves the earlier ones).
#
#   examples/import-csv.sh orders.csv            # against the daemon (ESCTL_SERVER or 127.0.0.1:7171)
#   ESCTL_DATA=./esctl-data examples/import-csv.sh orders.csv   # offline
#
# The CSV has a header line: order_id,customer,total,placed_at
set -euo pipefail
csv=${1:?usage: import-csv.sh FILE.csv}
esctl=${ESCTL:-esctl}
command -v jq >/dev/null || { echo "import-csv.sh needs jq" >&2; exit 2; }

# jq -R reads raw lines; split on commas (no quoted commas in this simple format); skip the header.
tail -n +2 "$csv" |
  jq -R -c 'split(",") | {stream: ("orders/" + .[0]), type: "OrderImported",
                          data: {customer: .[1], total: (.[2] | tonumber), placedAt: .[3]}}' |
  "$esctl" append --batch-size 1000
