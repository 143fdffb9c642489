#!/bin/sh
# Writes src/kubectl/testdata/dry_run/*: real kubectl's client dry-run
# output for the command lines kubeplay's tests compare byte for byte
# (`client_dry_run_matches_real_kubectl`). Usage:
# scripts/kubectl-dry-run-fixtures.sh [KUBECTL] (default: kubectl.1.27
# beside the kubectl on PATH).
#
# The `create` generators run offline. `kubectl run` and `kubectl expose`
# first ask the apiserver's discovery (and `expose` reads the object it
# exposes), so they run against a stub server (python3, 127.0.0.1) that
# answers discovery for pods/services/deployments and GET of the one
# Deployment in testdata/dry_run/web-deployment.json (in `default` and `demo`); it stores nothing.
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
fixture create_configmap.yaml create configmap cm --from-literal=a=1 --from-literal=b=two --dry-run=client -o yaml
fixture create_configmap.txt create configmap cm --from-literal=a=1 --dry-run=client
fixture create_secret_generic.yaml create secret generic s --type=Opaque --from-literal=password=admin -n demo --dry-run=client -o yaml
# tls.crt/tls.key: a self-signed pair made once with
# `openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=example.com`.
(cd "$out" && "$K" create secret tls tls --cert=tls.crt --key=tls.key --dry-run=client -o yaml > create_secret_tls.yaml 2>&1) || true
fixture create_service_clusterip.yaml create service clusterip svc --tcp=80:8080 --tcp=443 --dry-run=client -o yaml
fixture create_service_headless.yaml create service clusterip h --clusterip=None --dry-run=client -o yaml
fixture create_service_nodeport.yaml create service nodeport np --tcp=80:8080 --node-port=30080 --dry-run=client -o yaml
fixture create_service_loadbalancer_name.txt create service loadbalancer lb --tcp=80 --dry-run=client -o name
fixture create_job.yaml create job j --image=busybox --dry-run=client -o yaml -- echo hi
fixture create_cronjob.yaml create cronjob c --image=busybox "--schedule=*/5 * * * *" --restart=Never --dry-run=client -o yaml -- echo hi
fixture create_namespace.yaml create namespace ns1 --dry-run=client -o yaml
fixture create_namespace.txt create namespace ns1 --dry-run=client
fixture create_deployment_ports.json create deployment web --image=nginx:1.25 --image=busybox --replicas=3 --port=80 -n demo --dry-run=client -o json
fixture create_secret_generic.json create secret generic s --type=Opaque "--from-literal=html=<a&b>" --from-literal=a=1 --dry-run=client -o json
fixture create_service_nodeport.json create service nodeport np --tcp=80:8080 --node-port=30080 --dry-run=client -o json
fixture create_job.json create job j --image=busybox --dry-run=client -o json -- echo hi
fixture create_cronjob.json create cronjob c --image=busybox "--schedule=*/5 * * * *" --dry-run=client -o json
fixture create_namespace.json create namespace ns1 --dry-run=client -o json

port=18089
python3 - "$port" "$out/web-deployment.json" <<'PY' &
import http.server, json, sys
deployment = json.load(open(sys.argv[2]))
NODE = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "worker1"}, "spec": {}}
# A pod a ReplicaSet owns, on worker1 (what `drain` lists there).
POD = {"apiVersion": "v1", "kind": "Pod",
       "metadata": {"name": "web-1", "namespace": "default", "labels": {"app": "web"},
                    "ownerReferences": [
           {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-5d4b7c9f6d",
            "uid": "00000000-0000-0000-0000-000000000001", "controller": True}]},
       "spec": {"nodeName": "worker1", "containers": [{"name": "nginx", "image": "nginx"}]}}
def resources(*rs):
    return [{"name": n, "singularName": "", "namespaced": True, "kind": k,
             "verbs": ["create", "delete", "get", "list", "patch", "update", "watch"]}
            for n, k in rs]
