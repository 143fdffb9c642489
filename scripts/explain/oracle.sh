#!/usr/bin/env bash
# Records what real kubectl explain prints against a real kube-apiserver,
# as golden files for src/kubectl/explain/tests.rs (docs/explain.md): each
# holds `args: ARGS`, what kubectl printed (stdout, then stderr) and
# `exit STATUS`.
#
# Starts etcd and kube-apiserver only (explain reads discovery and OpenAPI,
# nothing else) from BIN on loopback ports of its own, runs each kubectl
# binary on the command list below, and stops what it started.
#
# usage: scripts/explain/oracle.sh BIN SERVER_VERSION KUBECTL...
#   BIN: a directory with etcd and kube-apiserver (scripts/control-plane/
#   build.sh builds them), SERVER_VERSION its version (v1.33.13), KUBECTL
#   the client binaries (kubectl.1.27 ...), each named kubectl.1.MINOR.
#   ORACLE_ETCD names another etcd binary when BIN has none.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$1 server=$2
shift 2
out=$here/../../src/kubectl/explain/testdata
state=$(mktemp -d /tmp/kubeplay-explain-oracle.XXXXXX)
etcd_port=${ORACLE_ETCD_PORT:-27379}
api_port=${ORACLE_APISERVER_PORT:-27443}
pids=()
stop() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$state"
}
trap stop EXIT

P=$state/pki
mkdir -p "$P"
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=explain-oracle-ca" \
  -keyout "$P/ca.key" -out "$P/ca.crt" 2>/dev/null
cert() {
  openssl req -newkey rsa:2048 -nodes -subj "$2" -keyout "$P/$1.key" -out "$P/$1.csr" 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=%s\n%s\n' \
    "$3" "${4:+subjectAltName=$4}" >"$P/$1.ext"
  openssl x509 -req -in "$P/$1.csr" -CA "$P/ca.crt" -CAkey "$P/ca.key" -CAcreateserial \
    -days 30 -extfile "$P/$1.ext" -out "$P/$1.crt" 2>/dev/null
}
cert apiserver "/CN=kube-apiserver" serverAuth "DNS:localhost,IP:127.0.0.1,IP:10.96.0.1"
cert admin "/O=system:masters/CN=oracle-admin" clientAuth
openssl genrsa -out "$P/sa.key" 2048 2>/dev/null
cat >"$state/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters: [{name: o, cluster: {server: "https://127.0.0.1:$api_port", certificate-authority: $P/ca.crt}}]
users: [{name: o, user: {client-certificate: $P/admin.crt, client-key: $P/admin.key}}]
contexts: [{name: o, context: {cluster: o, user: o}}]
current-context: o
KC

"${ORACLE_ETCD:-$bin/etcd}" --name=o --data-dir="$state/etcd" --unsafe-no-fsync \
  --listen-client-urls="http://127.0.0.1:$etcd_port" --advertise-client-urls="http://127.0.0.1:$etcd_port" \
  --listen-peer-urls="http://127.0.0.1:$((etcd_port + 1))" \
  --initial-advertise-peer-urls="http://127.0.0.1:$((etcd_port + 1))" \
  --initial-cluster="o=http://127.0.0.1:$((etcd_port + 1))" --log-level=warn >"$state/etcd.log" 2>&1 &
pids+=($!)
"$bin/kube-apiserver" --etcd-servers="http://127.0.0.1:$etcd_port" \
  --bind-address=127.0.0.1 --secure-port="$api_port" --advertise-address=127.0.0.1 \
  --endpoint-reconciler-type=none --cert-dir="$state/apiserver" \
  --tls-cert-file="$P/apiserver.crt" --tls-private-key-file="$P/apiserver.key" --client-ca-file="$P/ca.crt" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-account-key-file="$P/sa.key" --service-account-signing-key-file="$P/sa.key" \
  --service-cluster-ip-range=10.96.0.0/16 --authorization-mode=RBAC >"$state/apiserver.log" 2>&1 &
