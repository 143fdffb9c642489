//! RBAC end to end: generators, `auth can-i`, `--as` on the verbs that
//! authorize their requests, and `--as` refused by name elsewhere.

use super::tests::{fails, kubeadm, kubectl, ok};

#[test]
fn generators_validate_like_kubectl() {
    let mut c = kubeadm();
    assert_eq!(
        fails(&mut c, "kubectl create role r --resource=pods"),
        "error: at least one verb must be specified\n"
    );
    assert_eq!(
        fails(&mut c, "kubectl create role r --verb=get"),
        "error: at least one resource must be specified\n"
    );
    assert_eq!(
        fails(&mut c, "kubectl create role r --verb=use --resource=pods"),
        "error: can not perform 'use' on 'pods' in group ''\n"
    );
    assert_eq!(
        fails(&mut c, "kubectl create role r --verb=get --resource=.apps"),
        "error: resource must be specified if apiGroup/subresource specified\n"
    );
    assert_eq!(
        fails(&mut c, "kubectl create clusterrole r --verb=get"),
        "error: one of resource or nonResourceURL must be specified\n"
    );
    assert_eq!(
        fails(&mut c, "kubectl create clusterrole r --verb=get --non-resource-url=logs"),
        "error: nonResourceURL should start with /\n"
    );
    assert_eq!(
        fails(&mut c, "kubectl create rolebinding x --role=a --serviceaccount=foo"),
        "error: serviceaccount must be <namespace>:<name>\n"
    );
    assert_eq!(
        fails(&mut c, "kubectl create rolebinding x"),
        "error: exactly one of clusterrole or role must be specified\n"
    );
    // Nothing was stored by the rejected commands.
    assert_eq!(kubectl(&mut c, "kubectl get role r").status, 1);
    let out = kubectl(&mut c, "kubectl create role r --verb=frob,get --resource=pods");
    assert_eq!(
        out.merged(),
        "Warning: 'frob' is not a standard resource verb\nrole.rbac.authorization.k8s.io/r created\n"
    );
}

#[test]
fn role_rules_group_resources_by_api_group() {
    let mut c = kubeadm();
    let yaml = ok(
        &mut c,
        "kubectl create role r --verb=get,list --resource=pods,rs,pods/log,deployments.apps --resource-name=a --dry-run=client -o yaml",
    );
    // Real kubectl v1.32 against a discovery stub serving pods and apps/v1.
    assert_eq!(
        yaml,
        "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  creationTimestamp: null\n  name: r\nrules:\n- apiGroups:\n  - \"\"\n  resourceNames:\n  - a\n  resources:\n  - pods\n  - pods/log\n  verbs:\n  - get\n  - list\n- apiGroups:\n  - apps\n  resourceNames:\n  - a\n  resources:\n  - replicasets\n  - deployments\n  verbs:\n  - get\n  - list\n"
    );
}

#[test]
fn impersonation_is_authorized_or_refused_by_name() {
    let mut c = kubeadm();
    ok(&mut c, "kubectl create clusterrolebinding jane-view --clusterrole=view --user=jane");
    assert_eq!(ok(&mut c, "kubectl auth can-i list pods --as=jane"), "yes\n");
    assert_eq!(
        fails(&mut c, "kubectl create configmap x --from-literal=a=b --as=jane"),
        "error: failed to create configmap: configmaps is forbidden: User \"jane\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"default\"\n"
    );
    // A group given with --as-group replaces the user's own groups.
    assert_eq!(
        ok(&mut c, "kubectl auth can-i create pods --as=bob --as-group=system:masters"),
        "yes\n"
    );
    // Verbs that do not authorize their requests do not act as the admin.
    let out =
        kubectl(&mut c, "kubectl scale deployment coredns -n kube-system --replicas=3 --as=jane");
    assert_eq!(out.unsupported.as_deref(), Some("flag --as of kubectl scale"));
}

#[test]
fn can_i_arguments_and_quiet() {
    let mut c = kubeadm();
    assert_eq!(
        fails(&mut c, "kubectl auth can-i get"),
        "error: you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples.\n"
    );
    let out = kubectl(&mut c, "kubectl auth can-i delete nodes --quiet --as=jane");
    assert_eq!(
        (out.merged().as_str(), out.status),
        ("Warning: resource 'nodes' is not namespace scoped\n", 1)
    );
    assert_eq!(
        fails(&mut c, "kubectl auth can-i get pods --subresource=log --no-headers"),
        "error: --no-headers cannot be set without --list specified\n"
    );
}
