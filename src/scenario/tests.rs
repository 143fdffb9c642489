//! Whole-file tests of the Markdown format, errors, and robustness.

use std::{path::Path, time::Duration};

use serde_json::json;

use super::*;

fn md(text: &str) -> Result<Scenario, ParseError> {
    parse_file(Path::new("tutorial.md"), text)
}

fn commands(s: &Scenario) -> Vec<&Command> {
    s.steps
        .iter()
        .filter_map(|s| match &s.kind {
            StepKind::Run(c) => Some(c),
            _ => None,
        })
        .collect()
}

/// A transcription in the seed's style (a kubeadm cluster, `[root@master ~]#`
/// prompts, kubectl's double-spaced commands and `//` annotations).
const SEED_STYLE: &str = r#"---
title: 部署并发布简单的应用
tags: [deployment, scale]
cluster:
  profile: kubeadm
  version: v1.22.2
  nodes:
    - name: master
      roles: [control-plane, master]
      ip: 192.168.200.11
      taints: ["node-role.kubernetes.io/master:NoSchedule"]
      age: 6d21h
    - name: worker1
      ip: 192.168.200.12
  podCIDR: 10.244.0.0/16
  serviceCIDR: 10.1.0.0/16
  seed: 7
  age: 6d21h
objects:
  - age: 24h
    manifest: {apiVersion: v1, kind: Pod, metadata: {name: testpod}}
    status: {restarts: 12, lastRestart: 24m}
timeout: 10m
backends: [sim]
known-failure: rollout history differs
---

1.创建deployment

```console
[root@master ~]# kubectl  create deployment  test-nginx  --image=nginx
deployment.apps/test-nginx created
[root@master ~]# kubectl  get pod
NAME                         READY   STATUS    RESTARTS       AGE
test-nginx-59ffd87f5-mqvjq   1/1     Running   0              58s
testpod                      1/1     Running   12 (24m ago)   24h
```

Deployment控制器伸缩

```console
[root@master ~]# kubectl  scale deployment test-nginx --replicas=5   //增加pod副本数
deployment.apps/test-nginx scaled
```

```yaml file=testdeployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: testdeployment
```

```bash
# not a transcript: no prompt
kubectl get pods
```

```console
[root@master ~]# kubectl  get pod nope
? 1
Error from server (NotFound): pods "nope" not found
```
"#;

#[test]
fn seed_style_tutorial() {
    let s = md(SEED_STYLE).expect("parses");
    assert_eq!(s.path, Path::new("tutorial.md"));
    let meta = &s.meta;
    assert_eq!(meta.title.as_deref(), Some("部署并发布简单的应用"));
    assert_eq!(meta.tags, ["deployment", "scale"]);
    let day = 86_400;
    assert_eq!(
        meta.cluster,
        ClusterSpec {
            profile: Some("kubeadm".into()),
            version: Some(crate::version::KubeVersion::new(1, 22, 2)),
            nodes: Some(vec![
                NodeSpec {
                    name: "master".into(),
                    roles: vec!["control-plane".into(), "master".into()],
                    ip: Some("192.168.200.11".into()),
                    taints: vec!["node-role.kubernetes.io/master:NoSchedule".into()],
                    age: Some(Duration::from_secs(6 * day + 21 * 3600)),
                    ..NodeSpec::default()
                },
                NodeSpec {
                    name: "worker1".into(),
                    ip: Some("192.168.200.12".into()),
                    ..NodeSpec::default()
                },
            ]),
            pod_cidr: Some("10.244.0.0/16".into()),
            service_cidr: Some("10.1.0.0/16".into()),
            seed: Some(7),
            age: Some(Duration::from_secs(6 * day + 21 * 3600)),
            ..ClusterSpec::default()
        }
    );
    assert_eq!(
        meta.objects,
        [SeedObject {
            age: Some(Duration::from_secs(day)),
            manifest: json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "testpod"}}),
            restarts: Some(12),
            last_restart: Some(Duration::from_secs(24 * 60)),
        }]
    );
    assert_eq!(meta.timeout, Some(Duration::from_secs(600)));
    assert_eq!(meta.backends, Some(vec!["sim".to_string()]));
    assert_eq!(meta.known_failure.as_deref(), Some("rollout history differs"));

    let spans: Vec<usize> = s.steps.iter().map(|s| s.span.line).collect();
    assert_eq!(spans, [31, 33, 42, 46, 59]);
    let cmds = commands(&s);
    assert_eq!(cmds.len(), 4);
    assert_eq!(
        *cmds[0],
        Command {
            host: Some("master".into()),
            line: "kubectl  create deployment  test-nginx  --image=nginx".into(),
            expected: Expected {
                text: "deployment.apps/test-nginx created\n".into(),
                first_line: 32,
                mode: MatchMode::Exact,
            },
            ..Command::default()
        }
    );
    assert_eq!(cmds[1].line, "kubectl  get pod");
    assert_eq!(cmds[1].expected.first_line, 34);
    assert_eq!(cmds[1].expected.text.lines().count(), 3);
    assert!(cmds[1].expected.text.ends_with("12 (24m ago)   24h\n"));
    assert_eq!(cmds[2].line, "kubectl  scale deployment test-nginx --replicas=5");
    assert_eq!(
        s.steps[3].kind,
        StepKind::WriteFile {
            name: "testdeployment.yaml".into(),
            content: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: testdeployment\n"
                .into(),
        }
    );
    assert_eq!(s.steps[3].span, Span { line: 46, column: 1 });
    assert_eq!(cmds[3].status, ExpectedStatus::Code(1));
    assert_eq!(cmds[3].expected.first_line, 61);
    assert!(check(&s).is_empty(), "{:?}", check(&s));
}

