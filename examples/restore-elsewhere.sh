#!/usr/bin/env bash
# restore-elsewhere.sh: copy a live esctl store to another machine and prove it arrived intact.
#
# What it shows: `esctl snapshot -o -` streamed through ssh into `esctl restore -` on the other
# machine, with no temporary file on either side (zstd on the wire when both have it). The
# snapshot is a consistent cut taken while appends go on; restore checks every file's SHA-256
# against the snapshot's manifest and every frame of the log (CRCs, seqs, the hash chain), and
# renames the new data directory into place only at the end. Then both sides print the head
# hash at the cut seq: the hash chain makes it a digest of the whole history, so equal hash at
# equal seq means the same events. Finally fsck checks the copy where it now lives.
#
#   examples/restore-elsewhere.sh HOST REMOTE_DIR
#   examples/restore-elsewhere.sh backup-1 /var/lib/esctl-copy
#   HOST "local" runs the "remote" side here (a dry run):
#   examples/restore-elsewhere.sh local /tmp/esctl-copy
#
# Settings (environment):
#   ESCTL         local esctl  (default: esctl on PATH, else scripts/esctl of this checkout)
#   REMOTE_ESCTL  esctl on HOST (default: esctl; for "local", the same as ESCTL)
#   ESCTL_SERVER / ESCTL_DATA   the store to copy (default: the daemon at http://127.0.0.1:7171)
# With a file instead of a pipe:
#   esctl snapshot -o snap.tar && scp snap.tar HOST: && ssh HOST esctl restore snap.tar --data DIR
set -euo pipefail

[ $# -eq 2 ] || { echo "usage: $0 HOST REMOTE_DIR   (HOST 'local' for a dry run here)" >&2; exit 2; }
host=$1 dir=$2
here=$(cd "$(dirname "$0")" && pwd)
ESCTL=${ESCTL:-$(command -v esctl || echo "$here/../scripts/esctl")}
if [ "$host" = local ]; then REMOTE_ESCTL=${REMOTE_ESCTL:-$ESCTL}; else REMOTE_ESCTL=${REMOTE_ESCTL:-esctl}; fi

remote() { # remote COMMAND: runs a shell command on HOST
  if [ "$host" = local ]; then bash -c "$1"; else ssh -o BatchMode=yes "$host" "$1"; fi
}
q() { printf '%q' "$1"; }

compress=cat decompress=cat
if command -v zstd >/dev/null && remote "command -v zstd >/dev/null"; then compress="zstd -q -T0" decompress="zstd -q -d"; fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
set +e
"$ESCTL" snapshot -o - 2>"$work/snapshot.err" | $compress \
  | remote "$decompress | $(q "$REMOTE_ESCTL") restore - --data $(q "$dir")" 2>"$work/restore.err"
status=("${PIPESTATUS[@]}")
set -e
cat "$work/snapshot.err" "$work/restore.err" >&2
[ "${status[0]}" -eq 0 ] || { echo "restore-elsewhere: the snapshot failed; nothing usable was restored" >&2; exit 1; }
[ "${status[2]}" -eq 0 ] || { echo "restore-elsewhere: the restore on $host failed (exit ${status[2]}); $dir was not created or changed" >&2; exit 1; }

# "snapshot at cut seq N (head hash H)" here, "at seq N, head hash H" there.
here_cut=$(sed -nE 's/.*snapshot at cut seq ([0-9]+) \(head hash ([0-9a-f]{64})\).*/\1 \2/p' "$work/snapshot.err")
there_cut=$(sed -nE 's/.*restored .* at seq ([0-9]+), head hash ([0-9a-f]{64}).*/\1 \2/p' "$work/restore.err")
echo "source at the cut:   seq/hash $here_cut"
echo "restored on $host: seq/hash $there_cut"
[ -n "$here_cut" ] && [ "$here_cut" = "$there_cut" ] || { echo "restore-elsewhere: the head hashes differ" >&2; exit 1; }

remote "$(q "$REMOTE_ESCTL") fsck --data $(q "$dir")" >/dev/null || { echo "restore-elsewhere: fsck of $dir on $host found damage" >&2; exit 1; }
echo "restore-elsewhere: $dir on $host holds the same events as the source at the cut, and checks clean"
