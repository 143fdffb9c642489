//! The `DefaultIngressClass` admission plugin
//! (`plugin/pkg/admission/network/defaultingressclass/admission.go`): a new
//! Ingress that names no class (neither `spec.ingressClassName` nor the
//! `kubernetes.io/ingress.class` annotation) gets the IngressClass marked
//! `ingressclass.kubernetes.io/is-default-class: "true"`. With several
//! such classes it was refused before v1.25 and takes the newest since
//! (fact NewestDefaultIngressClass).

use crate::{
    sim::{ApiError, GenericObject, Kind, registry::builtin_kind, store::Store},
    version::{Fact, KubeVersion},
};

/// The annotation marking the default class.
const DEFAULT_CLASS: &str = "ingressclass.kubernetes.io/is-default-class";

/// Whether `object` is an Ingress of networking.k8s.io (any version).
pub fn is_ingress(object: &GenericObject) -> bool {
    let info = object.kind.info();
    info.group == "networking.k8s.io" && info.kind_name == "Ingress"
}

fn ingress_class_kind() -> Kind {
    static KIND: std::sync::OnceLock<Kind> = std::sync::OnceLock::new();
    *KIND.get_or_init(|| builtin_kind("networking.k8s.io", "ingressclasses"))
}

/// Defaults the class of a new Ingress.
pub fn admit(
    ingress: &mut GenericObject,
    store: &Store,
    version: KubeVersion,
) -> Result<(), ApiError> {
    let annotated = ingress
        .metadata
        .annotations
        .as_ref()
        .is_some_and(|a| a.contains_key("kubernetes.io/ingress.class"));
    let spec = ingress.fields.entry("spec").or_insert_with(|| serde_json::json!({}));
    if annotated || spec.get("ingressClassName").is_some_and(|c| !c.is_null()) {
        return Ok(());
    }
    let mut defaults: Vec<_> = store
        .list(ingress_class_kind(), None)
        .filter(|c| {
            c.meta().annotations.as_ref().and_then(|a| a.get(DEFAULT_CLASS)).map(String::as_str)
                == Some("true")
        })
        .collect();
    if defaults.len() > 1 && !version.has(Fact::NewestDefaultIngressClass) {
        return Err(ApiError::Forbidden {
            resource: "ingresses.networking.k8s.io".to_owned(),
            name: ingress.metadata.name.clone().unwrap_or_default(),
            message: format!(
                "Internal error occurred: {} default IngressClasses were found, only 1 allowed",
                defaults.len()
            ),
        });
    }
    // Newest first; equal times by name.
    defaults.sort_by(|a, b| {
        let time = |o: &&crate::sim::Object| o.meta().creation_timestamp.as_ref().map(|t| t.0);
        time(b).cmp(&time(a)).then_with(|| a.name().cmp(b.name()))
    });
    if let (Some(class), Some(spec)) = (defaults.first(), spec.as_object_mut()) {
        spec.insert("ingressClassName".into(), class.name().into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::{
        sim::{Cluster, profiles::profile_at},
        version::KubeVersion,
        workspace::Workspace,
    };

    fn run(cluster: &mut Cluster, ws: &Workspace, line: &str) -> String {
        let argv: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
        crate::kubectl::run(cluster, &argv, ws).merged()
    }

    fn class(name: &str) -> String {
        format!(
            "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: {name}\n  annotations:\n    ingressclass.kubernetes.io/is-default-class: \"true\"\nspec:\n  controller: example.com/{name}\n"
        )
    }

    /// Two default classes made a second apart; an Ingress without a class.
    fn create_with_two_defaults(minor: u32) -> (Cluster, String) {
        let mut cluster =
            Cluster::new(profile_at("kubeadm", KubeVersion::new(1, minor, 0)).unwrap());
        let mut ws = Workspace::default();
        ws.write("b.yaml", class("b-class"));
        ws.write("a.yaml", class("a-class"));
        run(&mut cluster, &ws, "kubectl apply -f b.yaml");
        cluster.advance(std::time::Duration::from_secs(1));
        run(&mut cluster, &ws, "kubectl apply -f a.yaml");
        let out = run(&mut cluster, &ws, "kubectl create ingress web --rule=a.com/=web:80");
        (cluster, out)
    }

    #[test]
    fn one_default_class_is_given_to_an_ingress_without_one() {
        let mut cluster = Cluster::new(profile_at("kubeadm", KubeVersion::new(1, 35, 0)).unwrap());
        let mut ws = Workspace::default();
        ws.write("c.yaml", class("nginx"));
        run(&mut cluster, &ws, "kubectl apply -f c.yaml");
        run(&mut cluster, &ws, "kubectl create ingress web --rule=a.com/=web:80");
        run(&mut cluster, &ws, "kubectl create ingress own --class=other --rule=a.com/=web:80");
        let classes = run(
            &mut cluster,
            &ws,
            "kubectl get ingress -o jsonpath={.items[*].spec.ingressClassName}",
        );
        assert_eq!(classes, "other nginx");
    }

    #[test]
    fn several_default_ingress_classes_by_version() {
        let (_, out) = create_with_two_defaults(24);
        assert_eq!(
            out,
            "error: failed to create ingress: ingresses.networking.k8s.io \"web\" is forbidden: Internal error occurred: 2 default IngressClasses were found, only 1 allowed\n"
        );
        let (mut cluster, out) = create_with_two_defaults(25);
        assert_eq!(out, "ingress.networking.k8s.io/web created\n");
        let ws = Workspace::default();
        let class =
            run(&mut cluster, &ws, "kubectl get ingress web -o jsonpath={.spec.ingressClassName}");
        assert_eq!(class, "a-class");
    }
}
