# The one place for the control plane's pinned versions (sourced by build.sh,
# start.sh and .ci/run). Changing a pin changes the cache directory, so the
# next build.sh rebuilds; nothing else triggers a rebuild.
#
# Kubernetes: v1.35.4, the newest version the simulator models (src/version.rs
# knows v1.10–v1.35), so simulator and real cluster compare at one version.
# Its go.mod says `go 1.25.0`; Go 1.26.8 builds it.
KUBE_VERSION=${KUBE_VERSION:-v1.35.4}
# etcd: the server version k8s.io/kubernetes v1.35.4's go.mod requires
# (go.etcd.io/etcd/server/v3 v3.6.5 // indirect), built inside the same module
# so one dependency graph serves both.
ETCD_VERSION=${ETCD_VERSION:-v3.6.5}
# kwok plays the kubelets of fake nodes; its own module, built with go install.
KWOK_VERSION=${KWOK_VERSION:-v0.8.0}

KUBEPLAY_CP_CACHE=${KUBEPLAY_CP_CACHE:-$HOME/.cache/kubeplay/control-plane/$KUBE_VERSION}
CP_PINS="kubernetes=$KUBE_VERSION etcd=$ETCD_VERSION kwok=$KWOK_VERSION"
CP_BIN=$KUBEPLAY_CP_CACHE/bin
