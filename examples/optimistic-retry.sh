#!/usr/bin/env bash
# Shows: optimistic concurrency from bash — read a stream's version, decide, append expecting
# exactly that version, and on a conflict (exit code 3) read again and retry.
#
#   examples/optimistic-retry.sh accounts/42 25     # deposits 25, safely against concurrent writers
set -euo pipefail
esctl=${ESCTL:-esctl}
command -v jq >/dev/null || { echo "optimistic-retry.sh needs jq" >&2; exit 2; }
stream=${1:?usage: optimistic-retry.sh STREAM AMOUNT}
amount=${2:?usage: optimistic-retry.sh STREAM AMOUNT}

for attempt in 1 2 3 4 5 6 7 8 9 10; do
  # Versions are dense, so the number of events is the current version (exit code 4: no stream yet).
  events=$("$esctl" read "$stream" 2>/dev/null) || events=""
  version=$(printf '%s' "$events" | jq -s 'length')
  balance=$(printf '%s' "$events" | jq -s 'map(.data.amount) | add // 0')
  set +e
  echo "{\"type\":\"Deposited\",\"data\":{\"amount\":$amount,\"balanceBefore\":$balance}}" |
    "$esctl" append "$stream" --expect "$version" >/dev/null
  rc=$?
  set -e
  case $rc in
    0) echo "deposited $amount at version $((version + 1)) (attempt $attempt)"; exit 0 ;;
    3) echo "version conflict at $version, retrying" >&2; sleep 0.0$((RANDOM % 9 + 1)) ;;
    *) exit $rc ;;
  esac
done
echo "gave up after 10 conflicts" >&2
exit 3
