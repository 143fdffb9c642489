# Where a running cluster keeps its state, and how to reach it (sourced by
# start.sh, stop.sh and .ci/run after versions.sh).
CP_STATE=${KUBEPLAY_CP_STATE:-${TMPDIR:-/tmp}/kubeplay-control-plane}
CP_KUBECONFIG=$CP_STATE/kubeconfig
CP_CONTEXT=${KUBEPLAY_CP_CONTEXT:-kubeplay-kwok}
CP_APISERVER_PORT=${CP_APISERVER_PORT:-16443}
CP_ETCD_PORT=${CP_ETCD_PORT:-16379}
CP_KWOK_PORT=${CP_KWOK_PORT:-16250}
