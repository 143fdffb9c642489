//! Real kubectl against a real API server, byte for byte: the golden files
//! under `testdata/` were recorded by `scripts/explain/oracle.sh` (kubectl
//! v1.27-v1.33 against kube-apiserver v1.28.15 and v1.33.13; the server's
//! minor picks kubeplay's documents). Each holds the arguments,
//! what kubectl printed (stdout, then stderr) and its exit status; a
//! client's directory lacks the cases it prints as the previous client did.

use std::{collections::BTreeMap, fs, path::PathBuf};

use crate::{
    kubectl::verbs::explain::{Options, check_output_flag, explain},
    sim::api::Discovery,
    version::KubeVersion,
};

fn testdata() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/kubectl/explain/testdata")
}

/// kubeplay's transcript of `kubectl explain ARGS` by `client` against
/// the server of `server_minor`, in the golden files' form.
fn transcript(client: KubeVersion, server_minor: u32, args: &str) -> String {
    let argv: Vec<String> = args.split_whitespace().map(str::to_owned).collect();
    let (mut positional, mut recursive, mut api_version, mut output) =
        (Vec::new(), false, None, None);
    let mut words = argv.iter();
    while let Some(w) = words.next() {
        if w == "--recursive" {
            recursive = true;
        } else if let Some(v) = w.strip_prefix("--api-version=") {
            api_version = Some(v);
        } else if let Some(v) = w.strip_prefix("--output=") {
            output = Some(v);
        } else if w == "-o" {
            output = words.next().map(String::as_str);
        } else {
            positional.push(w.clone());
        }
    }
    let mut out = String::new();
    let result = if output.is_some()
        && let Err(e) = check_output_flag(client, &argv)
    {
        Err(e)
    } else {
        let options = Options { args: &positional, recursive, api_version, output };
        let explained = explain(Discovery::for_minor(server_minor), server_minor, client, &options);
        out.push_str(&explained.stdout);
        explained.result
    };
    let status = match result {
        Ok(()) => 0,
        Err(e) => {
            out.push_str(&e.render(client.minor()));
            e.status()
        }
    };
    out.push_str(&format!("exit {status}\n"));
    out
}

