#!/bin/sh
# Writes src/kubectl/testdata/dry_run/*: real kubectl's client dry-run
# output (offline: no cluster needed) for the command lines kubeplay's tests
# compare byte for byte. Usage: scripts/kubectl-dry-run-fixtures.sh [KUBECTL]
# (default: kubectl.1.27 beside the kubectl on PATH).
set -eu
K=${1:-$(dirname "$(readlink -f "$(command -v kubectl)")")/kubectl.1.27}
out=$(dirname "$0")/../src/kubectl/testdata/dry_run
mkdir -p "$out"
"$K" version --client -o yaml | grep gitVersion > "$out/KUBECTL_VERSION"
fixture() { name=$1; shift; "$K" "$@" > "$out/$name" 2>&1 || true; }
fixture create_deployment.yaml create deployment x --image=nginx --dry-run=client -o yaml
fixture create_deployment_ports.yaml create deployment web --image=nginx:1.25 --image=busybox --replicas=3 --port=80 -n demo --dry-run=client -o yaml
fixture create_deployment.txt create deployment x --image=nginx --dry-run=client
fixture create_deployment_name.txt create deployment x --image=nginx --dry-run=client -o name
