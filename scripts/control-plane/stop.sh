#!/usr/bin/env bash
# Stops the cluster start.sh started: each process by the PID it recorded
# (SIGTERM, then SIGKILL after 10 s), in reverse start order. Leaves the
# state directory (logs) in place; start.sh clears it.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/versions.sh"
. "$here/cluster-env.sh"

pids=$CP_STATE/pids
[[ -f $pids ]] || { echo "control-plane: nothing to stop ($pids absent)" >&2; exit 0; }
tac "$pids" | while read -r name pid; do
  # Only a process still running one of the cache's binaries: a PID the
  # system has since given to another program is left alone.
  exe=$(readlink "/proc/$pid/exe" 2>/dev/null) || continue
  if [[ $exe == "$CP_BIN/"* ]]; then
    echo "control-plane: stopping $name ($pid)" >&2
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  fi
done
rm -f "$pids"
