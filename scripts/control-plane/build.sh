#!/usr/bin/env bash
# Builds a real Kubernetes control plane from Go modules (no containers, no
# downloads outside the Go module proxy): kube-apiserver,
# kube-controller-manager, kube-scheduler and kubectl from k8s.io/kubernetes,
# etcd from go.etcd.io/etcd/server/v3, and kwok (fake kubelets).
#
# Binaries go to $KUBEPLAY_CP_CACHE/bin (default
# ~/.cache/kubeplay/control-plane/<kubernetes version>/bin), outside the work
# tree. A stamp file records the pins (versions.sh); when they match, nothing
# is rebuilt. The cold build takes tens of minutes on 2 cores.
#
# Environment: KUBEPLAY_CP_CACHE (cache dir), CP_BUILD_JOBS (go build -p,
# default 2), CP_FORCE=1 (rebuild even when the stamp matches).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/versions.sh"

say() { printf 'control-plane build: %s\n' "$*" >&2; }

stamp=$CP_BIN/.pins
want=(kube-apiserver kube-controller-manager kube-scheduler kubectl etcd kwok)
if [[ ${CP_FORCE:-0} != 1 && -f $stamp && $(cat "$stamp") == "$CP_PINS" ]]; then
  missing=0
  for b in "${want[@]}"; do [[ -x $CP_BIN/$b ]] || missing=1; done
  if [[ $missing == 0 ]]; then
    say "up to date ($CP_PINS) in $CP_BIN"
    exit 0
  fi
fi

command -v go >/dev/null || { say "go is not on PATH"; exit 1; }
export GOWORK=off GOTOOLCHAIN=local CGO_ENABLED=0
jobs=${CP_BUILD_JOBS:-2}
mod=$KUBEPLAY_CP_CACHE/module
mkdir -p "$mod" "$CP_BIN"
say "pins: $CP_PINS; go: $(go version | cut -d' ' -f3); cache: $KUBEPLAY_CP_CACHE"

# k8s.io/kubernetes requires each staging module (k8s.io/api, client-go, ...)
# at v0.0.0 and maps it to ./staging/src/... with `replace`; a dependency's
# replaces are ignored, so a consumer must map every one of them to its
# published v0.<minor>.<patch> (kubernetes/kubernetes#79384). The list changes
# from minor to minor, so it is read from the downloaded go.mod, not written
# here.
say "downloading k8s.io/kubernetes@$KUBE_VERSION's go.mod"
kmod=$(go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" |
  sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
[[ -f $kmod ]] || { say "no go.mod for k8s.io/kubernetes@$KUBE_VERSION"; exit 1; }
staging_version=v0.${KUBE_VERSION#v1.}
go_directive=$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$kmod")
staging=$(sed -n 's/^[[:space:]]*\(k8s\.io\/[a-z0-9-]*\) v0\.0\.0$/\1/p' "$kmod" | sort -u)
[[ -n $staging ]] || { say "found no staging modules at v0.0.0 in $kmod"; exit 1; }
say "$(wc -w <<<"$staging") staging modules, replaced at $staging_version"
{
  printf 'module local.invalid/kubeplay-control-plane\n\ngo %s\n\n' "$go_directive"
  printf 'require (\n\tk8s.io/kubernetes %s\n\tgo.etcd.io/etcd/server/v3 %s\n)\n\nreplace (\n' "$KUBE_VERSION" "$ETCD_VERSION"
  for m in $staging; do printf '\t%s => %s %s\n' "$m" "$m" "$staging_version"; done
  printf ')\n'
} >"$mod/go.mod"
# Keep go.sum from an earlier run: it only grows.
touch "$mod/go.sum"

# Version stamps, as hack/lib/version.sh sets them, so `kubectl version` and
# the apiserver's /version report the pinned release instead of
# v0.0.0-master. Commit and date come from the module proxy's .info.
info=$(go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" | tr -d '\n')
commit=$(sed -n 's/.*"Hash": "\([0-9a-f]*\)".*/\1/p' <<<"$info")
date=$(sed -n 's/.*"Time": "\([^"]*\)".*/\1/p' <<<"$info")
minor=${KUBE_VERSION#v1.}
minor=${minor%%.*}
ld="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ld+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  ld+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$date"
  [[ -n $commit ]] && ld+=" -X $pkg.gitCommit=$commit"
done

build() { # build <output name> <package> <ldflags>
  local out=$1 pkg=$2 flags=$3 t0=$SECONDS
  say "building $out from $pkg (go build -p $jobs) ..."
  (cd "$mod" && nice -n 10 go build -mod=mod -p "$jobs" -trimpath -ldflags "$flags" \
    -o "$CP_BIN/$out.tmp" "$pkg")
  mv "$CP_BIN/$out.tmp" "$CP_BIN/$out"
  say "built $out in $((SECONDS - t0))s"
}

rm -f "$stamp"
build kubectl k8s.io/kubernetes/cmd/kubectl "$ld"
build kube-scheduler k8s.io/kubernetes/cmd/kube-scheduler "$ld"
build kube-controller-manager k8s.io/kubernetes/cmd/kube-controller-manager "$ld"
build kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver "$ld"
# etcd's module root is its main package (server/main.go calls
# etcdmain.Main); `go install ...@version` refuses it for its local replaces,
# so it is built inside this module.
build etcd go.etcd.io/etcd/server/v3 "-s -w"

# kwok is its own module without replaces: go install builds it with its own
# dependency versions.
t0=$SECONDS
say "building kwok from sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION ..."
GOBIN=$CP_BIN nice -n 10 go install -p "$jobs" -trimpath \
  -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION#v}" \
  "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
say "built kwok in $((SECONDS - t0))s"

# kwok's stage definitions (how fake pods and nodes change state) ship in its
# module under kustomize/stage; start.sh feeds some of them to kwok.
kdir=$(go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" |
  sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
rm -rf "$KUBEPLAY_CP_CACHE/stage"
cp -r "$kdir/kustomize/stage" "$KUBEPLAY_CP_CACHE/stage"
chmod -R u+w "$KUBEPLAY_CP_CACHE/stage"

printf '%s' "$CP_PINS" >"$stamp"
say "done: $(ls "$CP_BIN" | tr '\n' ' ')"