#[test]
fn explain_matches_real_kubectl_against_a_real_api_server() {
    let mut servers: Vec<String> = fs::read_dir(testdata())
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            Some(name.strip_prefix("clients-")?.strip_suffix(".txt")?.to_owned())
        })
        .collect();
    servers.sort();
    assert!(servers.len() >= 2, "{servers:?}");
    let mut checked = 0;
    let mut failures = Vec::new();
    for server_name in &servers {
        let server = KubeVersion::parse(server_name).unwrap();
        let clients =
            fs::read_to_string(testdata().join(format!("clients-{server_name}.txt"))).unwrap();
        let mut cases: BTreeMap<String, String> = BTreeMap::new();
        for line in clients.lines().filter(|l| !l.starts_with('#')) {
            let client = KubeVersion::parse(line).unwrap();
            let dir = testdata().join(format!("kubectl-1.{}-server-{server_name}", client.minor()));
            if let Ok(entries) = fs::read_dir(&dir) {
                for entry in entries {
                    let path = entry.unwrap().path();
                    let name = path.file_stem().unwrap().to_string_lossy().into_owned();
                    cases.insert(name, fs::read_to_string(&path).unwrap());
                }
            }
            for (name, golden) in &cases {
                let (args_line, expected) = golden.split_once('\n').unwrap();
                let args = args_line.strip_prefix("args: ").unwrap();
                let actual = transcript(client, server.minor(), args);
                checked += 1;
                if actual != expected {
                    let diff = similar::TextDiff::from_lines(expected, actual.as_str())
                        .unified_diff()
                        .header("real kubectl", "kubeplay")
                        .to_string();
                    failures.push(format!(
                        "kubectl {line} explain {args} against {server_name} ({name}):\n{diff}"
                    ));
                }
            }
        }
    }
    assert!(checked >= 2 * 7 * 29, "only {checked} cases");
    assert!(
        failures.is_empty(),
        "{} of {checked} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `kubectl ARGS` on a fresh kubeadm cluster of v1.`minor`.
fn kubectl_at(minor: u32, line: &str) -> crate::output::CommandOutput {
    let mut config = crate::sim::profile("kubeadm").expect("kubeadm profile");
    config.version = KubeVersion::new(1, minor, 0);
    let mut cluster = crate::sim::Cluster::new(config);
    let argv: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
    crate::kubectl::run(&mut cluster, &argv, &crate::workspace::Workspace::default())
}

#[test]
fn explain_arguments_are_validated_from_v1_11() {
    let v10 = kubectl_at(10, "kubectl explain");
    assert!(v10.unsupported.as_deref().is_some_and(|w| w.contains("at v1.10")), "{v10:?}");
    let v11 = kubectl_at(11, "kubectl explain");
    assert_eq!(v11.unsupported, None);
    assert_eq!(v11.status, 1);
    assert_eq!(
        v11.merged(),
        "error: You must specify the type of resource to explain. Use \"kubectl api-resources\" for a complete list of supported resources.\n"
    );
    let two = kubectl_at(11, "kubectl explain pods nodes");
    assert_eq!(two.merged(), "error: We accept only this format: explain RESOURCE\n");
}

#[test]
fn recursive_explain_of_a_cycle_crashed_before_v1_13() {
    let line = "kubectl explain crd.spec.validation.openAPIV3Schema --recursive";
    let v12 = kubectl_at(12, line);
    assert!(v12.unsupported.as_deref().is_some_and(|w| w.contains("stack overflowed")), "{v12:?}");
    let v13 = kubectl_at(13, line);
    assert_eq!(v13.unsupported, None, "{}", v13.merged());
    let text = v13.merged();
    // JSONSchemaProps refers to itself (allOf, items, properties...): the
    // walk lists its fields once under each, without expanding them again.
    assert!(text.starts_with("KIND:     CustomResourceDefinition\nVERSION:  apiextensions.k8s.io/v1beta1\n\nRESOURCE: openAPIV3Schema <Object>\n"), "{text}");
    assert!(text.contains("\n   allOf\t<[]Object>\n      $ref\t<string>\n"), "{text}");
    assert!(!text.contains("\n         $ref\t<string>\n"), "expanded a cycle: {text}");
}

#[test]
fn a_path_through_an_arbitrary_value_crashed_before_v1_14() {
    let line = "kubectl explain crd.spec.validation.openAPIV3Schema.default.foo";
    let v13 = kubectl_at(13, line);
    assert!(v13.unsupported.as_deref().is_some_and(|w| w.contains("panicked")), "{v13:?}");
    // From v1.14 the walk ends at the arbitrary value, which explains
    // itself under the last path element's name.
    let v14 = kubectl_at(14, line);
    assert_eq!(v14.status, 0, "{}", v14.merged());
    assert!(v14.merged().contains("DESCRIPTION:\n     JSON represents any valid JSON value."));
}

#[test]
fn v1_10_formats_every_description_line() {
    // v1.10 passes each wrapped line through Sprintf: a field's `%` breaks;
    // v1.11 prints it (the model description is still a format string
    // until v1.24).
    let line = "kubectl explain deployment.spec.strategy.rollingUpdate";
    let v10 = kubectl_at(10, line).merged();
    assert!(v10.contains("10%!)(MISSING)"), "{v10}");
    let v11 = kubectl_at(11, line).merged();
    assert!(v11.contains("10%)") && !v11.contains("MISSING"), "{v11}");
}

#[test]
fn a_custom_resource_is_unsupported_not_unknown() {
    let crd = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: backups.ops.example.org\nspec:\n  group: ops.example.org\n  scope: Namespaced\n  names:\n    plural: backups\n    singular: backup\n    kind: Backup\n  versions:\n  - name: v1alpha1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n        type: object\n";
    let mut config = crate::sim::profile("kubeadm").expect("kubeadm profile");
    config.version = KubeVersion::new(1, 28, 0);
    let mut cluster = crate::sim::Cluster::new(config);
    let mut workspace = crate::workspace::Workspace::default();
    workspace.write("crd.yaml", crd);
    let run = |cluster: &mut crate::sim::Cluster, line: &str| {
        let argv: Vec<String> = line.split_whitespace().map(str::to_owned).collect();
        crate::kubectl::run(cluster, &argv, &workspace)
    };
    let before = run(&mut cluster, "kubectl explain backups.spec");
    assert_eq!(before.merged(), "the server doesn't have a resource type \"backups\"\n");
    assert_eq!(run(&mut cluster, "kubectl apply -f crd.yaml").status, 0);
    cluster.settle(10_000);
    let after = run(&mut cluster, "kubectl explain backups.spec");
    assert!(after.unsupported.as_deref().is_some_and(|w| w.contains("Backup")), "{after:?}");
}
