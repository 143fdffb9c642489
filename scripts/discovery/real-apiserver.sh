#!/usr/bin/env bash
# Records what a REAL kube-apiserver of one release serves: builds
# kube-apiserver (and kubectl, and etcd) of k8s.io/kubernetes@VERSION from Go
# modules, starts etcd and the apiserver alone on loopback, and writes
# `kubectl api-resources` and `kubectl api-versions` as that cluster answers
# them. Used to check src/sim/api/discovery/served.tsv (docs/discovery.md).
#
#   scripts/discovery/real-apiserver.sh build v1.33.6   # slow, cold: tens of minutes
#   scripts/discovery/real-apiserver.sh record v1.33.6 [KUBECTL]
#   CP_EXTRA_SCRIPT=FILE scripts/discovery/real-apiserver.sh record ...
#
# `record` writes api-resources.txt, api-versions.txt and the raw /api and
# /apis documents into $CP_DISCOVERY_OUT (default
# ~/.cache/kubeplay/discovery/<version>/out). KUBECTL defaults to the kubectl
# built from the same module. Binaries and state live under
# ~/.cache/kubeplay/discovery/<version>, outside the work tree.
#
# Only the apiserver runs (no controller manager, scheduler or nodes):
# discovery is served by the apiserver and its built-in aggregator,
# apiextensions and kube-aggregator delegates alone. Nothing listens on
# anything but 127.0.0.1.
set -euo pipefail
say() { printf 'real-apiserver: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

cmd=${1:-}
version=${2:-}
[[ $cmd == build || $cmd == record ]] && [[ $version == v1.* ]] ||
  die "usage: $0 build|record v1.X.Y [kubectl]"
cache=${CP_DISCOVERY_CACHE:-$HOME/.cache/kubeplay/discovery}/$version
bin=$cache/bin
export GOWORK=off GOTOOLCHAIN=local CGO_ENABLED=0

build() {
  local mod=$cache/module minor=${version#v1.}
  minor=${minor%%.*}
  mkdir -p "$mod" "$bin"
  local kmod
  kmod=$(go mod download -json "k8s.io/kubernetes@$version" |
    sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
  [[ -f $kmod ]] || die "no go.mod for k8s.io/kubernetes@$version"
  # Same recipe as scripts/control-plane/build.sh: every staging module is
  # required at v0.0.0 and must be replaced by its published v0.MINOR.PATCH
  # (kubernetes/kubernetes#79384).
  local staging go_directive etcd_version
  staging=$(sed -n 's/^[[:space:]]*\(k8s\.io\/[a-z0-9-]*\) v0\.0\.0$/\1/p' "$kmod" | sort -u)
  go_directive=$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$kmod")
  # etcd: the server the release's own go.mod requires when it names one
  # (v1.22+ through go.etcd.io/etcd/server/v3), else v3.5.21.
  etcd_version=$(sed -n 's/^[[:space:]]*go\.etcd\.io\/etcd\/server\/v3 \(=> go\.etcd\.io\/etcd\/server\/v3 \)\{0,1\}\(v[0-9.]*\).*$/\2/p' "$kmod" | head -1)
  etcd_version=${CP_ETCD_VERSION:-${etcd_version:-v3.5.21}}
  # Up to v1.22 k8s.io/kubernetes pinned every dependency with `replace`
  # (hack/pin-dependency.sh); a dependency's replaces are ignored, so they
  # are copied here (except those CP_EXTRA_REPLACES overrides; staging
  # modules map to ./staging paths there, which the pattern skips).
  # Known limit: before v1.24 the release did not commit
  # pkg/generated/openapi/zz_generated.openapi.go (hack/update-codegen.sh
  # wrote it at build time), so kube-apiserver v1.23 and older do not build from
  # the module ("undefined: generatedopenapi.GetOpenAPIDefinitions").
  local pins overridden
  overridden=$(sed -n 's/^[[:space:]]*\([^ ]*\) => .*$/\1/p' <<<"${CP_EXTRA_REPLACES:-}")
  pins=$(sed -n 's/^[[:space:]]*\([^ ]*\) => \([^ .][^ ]*\) \(v[^ ]*\)$/\1 \2 \3/p' "$kmod" |
    while read -r m to v; do
      grep -qxF "$m" <<<"$overridden" || printf '\t%s => %s %s\n' "$m" "$to" "$v"
    done)
  {
    printf 'module local.invalid/kubeplay-discovery\n\ngo %s\n\n' "$go_directive"
    printf 'require (\n\tk8s.io/kubernetes %s\n\tgo.etcd.io/etcd/server/v3 %s\n)\n\nreplace (\n' \
      "$version" "$etcd_version"
    for m in $staging; do printf '\t%s => %s v0.%s\n' "$m" "$m" "${version#v1.}"; done
    [[ -n $pins ]] && printf '%s\n' "$pins"
    # Old releases pin dependencies that no longer build or run with a
    # current Go; CP_EXTRA_REPLACES adds `old => new version` lines.
    [[ -n ${CP_EXTRA_REPLACES:-} ]] && printf '%s\n' "$CP_EXTRA_REPLACES"
    printf ')\n'
  } >"$mod/go.mod"
  touch "$mod/go.sum"
  local info commit date ld
  info=$(go mod download -json "k8s.io/kubernetes@$version" | tr -d '\n')
  commit=$(sed -n 's/.*"Hash": "\([0-9a-f]*\)".*/\1/p' <<<"$info")
  date=$(sed -n 's/.*"Time": "\([^"]*\)".*/\1/p' <<<"$info")
  ld="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $pkg.gitVersion=$version -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    ld+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$date"
    [[ -n $commit ]] && ld+=" -X $pkg.gitCommit=$commit"
  done
  local targets=${CP_TARGETS:-kube-apiserver kubectl etcd}
  for t in $targets; do
    local pkg=k8s.io/kubernetes/cmd/$t flags=$ld t0=$SECONDS
    [[ $t == etcd ]] && { pkg=go.etcd.io/etcd/server/v3; flags="-s -w"; }
    [[ -x $bin/$t ]] && { say "$t already built"; continue; }
    say "building $t ($version, etcd $etcd_version) ..."
    (cd "$mod" && nice -n 10 go build -mod=mod -p "${CP_BUILD_JOBS:-2}" -trimpath \
      -ldflags "$flags" -o "$bin/$t.tmp" "$pkg")
    mv "$bin/$t.tmp" "$bin/$t"
    say "built $t in $((SECONDS - t0))s"
  done
}

record() {
  local kubectl=${1:-$bin/kubectl}
  local etcd=${CP_ETCD:-$bin/etcd}
  local out=${CP_DISCOVERY_OUT:-$cache/out} state=$cache/state
  local port=${CP_APISERVER_PORT:-17443} eport=${CP_ETCD_PORT:-17379}
  [[ -x $bin/kube-apiserver && -x $kubectl && -x $etcd ]] || die "build first (need apiserver, kubectl, etcd)"
  rm -rf "$state"
  mkdir -p "$state/pki" "$out"
  local P=$state/pki pids=()
  stop() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
  trap stop EXIT
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=discovery-ca" \
    -keyout "$P/ca.key" -out "$P/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/O=system:masters/CN=admin" \
    -keyout "$P/admin.key" -out "$P/admin.csr" 2>/dev/null
  printf 'extendedKeyUsage=clientAuth\n' >"$P/admin.ext"
  openssl x509 -req -in "$P/admin.csr" -CA "$P/ca.crt" -CAkey "$P/ca.key" -CAcreateserial \
    -days 30 -extfile "$P/admin.ext" -out "$P/admin.crt" 2>/dev/null
  openssl genrsa -out "$P/sa.key" 2048 2>/dev/null
  "$etcd" --name=node0 --data-dir="$state/etcd" --unsafe-no-fsync \
    --listen-client-urls="http://127.0.0.1:$eport" --advertise-client-urls="http://127.0.0.1:$eport" \
    --listen-peer-urls="http://127.0.0.1:$((eport + 1))" \
    --initial-advertise-peer-urls="http://127.0.0.1:$((eport + 1))" \
    --initial-cluster="node0=http://127.0.0.1:$((eport + 1))" --log-level=warn \
    >"$state/etcd.log" 2>&1 &
  pids+=($!)
  # Self-signed serving certificate in --cert-dir; kubectl skips verification.
  "$bin/kube-apiserver" --etcd-servers="http://127.0.0.1:$eport" \
    --bind-address=127.0.0.1 --secure-port="$port" \
    --advertise-address=127.0.0.1 --endpoint-reconciler-type=none \
    --cert-dir="$state/apiserver" --client-ca-file="$P/ca.crt" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$P/sa.key" --service-account-signing-key-file="$P/sa.key" \
    --service-cluster-ip-range=10.96.0.0/16 --authorization-mode=Node,RBAC \
    >"$state/apiserver.log" 2>&1 &
  pids+=($!)
  cat >"$state/kubeconfig" <<KC
apiVersion: v1
kind: Config
clusters:
- name: real
  cluster: {server: "https://127.0.0.1:$port", insecure-skip-tls-verify: true}
users:
- name: admin
  user: {client-certificate: $P/admin.crt, client-key: $P/admin.key}
contexts:
- name: real
  context: {cluster: real, user: admin}
current-context: real
KC
  local k=("$kubectl" --kubeconfig="$state/kubeconfig") t0=$SECONDS
  until "${k[@]}" get --raw=/readyz >/dev/null 2>&1; do
    ((SECONDS - t0 < 180)) || die "apiserver not ready; see $state/apiserver.log"
    sleep 1
  done
  say "apiserver ready after $((SECONDS - t0))s; recording into $out"
  "${k[@]}" get --raw=/api >"$out/api.json"
  "${k[@]}" get --raw=/apis >"$out/apis.json"
  "${k[@]}" version -o json >"$out/version.json" 2>/dev/null || true
  "${k[@]}" api-resources >"$out/api-resources.txt"
  "${k[@]}" api-versions >"$out/api-versions.txt"
  "${k[@]}" api-resources -o wide >"$out/api-resources-wide.txt"
  # Every served group-version's resource list (api-resources shows only
  # each group's preferred version), one JSON document a line.
  local gv
  : >"$out/group-versions.jsonl"
  while read -r gv; do
    if [[ $gv == v1 ]]; then "${k[@]}" get --raw=/api/v1; else "${k[@]}" get --raw="/apis/$gv"; fi
    echo
  done <"$out/api-versions.txt" >>"$out/group-versions.jsonl"
  say "$(($(wc -l <"$out/api-resources.txt") - 1)) resources, $(wc -l <"$out/api-versions.txt") group-versions"
  # CP_EXTRA_SCRIPT: a script run against the same server before it stops,
  # with KUBECONFIG and KUBECTL set (recordings of other commands).
  if [[ -n ${CP_EXTRA_SCRIPT:-} ]]; then
    KUBECONFIG=$state/kubeconfig KUBECTL=$kubectl bash "$CP_EXTRA_SCRIPT"
  fi
}

case $cmd in
build) build ;;
record) record "${3:-}" ;;
esac