DOCS = {
    "/api": {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs":
             [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]},
    "/apis": {"kind": "APIGroupList", "apiVersion": "v1", "groups": [{"name": "apps",
              "versions": [{"groupVersion": "apps/v1", "version": "v1"}],
              "preferredVersion": {"groupVersion": "apps/v1", "version": "v1"}}]},
    "/api/v1": {"kind": "APIResourceList", "groupVersion": "v1",
                "resources": resources(("pods", "Pod"), ("services", "Service"))
                + [dict(r, namespaced=False) for r in resources(("nodes", "Node"))]},
    "/api/v1/nodes/worker1": NODE,
    "/api/v1/nodes/master": dict(NODE, metadata={"name": "master"}, spec={"unschedulable": True}),
    "/api/v1/pods": {"kind": "PodList", "apiVersion": "v1", "metadata": {}, "items": [POD]},
    "/apis/apps/v1": {"kind": "APIResourceList", "groupVersion": "apps/v1",
                      "resources": resources(("deployments", "Deployment"),
                                             ("deployments/scale", "Scale"))},
    "/apis/apps/v1/namespaces/default/deployments/web": deployment,
    "/apis/apps/v1/namespaces/demo/deployments/web":
        dict(deployment, metadata=dict(deployment["metadata"], namespace="demo")),
}
class Stub(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        doc = DOCS.get(self.path.split("?")[0])
        body = json.dumps(doc or {"kind": "Status", "apiVersion": "v1", "status": "Failure",
                                  "reason": "NotFound", "code": 404}).encode()
        self.send_response(200 if doc else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Stub).serve_forever()
PY
stub=$!
# A fresh discovery cache: kubectl would otherwise reuse what an earlier
# stub (with other resources) answered on this port.
KUBECACHEDIR=$(mktemp -d)
export KUBECACHEDIR
trap 'kill $stub; rm -rf "$KUBECACHEDIR"' EXIT
sleep 1
served() { name=$1; shift; fixture "$name" -s "http://127.0.0.1:$port" "$@"; }
served run.yaml run x --image=nginx --dry-run=client -o yaml
served run_full.yaml run web --image=nginx:1.25 --port=80 --labels=app=web,tier=fe --env=A=1 --env=B=two --restart=Never -n demo --dry-run=client -o yaml
served run_command.yaml run bb --image=busybox --command --dry-run=client -o yaml -- sleep 3600
served run_args.yaml run bb --image=busybox --restart=OnFailure --dry-run=client -o yaml -- sleep 3600
served run_full.json run web --image=nginx:1.25 --port=80 --labels=app=web,tier=fe --env=A=1 --env=B=two --restart=Never -n demo --dry-run=client -o json
served run.txt run bb --image=busybox --dry-run=client
served run_name.txt run bb --image=busybox --dry-run=client -o name
served expose.yaml expose deployment web --port=80 --dry-run=client -o yaml
served expose_nodeport.yaml expose deployment web --port=8080 --target-port=80 --type=NodePort --name=web-np -n demo --dry-run=client -o yaml
served expose_container_port.yaml expose deployment web --dry-run=client -o yaml
served expose.txt expose deployment web --dry-run=client
served expose_name.txt expose deployment web --port=80 --dry-run=client -o name
served expose.json expose deployment web --port=8080 --target-port=80 --type=NodePort --dry-run=client -o json
served scale.txt scale deployment web --replicas=3 --dry-run=client
served set_image.txt set image deployment/web nginx=nginx:1.25 --dry-run=client
served label.txt label deployment web tier=fe --dry-run=client
served annotate.txt annotate deployment web note=hi --dry-run=client
served delete.txt delete deployment web --dry-run=client
served delete_force.txt delete deployment web --grace-period=0 --force --dry-run=client
served cordon.txt cordon worker1 --dry-run=client
served cordon_already.txt cordon master --dry-run=client
served uncordon.txt uncordon master --dry-run=client
served taint.txt taint nodes worker1 dedicated=db:NoSchedule --dry-run=client
served drain.txt drain worker1 --ignore-daemonsets --pod-selector=app=web --dry-run=client
served autoscale.txt autoscale deployment web --min=2 --max=5 --cpu-percent=80 --dry-run=client
served autoscale.yaml autoscale deployment web --max=5 -n demo --dry-run=client -o yaml
served autoscale.json autoscale deployment web --min=2 --max=5 --cpu-percent=80 --name=hpa1 --dry-run=client -o json
served autoscale_name.txt autoscale deployment web --max=5 --dry-run=client -o name
# `create -f` maps the file's kinds through discovery; `--validate=false`
# spares the stub an OpenAPI document (a valid manifest prints the same).
in_out() { name=$1; shift; (cd "$out" && "$K" -s "http://127.0.0.1:$port" "$@" > "$name" 2>&1) || true; }
in_out create_f.txt create -f create-f-manifest.yaml --validate=false --dry-run=client
in_out create_f.yaml create -f create-f-manifest.yaml --validate=false --dry-run=client -o yaml
in_out create_f.json create -f create-f-manifest.yaml --validate=false --dry-run=client -o json
in_out create_f_name.txt create -f create-f-manifest.yaml --validate=false --dry-run=client -o name
in_out create_f_demo.yaml create -f create-f-manifest.yaml --validate=false -n demo --dry-run=client -o yaml
# `--local` changes a file's objects on the client only.
in_out label_local.yaml label -f local-manifest.yaml --local tier=fe -o yaml
in_out label_local.json label -f local-manifest.yaml --local tier=fe -o json
in_out label_local.txt label -f local-manifest.yaml --local tier=fe --dry-run=client
in_out annotate_local.txt annotate -f local-manifest.yaml --local note=hi
in_out set_image_local.yaml set image -f local-manifest.yaml --local nginx=nginx:1.26 -o yaml
in_out set_image_local.json set image -f local-manifest.yaml --local nginx=nginx:1.26 -o json
in_out set_image_local.txt set image -f local-manifest.yaml --local nginx=nginx:1.26
in_out set_image_local_server.txt set image -f local-manifest.yaml --local nginx=nginx:1.26 --dry-run=server
