#!/usr/bin/env bash
# Starts a local Kubernetes cluster on loopback from the binaries build.sh
# made: etcd, kube-apiserver (TLS, client-certificate auth, RBAC),
# kube-controller-manager, kube-scheduler and kwok playing the kubelets of
# fake nodes. Writes a kubeconfig with one context, waits until the cluster
# is ready, and leaves the processes running; stop.sh stops them by PID.
#
#   scripts/control-plane/start.sh        # prints the kubeconfig and context
#
# Every listening socket is on 127.0.0.1. Ports (override with the
# variables): apiserver CP_APISERVER_PORT (16443), etcd client/peer
# CP_ETCD_PORT (16379) and +1, kwok's kubelet server CP_KWOK_PORT (16250).
# The controller manager and the scheduler serve no port (--secure-port=0).
#
# Nodes: kwok-node-0, kwok-node-1, kwok-node-2. Untainted, labels
# kubernetes.io/hostname=<name>, kubernetes.io/os=linux,
# kubernetes.io/arch=amd64, type=kwok, and kwok-node-0 also
# disktype=ssd; capacity cpu 4, memory 16Gi, pods 110; InternalIP
# 127.0.0.1 (loopback, so nothing the apiserver would dial leaves the
# machine); kubelet version the control plane's (the VERSION column of
# `kubectl get nodes`, as a kubelet of the same release reports it; kwok
# keeps it), the other nodeInfo fields kwok's own (kwok-v0.8.0).
#
# How pods behave (kwok's stages, copied by build.sh from kwok's module,
# kustomize/stage/...): a scheduled pod goes Running and Ready at once
# (pod/fast/pod-ready); a Running pod owned by a Job (ownerReferences kind
# Job) goes Succeeded with every container terminated exit 0, reason
# Completed (pod/fast/pod-complete); a pod labelled
# pod-container-running-failed.stage.kwok.x-k8s.io=true goes Failed about
# 1-2 s after Running, exit code from its annotation
# pod-container-running-failed.stage.kwok.x-k8s.io/exit-code (default 1,
# reason containerFailed), and this stage wins over pod-complete (weight
# 10000 against 0), so a Job whose pod template carries the label fails
# every pod (pod/chaos/pod-container-running-failed); a deleted pod is
# removed at once (pod/fast/pod-delete). Nodes go Ready on creation and renew
# their leases (node/fast/node-initialize, node/heartbeat-with-lease). There
# is no kubelet: no images are pulled, no container runs, so there are no
# logs, exec, attach, port-forward, restarts, probes or resource metrics.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/versions.sh"
. "$here/cluster-env.sh"