#[test]
fn block_kinds_and_attributes() {
    let text = "\
```sh
$ kubectl get ns
NAME
```

```shell-session match=unordered timeout=1m
$ printenv
A=1
```

```console skip=\"needs a cloud load balancer\" prompt=\"# \"
# kubectl get svc
NAME
```

```
$ no info string: prose
```

```text
$ prose too
```

```json file=./conf/x.json no-eol
{}
```

- list item

  ```console
  $ echo in a list
  in a list
  ```

> ```console
> $ echo quoted
> quoted
> ```
";
    let s = md(text).expect("parses");
    let cmds = commands(&s);
    let lines: Vec<&str> = cmds.iter().map(|c| c.line.as_str()).collect();
    assert_eq!(
        lines,
        ["kubectl get ns", "printenv", "kubectl get svc", "echo in a list", "echo quoted"]
    );
    assert_eq!(cmds[1].expected.mode, MatchMode::Unordered);
    assert_eq!(cmds[1].timeout, Some(Duration::from_secs(60)));
    assert_eq!(cmds[2].skip.as_deref(), Some("needs a cloud load balancer"));
    assert_eq!(cmds[2].expected.text, "NAME\n");
    assert_eq!(
        cmds[3].expected,
        Expected { text: "in a list\n".into(), first_line: 32, ..Default::default() }
    );
    assert_eq!(
        cmds[4].expected,
        Expected { text: "quoted\n".into(), first_line: 37, ..Default::default() }
    );
    let file = s.steps.iter().find(|s| matches!(s.kind, StepKind::WriteFile { .. })).unwrap();
    assert_eq!(
        file.kind,
        StepKind::WriteFile { name: "./conf/x.json".into(), content: "{}".into() }
    );
    assert_eq!(file.span.line, 24);
}

#[test]
fn front_matter_variants() {
    let s = md("---\n---\n").expect("empty front matter");
    assert_eq!(s.meta, FrontMatter::default());
    let s =
        md("---\ncluster: kind\nsetup:\n  - kubectl run t --image=busybox\n---\n").expect("parses");
    assert_eq!(s.meta.cluster.profile.as_deref(), Some("kind"));
    assert_eq!(s.meta.setup, ["kubectl run t --image=busybox"]);
    assert!(s.steps.is_empty());
    // `---` not on the first line is a thematic break, not front matter.
    let s = md("# Title\n\n---\n\ntext\n").expect("parses");
    assert_eq!(s.meta, FrontMatter::default());
    // A byte-order mark does not hide the front matter.
    let s = md("\u{feff}---\ntitle: t\n---\n").expect("parses");
    assert_eq!(s.meta.title.as_deref(), Some("t"));
}

#[test]
fn crlf_files_parse_like_lf_files() {
    let lf = "---\ntitle: t\n---\n\n```yaml file=a.yaml\nx: 1\n```\n\n```console\n$ kubectl get pods \\\n  -A\nNAME\n```\n";
    let crlf = lf.replace('\n', "\r\n");
    let (a, b) = (md(lf).expect("lf"), md(&crlf).expect("crlf"));
    assert_eq!(a.meta, b.meta);
    assert_eq!(commands(&a), commands(&b));
    assert_eq!(commands(&b)[0].line, "kubectl get pods -A");
    // pulldown-cmark normalises code-block line ends; workspace files get `\n`.
    assert_eq!(
        b.steps[0].kind,
        StepKind::WriteFile { name: "a.yaml".into(), content: "x: 1\n".into() }
    );
}

/// Each error case: input, code, line, column (0: not checked).
#[test]
fn errors() {
    let cases: &[(&str, ErrorCode, usize, usize)] = &[
        ("text\n\n```console\n$ ls\n", ErrorCode::UnterminatedFence, 3, 1),
        ("````console\n$ ls\n```\n", ErrorCode::UnterminatedFence, 1, 1),
        ("---\ntitle: x\n", ErrorCode::UnclosedFrontMatter, 1, 1),
        ("---\ntitle: x\ntags: [a\n---\n", ErrorCode::InvalidYaml, 4, 1),
        ("---\ntitle: 'x\n---\n", ErrorCode::InvalidYaml, 0, 0),
        ("---\ntitle: x\ncolour: red\n---\n", ErrorCode::UnknownKey, 3, 1),
        ("---\ncluster:\n  profile: kind\n  podCidr: x\n---\n", ErrorCode::UnknownKey, 4, 3),
        (
            "---\ncluster:\n  nodes:\n    - name: a\n      role: x\n---\n",
            ErrorCode::UnknownKey,
            5,
            7,
        ),
        ("---\nknown_failure: x\n---\n", ErrorCode::UnknownKey, 2, 1),
        ("---\nsteps: []\n---\n", ErrorCode::UnknownKey, 2, 1),
        ("---\ntimeout: soon\n---\n", ErrorCode::InvalidValue, 2, 10),
        (
            "---\ncluster:\n  nodes:\n    - name: a\n      age: 3x\n---\n",
            ErrorCode::InvalidValue,
            5,
            12,
        ),
        ("---\nbackends: [sim, docker]\n---\n", ErrorCode::InvalidValue, 2, 17),
        ("---\ntimeout: 30\n---\n", ErrorCode::InvalidValue, 2, 0),
        ("---\ncluster: [a]\n---\n", ErrorCode::InvalidValue, 2, 0),
        ("---\nobjects:\n  - age: 1h\n---\n", ErrorCode::InvalidValue, 3, 0),
        ("```console\nNAME   READY\n$ ls\n```\n", ErrorCode::OutputWithoutCommand, 2, 1),
        ("```console\n$ ls\n? maybe\n```\n", ErrorCode::BadStatus, 3, 3),
        ("```yaml file=\nx\n```\n", ErrorCode::MissingFileName, 1, 9),
        ("```yaml  file\nx\n```\n", ErrorCode::MissingFileName, 1, 10),
        ("```console match=fuzzy\n$ ls\n```\n", ErrorCode::BadAttribute, 1, 12),
        ("```console timeout=soon\n$ ls\n```\n", ErrorCode::BadAttribute, 1, 0),
        ("```yaml file=x skip=\"no\"\nx\n```\n", ErrorCode::BadAttribute, 1, 0),
        ("```yaml check=\nx\n```\n", ErrorCode::BadAttribute, 1, 0),
        ("```yaml edit=web\nx\n```\n", ErrorCode::BadAttribute, 1, 0),
        ("```console\n$ cat <<EOF\nx\n```\n", ErrorCode::UnterminatedHeredoc, 2, 0),
    ];
    for (text, code, line, column) in cases {
        let err = md(text).expect_err(text);
        assert_eq!(err.code, *code, "{text:?}: {err}");
        if *line > 0 {
            assert_eq!(err.line, *line, "{text:?}: {err}");
        }
        if *column > 0 {
            assert_eq!(err.column, *column, "{text:?}: {err}");
        }
        let primary = format!("at line {} column {}", err.line, err.column);
        assert!(!err.message.contains(&primary), "location stays out of the message: {err}");
    }
}

