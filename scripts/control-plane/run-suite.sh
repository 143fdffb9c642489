#!/usr/bin/env bash
# The real-cluster suite: builds (or reuses) the control plane, starts it,
# runs real-cluster/ with the kubectl backend against it, and stops it,
# also when the run fails or is interrupted.
#
#   scripts/control-plane/run-suite.sh [kubeplay run options] [paths]
#
# Without paths it runs real-cluster/. KUBEPLAY names the kubeplay program
# (default: `cargo run --release --locked --`).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
. "$here/versions.sh"
. "$here/cluster-env.sh"

"$here/build.sh"
trap '"$here/stop.sh"' EXIT
"$here/start.sh" >/dev/null

args=("$@")
has_path=0
for a in "${args[@]}"; do [[ -e $a ]] && has_path=1; done
((has_path)) || args+=("$repo/real-cluster")

read -r -a kubeplay <<<"${KUBEPLAY:-cargo run --release --locked --}"
cd "$repo"
"${kubeplay[@]}" run --backend kubectl --fake-nodes \
  --kubeconfig "$CP_KUBECONFIG" --context "$CP_CONTEXT" --kubectl "$CP_BIN/kubectl" \
  "${args[@]}"