say() { printf 'control-plane: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok; do
  [[ -x $CP_BIN/$b ]] || die "missing $CP_BIN/$b: run scripts/control-plane/build.sh first"
done
if [[ -f $CP_STATE/pids ]]; then
  alive=0
  while read -r _ pid; do kill -0 "$pid" 2>/dev/null && alive=1; done <"$CP_STATE/pids"
  ((alive)) && die "already running (pids in $CP_STATE/pids); stop it with stop.sh"
fi
command -v openssl >/dev/null || die "openssl is needed for the cluster's certificates"

rm -rf "$CP_STATE"
mkdir -p "$CP_STATE/pki" "$CP_STATE/logs"
chmod 700 "$CP_STATE"
: >"$CP_STATE/pids"
P=$CP_STATE/pki

# On any failure before the cluster is ready, stop what was started.
ready=0
trap '((ready)) || { say "start failed; stopping what was started (logs in $CP_STATE/logs)"; "$here/stop.sh" >/dev/null 2>&1; }' EXIT

# One CA; the apiserver's serving cert, an admin client cert (group
# system:masters) used by kubectl and by the components, and the service
# account signing key. Same scheme as kwokctl's pki.go.
say "writing certificates in $P"
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=kubeplay-control-plane-ca" \
  -keyout "$P/ca.key" -out "$P/ca.crt" 2>/dev/null
cert() { # cert <name> <subject> <extendedKeyUsage> [subjectAltName]
  openssl req -newkey rsa:2048 -nodes -subj "$2" -keyout "$P/$1.key" -out "$P/$1.csr" 2>/dev/null
  {
    echo 'basicConstraints=CA:FALSE'
    echo 'keyUsage=critical,digitalSignature,keyEncipherment'
    echo "extendedKeyUsage=$3"
    [[ -n ${4:-} ]] && echo "subjectAltName=$4"
  } >"$P/$1.ext"
  openssl x509 -req -in "$P/$1.csr" -CA "$P/ca.crt" -CAkey "$P/ca.key" -CAcreateserial \
    -days 3650 -extfile "$P/$1.ext" -out "$P/$1.crt" 2>/dev/null
}
cert apiserver "/CN=kube-apiserver" serverAuth \
  "DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:127.0.0.1,IP:10.96.0.1"
cert admin "/O=system:masters/CN=kubeplay-admin" clientAuth
cert kwok "/CN=kwok" serverAuth,clientAuth "DNS:localhost,IP:127.0.0.1"
openssl genrsa -out "$P/sa.key" 2048 2>/dev/null

server=https://127.0.0.1:$CP_APISERVER_PORT
cat >"$CP_KUBECONFIG" <<KC
apiVersion: v1
kind: Config
clusters:
- name: $CP_CONTEXT
  cluster:
    server: $server
    certificate-authority: $P/ca.crt
users:
- name: $CP_CONTEXT-admin
  user:
    client-certificate: $P/admin.crt
    client-key: $P/admin.key
contexts:
- name: $CP_CONTEXT
  context:
    cluster: $CP_CONTEXT
    user: $CP_CONTEXT-admin
current-context: $CP_CONTEXT
KC
chmod 600 "$CP_KUBECONFIG"
kubectl() { "$CP_BIN/kubectl" --kubeconfig="$CP_KUBECONFIG" "$@"; }

run() { # run <name> <program> <args...>: starts a process in the background
  local name=$1
  shift
  say "starting $name"
  "$@" >"$CP_STATE/logs/$name.log" 2>&1 &
  echo "$name $!" >>"$CP_STATE/pids"
}
wait_for() { # wait_for <what> <seconds> <command...>
  local what=$1 limit=$2 t0=$SECONDS
  shift 2
  until "$@" >/dev/null 2>&1; do
    ((SECONDS - t0 < limit)) || die "$what not ready after ${limit}s (logs in $CP_STATE/logs)"
    while read -r name pid; do
      kill -0 "$pid" 2>/dev/null || die "$name exited; last lines of its log:
$(tail -n 15 "$CP_STATE/logs/$name.log")"
    done <"$CP_STATE/pids"
    sleep 0.5
  done
  say "$what ready after $((SECONDS - t0))s"
}

etcd_url=http://127.0.0.1:$CP_ETCD_PORT
run etcd "$CP_BIN/etcd" --name=node0 --data-dir="$CP_STATE/etcd" --unsafe-no-fsync \
  --listen-client-urls="$etcd_url" --advertise-client-urls="$etcd_url" \
  --listen-peer-urls="http://127.0.0.1:$((CP_ETCD_PORT + 1))" \
  --initial-advertise-peer-urls="http://127.0.0.1:$((CP_ETCD_PORT + 1))" \
  --initial-cluster="node0=http://127.0.0.1:$((CP_ETCD_PORT + 1))" \
  --log-level=warn
wait_for etcd 30 curl -sf "$etcd_url/health"

# --advertise-address=127.0.0.1 with --endpoint-reconciler-type=none: the
# apiserver otherwise derives its address from the default route and
# publishes it in the `kubernetes` Endpoints; a loopback address there fails
# validation, so this cluster publishes none (no pod talks to it anyway).
run kube-apiserver "$CP_BIN/kube-apiserver" \
  --etcd-servers="$etcd_url" \
  --bind-address=127.0.0.1 --secure-port="$CP_APISERVER_PORT" \
  --advertise-address=127.0.0.1 --endpoint-reconciler-type=none \
  --cert-dir="$CP_STATE/apiserver" \
  --tls-cert-file="$P/apiserver.crt" --tls-private-key-file="$P/apiserver.key" \
  --client-ca-file="$P/ca.crt" \
  --kubelet-client-certificate="$P/admin.crt" --kubelet-client-key="$P/admin.key" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$P/sa.key" --service-account-signing-key-file="$P/sa.key" \
  --service-cluster-ip-range=10.96.0.0/16 \
  --authorization-mode=Node,RBAC --allow-privileged=true
wait_for kube-apiserver 180 kubectl get --raw=/readyz

run kube-controller-manager "$CP_BIN/kube-controller-manager" \
  --kubeconfig="$CP_KUBECONFIG" --secure-port=0 --leader-elect=false \
  --use-service-account-credentials=true \
  --service-account-private-key-file="$P/sa.key" --root-ca-file="$P/ca.crt" \
  --cluster-signing-cert-file="$P/ca.crt" --cluster-signing-key-file="$P/ca.key" \
  --service-cluster-ip-range=10.96.0.0/16 --cluster-cidr=10.244.0.0/16 \
  --allocate-node-cidrs=true --controllers='*'
run kube-scheduler "$CP_BIN/kube-scheduler" \
  --kubeconfig="$CP_KUBECONFIG" --secure-port=0 --leader-elect=false

# kwok's configuration: the stage files listed in the header.
stage=$KUBEPLAY_CP_CACHE/stage
for f in node/fast/node-initialize.yaml node/heartbeat-with-lease/node-heartbeat-with-lease.yaml \
  pod/fast/pod-ready.yaml pod/fast/pod-complete.yaml pod/fast/pod-delete.yaml \
  pod/chaos/pod-container-running-failed.yaml; do
  [[ -f $stage/$f ]] || die "missing kwok stage $stage/$f (run build.sh)"
  cat "$stage/$f"
  echo '---'
done >"$CP_STATE/kwok.yaml"
run kwok "$CP_BIN/kwok" --kubeconfig="$CP_KUBECONFIG" --config="$CP_STATE/kwok.yaml" \
  --manage-all-nodes=true --cidr=10.244.0.0/16 \
  --node-ip=127.0.0.1 --node-name=localhost --node-port="$CP_KWOK_PORT" \
  --server-address="127.0.0.1:$CP_KWOK_PORT" \
  --tls-cert-file="$P/kwok.crt" --tls-private-key-file="$P/kwok.key" \
  --node-lease-duration-seconds=40

for i in 0 1 2; do
  extra=
  [[ $i == 0 ]] && extra=", disktype: ssd"
  cat <<NODE
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$i
  annotations: {node.alpha.kubernetes.io/ttl: "0", kwok.x-k8s.io/node: fake}
  labels: {kubernetes.io/hostname: kwok-node-$i, kubernetes.io/os: linux, kubernetes.io/arch: amd64, type: kwok$extra}
status:
  allocatable: {cpu: "4", memory: 16Gi, pods: "110"}
  capacity: {cpu: "4", memory: 16Gi, pods: "110"}
  addresses: [{type: InternalIP, address: 127.0.0.1}, {type: Hostname, address: kwok-node-$i}]
  nodeInfo: {kubeletVersion: '$KUBE_VERSION'}
---
NODE
done >"$CP_STATE/nodes.yaml"
kubectl create -f "$CP_STATE/nodes.yaml" >/dev/null
wait_for nodes 120 kubectl wait --for=condition=Ready node --all --timeout=1s
# ServiceAccount admission rejects pods until the namespace's default
# service account exists; the KCM's serviceaccount controller creates it.
wait_for "default service account" 120 kubectl -n default get serviceaccount default
ready=1
say "ready: KUBECONFIG=$CP_KUBECONFIG context $CP_CONTEXT (server $server)"
echo "$CP_KUBECONFIG $CP_CONTEXT"