pids+=($!)
first=$1
for i in $(seq 1 240); do
  "$first" --kubeconfig="$state/kubeconfig" get --raw=/readyz >/dev/null 2>&1 && break
  sleep 0.5
done

# One case a line: a file name, then the arguments after `kubectl explain`.
cases=(
  "pods|pods"
  "pod.spec|pod.spec"
  "pod.spec.containers|pod.spec.containers"
  "pod.spec.restartPolicy|pod.spec.restartPolicy"
  "deployment.spec.strategy|deployment.spec.strategy"
  "deployment.spec.strategy.recursive|deployment.spec.strategy --recursive"
  "deployments.apps.spec.replicas|deployments.apps.spec.replicas"
  "svc.spec.ports|svc.spec.ports"
  "cronjob.spec.jobTemplate|cronjob.spec.jobTemplate"
  "deployment.api-version|deployment --api-version=apps/v1"
  "pod.spec.securityContext.recursive|pod.spec.securityContext --recursive"
  "pod.spec.foo|pod.spec.foo"
  "pods.foo.bar|pods.foo.bar"
  "foo|foo"
  "pods.v2|pods --output=plaintext-openapiv2"
  "deployment.spec.v2|deployment.spec --output=plaintext-openapiv2"
  "pod.spec.containers.v2|pod.spec.containers --output=plaintext-openapiv2"
  "deployment.spec.strategy.recursive.v2|deployment.spec.strategy --recursive --output=plaintext-openapiv2"
  "maxSurge.v2|deployment.spec.strategy.rollingUpdate.maxSurge --output=plaintext-openapiv2"
  "maxSurge|deployment.spec.strategy.rollingUpdate.maxSurge"
  "tokenreviews|tokenreviews"
  "ingress.spec.rules|ingress.spec.rules"
  "pvc.spec|pvc.spec"
  "node.spec.taints|node.spec.taints"
  "quantity|pod.spec.containers.resources.limits"
  "no-args|"
  "two-args|pods nodes"
  "output-yaml|pods -o yaml"
  "api-version-missing|deployment --api-version=apps/v1beta1"
)
for k in "$@"; do
  minor=${k##*.}
  dir=$out/kubectl-1.$minor-server-$server
  rm -rf "$dir"
  mkdir -p "$dir"
  for c in "${cases[@]}"; do
    name=${c%%|*} args=${c#*|}
    # shellcheck disable=SC2086
    echo "args: $args" >"$dir/$name.txt"
    set +e
    "$k" --kubeconfig="$state/kubeconfig" explain $args >>"$dir/$name.txt" 2>"$state/err"
    code=$?
    set -e
    cat "$state/err" >>"$dir/$name.txt"
    echo "exit $code" >>"$dir/$name.txt"
  done
  echo "recorded $dir" >&2
done
# Which clients were recorded (a minor's directory may end up empty below).
{
  echo "# kubectl releases recorded against kube-apiserver $server by scripts/explain/oracle.sh"
  for k in "$@"; do
    "$k" version --client -o json | sed -n 's/.*"gitVersion": "\(.*\)".*/\1/p'
  done
} >"$out/clients-$server.txt"

# Keep a case's file only where it changed: a kubectl minor without it
# prints what the nearest earlier minor's file says (the tests read it so).
mapfile -t dirs < <(ls -d "$out"/kubectl-1.*-server-"$server" | sort -t. -k2,2n)
for ((i = ${#dirs[@]} - 1; i > 0; i--)); do
  for f in "${dirs[i]}"/*.txt; do
    for ((j = i - 1; j >= 0; j--)); do
      prev=${dirs[j]}/$(basename "$f")
      if [[ -f $prev ]]; then
        cmp -s "$f" "$prev" && rm "$f"
        break
      fi
    done
  done
done