#[test]
fn error_display_and_shifted_inner_locations() {
    let err = md("---\ntitle: x\ncolour: red\n---\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "tutorial.md:3:1: error[S0004]: front matter: unknown field `colour`, expected one of \
         `title`, `tags`, `cluster`, `setup`, `objects`, `timeout`, `backends`, `known-failure`, \
         `vars`, `images`, `capabilities`"
    );
    // serde_yaml names a second position inside its message; it is shifted too.
    let err = md("---\ntitle: x\ntags: [a\n---\n").unwrap_err();
    assert!(err.message.contains("at line 3 column 7"), "{}", err.message);
    let err = parse_file(Path::new("notes.txt"), "").unwrap_err();
    assert_eq!(err.code, ErrorCode::UnknownFormat);
    assert_eq!(err.to_string().split(": error").next(), Some("notes.txt:1:1"));
}

#[test]
fn format_by_extension_and_load() {
    assert_eq!(Format::of(Path::new("a/b.MD")), Some(Format::Markdown));
    assert_eq!(Format::of(Path::new("b.markdown")), Some(Format::Markdown));
    assert_eq!(Format::of(Path::new("b.yml")), Some(Format::Yaml));
    assert_eq!(Format::of(Path::new("b.yaml")), Some(Format::Yaml));
    assert_eq!(Format::of(Path::new("b")), None);
    let s = parse_file(Path::new("x.yml"), "steps:\n  - run: ls\n").expect("yaml");
    assert_eq!(s.steps.len(), 1);

    let dir = std::env::temp_dir().join(format!("kubeplay-scenario-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("ok.md");
    std::fs::write(&file, "```console\n$ ls\n```\n").expect("write");
    let s = load(&file).expect("loads");
    assert_eq!(s.path, file);
    let missing = dir.join("missing.md");
    let err = load(&missing).unwrap_err();
    assert!(matches!(err, LoadError::Io { .. }), "{err}");
    assert_eq!(err.path(), missing);
    std::fs::write(&file, "```console\n$ ls\n").expect("write");
    assert!(matches!(load(&file), Err(LoadError::Parse(_))));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Truncated and garbled variants of valid files must give Ok or Err, never
/// a panic (bad input gets a clear error, DESIGN §6).
#[test]
fn no_input_panics() {
    let yaml = "title: t\ncluster:\n  nodes:\n    - name: a\n      age: 1d\nsteps:\n  - file: a.yaml\n    content: |\n      x: 1\n  - run: cat <<EOF\n    expect: |\n      ok\n    status: 1\n";
    let extra = "```console prompt=\"# \" skip='x' match=subset\n# a \\\n  b\n? failed\n\t out\n```\n\n```sh\n$ cat <<'E' > f\n«ü»\nE\n```\n";
    let inputs = [SEED_STYLE, yaml, extra];
    let junk = [
        "", "\n", "`", "```", "---", "---\n", "\\", "$ ", "? ", "<<", "'", "\"", "é", "\r\n", "\t",
        ":", "- ", "[", "{", "#",
    ];
    let mut count = 0;
    for (which, input) in inputs.iter().enumerate() {
        let chars: Vec<(usize, char)> = input.char_indices().collect();
        for path in ["f.md", "f.yaml"] {
            let path = Path::new(path);
            // Every prefix (truncation at each character).
            for &(at, _) in &chars {
                let _ = parse_file(path, &input[..at]);
                count += 1;
            }
            // Junk spliced in at spread-out positions, and characters dropped.
            for (k, &(at, _)) in chars.iter().enumerate().step_by(7 + which) {
                let piece = junk[k % junk.len()];
                let spliced = format!("{}{}{}", &input[..at], piece, &input[at..]);
                let _ = parse_file(path, &spliced);
                if let Some(&(next, _)) = chars.get(k + 1) {
                    let dropped = format!("{}{}", &input[..at], &input[next..]);
                    let _ = parse_file(path, &dropped);
                }
                count += 2;
            }
        }
        // Every line deleted in turn, and lines swapped with their neighbour.
        let lines: Vec<&str> = input.lines().collect();
        for i in 0..lines.len() {
            let mut v = lines.clone();
            v.remove(i);
            let _ = parse_file(Path::new("f.md"), &v.join("\n"));
            if i + 1 < lines.len() {
                let mut v = lines.clone();
                v.swap(i, i + 1);
                let _ = parse_file(Path::new("f.md"), &v.join("\n"));
            }
            count += 2;
        }
    }
    for piece in junk {
        let _ = parse_file(Path::new("f.md"), &piece.repeat(50));
        let _ = parse_file(Path::new("f.yaml"), &piece.repeat(50));
        for other in junk {
            let _ = parse_file(Path::new("f.md"), &format!("{piece}{other}\n{other}{piece}"));
        }
    }
    assert!(count > 1000);
}

/// The bundled scenarios parse and lint clean; the deliberately broken ones
/// fail with the error they were written to show.
#[test]
fn repository_scenarios() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![root.join("scenarios")];
    let mut seen = 0;
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if is_scenario_file(&path) {
                let s = load(&path).unwrap_or_else(|e| panic!("{e}"));
                assert!(!s.steps.is_empty(), "{}", path.display());
                let lints = check(&s);
                assert!(lints.is_empty(), "{}: {lints:?}", path.display());
                seen += 1;
            }
        }
    }
    assert!(seen > 0, "no scenarios found under {}", root.join("scenarios").display());
    let broken = [
        ("bad-front-matter.md", ErrorCode::InvalidYaml, 3),
        ("unknown-key.md", ErrorCode::UnknownKey, 3),
        ("unterminated-fence.md", ErrorCode::UnterminatedFence, 5),
    ];
    for (name, code, line) in broken {
        let path = root.join("tests/broken").join(name);
        if !path.exists() {
            continue;
        }
        match load(&path) {
            Err(LoadError::Parse(err)) => {
                assert_eq!((err.code, err.line), (code, line), "{err}");
            }
            other => panic!("{name}: expected a parse error, got {other:?}"),
        }
    }
}

