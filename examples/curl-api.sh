#!/usr/bin/env bash
# Shows: every HTTP endpoint with curl. Run against a daemon: ESCTL_SERVER=http://127.0.0.1:7171
# (add a token with ESCTL_TOKEN). Each command prints what it gets back.
set -euo pipefail
url=${ESCTL_SERVER:-http://127.0.0.1:7171}
auth=()
[ -n "${ESCTL_TOKEN:-}" ] && auth=(-H "Authorization: Bearer $ESCTL_TOKEN")
nd=(-H 'Content-Type: application/x-ndjson')
set -x

# Append to one stream, expecting it not to exist yet (409 with expected/actual if it does).
printf '%s\n' '{"type":"OrderPlaced","data":{"total":12.5}}' '{"type":"OrderPaid","data":{"amount":12.5}}' |
  curl -sS "${auth[@]}" "${nd[@]}" --data-binary @- "$url/streams/orders/42?expect=any"

# Append to several streams atomically; a line may carry its own "expect".
printf '%s\n' '{"stream":"orders/43","type":"OrderPlaced","data":{"total":3}}' \
              '{"stream":"customers/7","type":"OrderLinked","data":{"order":"43"},"expect":"any"}' |
  curl -sS "${auth[@]}" "${nd[@]}" --data-binary @- "$url/events"

# Raw payloads with one type.
printf '%s\n' '{"sku":"A1"}' '{"sku":"B2"}' | curl -sS "${auth[@]}" "${nd[@]}" --data-binary @- "$url/streams/carts/9?type=ItemAdded"

# Read a stream, its latest event, a subtree, everything from a seq, by type.
curl -sS "${auth[@]}" "$url/streams/orders/42"
curl -sS "${auth[@]}" "$url/streams/orders/42?backward=true&limit=1"
curl -sS "${auth[@]}" "$url/streams/orders?recursive=true&type=OrderPlaced"
curl -sS "${auth[@]}" "$url/events?from=1&limit=3"

# List streams; health; facts.
curl -sS "${auth[@]}" "$url/streams?prefix=orders/"
curl -sS "$url/health"
curl -sS "${auth[@]}" "$url/info"

# Watch: history, then live, with heartbeats (here cut off after 2 s).
curl -sS -N "${auth[@]}" --max-time 2 "$url/watch?from=1&heartbeat=1000" || true
