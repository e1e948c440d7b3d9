#!/usr/bin/env bash
# cron-snapshot.sh: a nightly snapshot of an esctl store, keeping the last N.
#
# What it shows: `esctl snapshot` run from cron. It is quiet when all is well and prints
# what went wrong (exiting non-zero) when not, so cron mails only failures. A snapshot is a
# consistent cut of the live store taken while appends go on; esctl writes it as FILE.tmp,
# forces it and renames it, so a run killed halfway never leaves a file that looks good.
# Older snapshots are pruned only after a new one succeeded. VERIFY=1 also restores the new
# snapshot into a scratch directory (checking every checksum and frame) and deletes it: a
# backup is only as good as its last restore.
#
#   crontab -e:
#   17 3 * * *  SNAPSHOT_DIR=/var/backups/esctl KEEP=14 /opt/esctl/examples/cron-snapshot.sh
#
# Settings (environment):
#   ESCTL         the esctl command      (default: esctl on PATH, else scripts/esctl of this checkout)
#   ESCTL_SERVER  the daemon to snapshot (default http://127.0.0.1:7171); or ESCTL_DATA=DIR for
#                 a data directory (works whether or not a daemon runs on it)
#   SNAPSHOT_DIR  where snapshots go     (default /var/backups/esctl)
#   KEEP          snapshots to keep      (default 7)
#   VERIFY        1 to test-restore each new snapshot (default 0)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
ESCTL=${ESCTL:-$(command -v esctl || echo "$here/../scripts/esctl")}
SNAPSHOT_DIR=${SNAPSHOT_DIR:-/var/backups/esctl}
KEEP=${KEEP:-7}
VERIFY=${VERIFY:-0}

fail() { echo "cron-snapshot: $*" >&2; exit 1; }
[[ "$KEEP" =~ ^[1-9][0-9]*$ ]] || fail "KEEP must be a positive number, got '$KEEP'"
mkdir -p "$SNAPSHOT_DIR" || fail "cannot create $SNAPSHOT_DIR"

# One run at a time: a slow snapshot must not overlap the next night's.
exec 9>"$SNAPSHOT_DIR/.cron-snapshot.lock"
flock -n 9 || fail "another run is still going (lock $SNAPSHOT_DIR/.cron-snapshot.lock)"

# Leftovers of runs that were killed: never valid snapshots (they lack their manifest).
find "$SNAPSHOT_DIR" -maxdepth 1 -name 'esctl-*.tar.tmp' -mmin +60 -delete

file="$SNAPSHOT_DIR/esctl-$(date -u +%Y%m%dT%H%M%SZ).tar"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! "$ESCTL" snapshot -o "$file" >"$log" 2>&1; then
  cat "$log" >&2
  fail "snapshot to $file failed (exit above); older snapshots were kept"
fi

if [ "$VERIFY" = 1 ]; then
  scratch=$(mktemp -d "$SNAPSHOT_DIR/.verify.XXXXXX")
  if ! "$ESCTL" restore "$file" --data "$scratch/store" >>"$log" 2>&1; then
    rm -rf "$scratch"
    cat "$log" >&2
    fail "the new snapshot $file does not restore; it was kept for inspection, nothing was pruned"
  fi
  rm -rf "$scratch"
fi

# Keep the newest $KEEP (names sort by time).
mapfile -t all < <(find "$SNAPSHOT_DIR" -maxdepth 1 -name 'esctl-*.tar' -printf '%f\n' | sort)
for ((i = 0; i < ${#all[@]} - KEEP; i++)); do rm -f -- "$SNAPSHOT_DIR/${all[$i]}"; done

# Success is silent for cron; run it by hand with VERBOSE=1 to see the cut and throughput.
if [ "${VERBOSE:-0}" = 1 ]; then grep -h '^esctl:' "$log"; fi