#[test]
fn check_and_edit_blocks_become_steps() {
    let s = md("```text check=out.txt\npod/web-1  \n```\n\n```yaml edit=deploy/web\nspec:\n  replicas: 3\n```\n")
        .unwrap();
    match &s.steps[0].kind {
        StepKind::CheckFile { name, expected } => {
            assert_eq!(name, "out.txt");
            assert_eq!(expected.text, "pod/web-1\n");
            assert_eq!(expected.first_line, 2);
        }
        other => panic!("{other:?}"),
    }
    match &s.steps[1].kind {
        StepKind::Edit { target, content } => {
            assert_eq!(target, "deploy/web");
            assert_eq!(content, "spec:\n  replicas: 3\n");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn vars_fill_placeholders_in_commands_and_output() {
    let s = md("---\nvars:\n  <pod>: web-1\n  <pod-name>: web-5f6c8d8b9d-abcde\n---\n\n```console\n$ kubectl delete pod <pod-name>\npod \"<pod-name>\" deleted\n$ echo <pod>\nweb-1\n```\n")
        .unwrap();
    let lines: Vec<(&str, &str)> =
        commands(&s).iter().map(|c| (c.line.as_str(), c.expected.text.as_str())).collect();
    assert_eq!(
        lines,
        vec![
            ("kubectl delete pod web-5f6c8d8b9d-abcde", "pod \"web-5f6c8d8b9d-abcde\" deleted\n"),
            ("echo web-1", "web-1\n")
        ]
    );
}
