//! Interactive sessions in a transcript: after a command that opens one
//! (`kubectl exec -it POD -- sh`, `kubectl run -it ... -- sh`), the lines
//! at the container shell's prompt are typed into it, not into the
//! tutorial shell:
//!
//! ```text
//! $ kubectl run -it --rm test --image=busybox --restart=Never -- sh
//! If you don't see a command prompt, try pressing enter.
//! / # hostname
//! test
//! / # exit
//! pod "test" deleted
//! ```
//!
//! The session's prompt is recognised by its shape — busybox ash's `/ # `
//! (any directory, `~`), Debian bash's `root@HOST:/# `, `sh-5.1# `, a bare
//! `# ` or `$ `, or `[root@HOST /]# ` — or declared on the block
//! (`session-prompt="/ # "`). The first such line after the command fixes
//! the shape; the session lasts until a line typed `exit` (whose output
//! includes what kubectl prints afterwards) or a prompt of another shape.

use std::sync::LazyLock;

use regex::Regex;

/// Prompt shapes of container shells, most specific first.
static SHAPES: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        // busybox ash `\w \$ `: `/ # `, `/etc/config # `, `~ $ `.
        r"^(?:/|~)[^\s#$]*\s[#$](?:\s|$)",
        // Debian bash `\u@\h:\w\$ `: `root@web-5d8f:/# `.
        r"^[\w.-]+@[\w.-]+:[^\s#$]*[#$](?:\s|$)",
        // bash invoked as sh or without a PS1: `sh-5.1# `, `bash-4.4$ `.
        r"^(?:sh|bash)-\d+(?:\.\d+)*[#$](?:\s|$)",
        // RHEL-family bash: `[root@web-5d8f /]# `.
        r"^\[[^\s@\]\[]+@[^\s\]\[]+\s[^\]\[]*\][#$](?:\s|$)",
        // dash, or a shell without a PS1: `# `, `$ `.
        r"^[#$](?:\s|$)",
    ]
    .iter()
    .map(|re| Regex::new(re).expect("valid regex"))
    .collect()
});

/// How a session's prompt is recognised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SessionPrompt {
    /// One of the [`SHAPES`] (by index), found on the first prompt line.
    Shape(usize),
    /// A prompt declared on the block (`session-prompt="/ # "`).
    Declared(String),
}

impl SessionPrompt {
    /// The prompt of the first session line, if `line` is one.
    pub(crate) fn detect(line: &str, declared: Option<&str>) -> Option<SessionPrompt> {
        if let Some(d) = declared {
            let p = SessionPrompt::Declared(d.to_owned());
            return p.input(line).is_some().then_some(p);
        }
        let at = SHAPES.iter().position(|re| re.is_match(line))?;
        Some(SessionPrompt::Shape(at))
    }

    /// Whether this is the bare `# ` / `$ ` shape.
    pub(crate) fn is_bare(&self) -> bool {
        *self == SessionPrompt::Shape(SHAPES.len() - 1)
    }

    /// What was typed, if `line` starts with this session's prompt.
    pub(crate) fn input<'a>(&self, line: &'a str) -> Option<&'a str> {
        match self {
            SessionPrompt::Declared(p) => match line.strip_prefix(p.as_str()) {
                Some(rest) => Some(rest.trim()),
                None => (line.trim_end() == p.trim_end() && !p.trim().is_empty()).then_some(""),
            },
            SessionPrompt::Shape(i) => {
                let m = SHAPES[*i].find(line)?;
                Some(line[m.end()..].trim())
            }
        }
    }
}

/// Whether `command` opens an interactive session: `kubectl exec`, `run`
/// or `attach` with stdin attached (`-i`, `-it`, `-ti`, `--stdin`) that
/// runs a shell reading its input (`-- sh`, `-- /bin/bash`; for `run`
/// also the image's default command; not `sh -c SCRIPT`).
pub(crate) fn opens_session(command: &str) -> bool {
    let words: Vec<&str> = command.split_whitespace().collect();
    let Some(k) = words.iter().position(|w| *w == "kubectl") else { return false };
    let before_dash: Vec<&str> =
        words[k + 1..].iter().take_while(|w| **w != "--").copied().collect();
    let after_dash: Vec<&str> =
        words[k + 1..].iter().skip_while(|w| **w != "--").skip(1).copied().collect();
    // The verb: the first word that is neither a flag nor the value of a
    // global flag given before it (`kubectl -n dev exec ...`).
    let mut verb = None;
    let mut skip = false;
    for w in &before_dash {
        if skip {
            skip = false;
        } else if matches!(
            *w,
            "-n" | "--namespace"
                | "--context"
                | "--kubeconfig"
                | "--cluster"
                | "--user"
                | "-s"
                | "--server"
        ) {
            skip = true;
        } else if !w.starts_with('-') {
            verb = Some(w);
            break;
        }
    }
    let shell = match after_dash.first() {
        None => matches!(verb, Some(&("run" | "attach"))),
        Some(program) => {
            let base = program.trim_matches(['\'', '"']).rsplit('/').next().unwrap_or_default();
            matches!(base, "sh" | "bash" | "ash" | "dash" | "zsh")
                && !after_dash.iter().any(|w| w.trim_matches(['\'', '"']) == "-c")
        }
    };
    if !shell || !matches!(verb, Some(&("exec" | "run" | "attach"))) {
        return false;
    }
    before_dash.iter().any(|w| {
        *w == "--stdin"
            || *w == "--stdin=true"
            || w.strip_prefix('-').is_some_and(|f| {
                !f.starts_with('-')
                    && !f.is_empty()
                    && f.contains('i')
                    && f.chars().all(|c| "itq".contains(c))
            })
    })
}

/// Whether typing `input` ends the shell (`exit`, `exit 3`, `logout`).
pub(crate) fn ends_session(input: &str) -> bool {
    let mut words = input.split_whitespace();
    matches!(words.next(), Some("exit" | "logout"))
        && words.next().is_none_or(|w| w.parse::<u8>().is_ok())
        && words.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_openers() {
        for yes in [
            "kubectl run -it --rm test --image=busybox --restart=Never -- sh",
            "kubectl exec -it web -- /bin/bash",
            "kubectl exec -ti web -c nginx -- sh",
            "kubectl exec --stdin --tty web -- sh",
            "kubectl -n dev exec -i -t web -- sh",
            "kubectl attach -it web",
            "kubectl run -it --rm t --image=busybox",
            "kubectl exec -it web -- bash -il",
        ] {
            assert!(opens_session(yes), "{yes}");
        }
        for no in [
            "kubectl exec web -- sh -c 'echo -it'",
            "kubectl get pods -it",
            "kubectl run web --image=nginx",
            "kubectl exec web -- ls -i",
            "kubectl exec -it web -- ls /",
            "kubectl exec -it web -- sh -c 'ls /'",
            "kubectl run -it --rm t --image=busybox -- wget -qO- web",
        ] {
            assert!(!opens_session(no), "{no}");
        }
    }

    #[test]
    fn prompt_shapes() {
        let cases: &[(&str, Option<&str>)] = &[
            ("/ # hostname", Some("hostname")),
            ("/ # ", Some("")),
            ("/ #", Some("")),
            ("/etc/config # ls", Some("ls")),
            ("~ $ id", Some("id")),
            ("root@web-5d8f9c-x2x4k:/# ls /usr/share/nginx/html", Some("ls /usr/share/nginx/html")),
            ("root@web:/usr/share/nginx/html# cat index.html", Some("cat index.html")),
            ("sh-5.1# env", Some("env")),
            ("[root@web-5d8f /]# exit", Some("exit")),
            ("# printenv", Some("printenv")),
            ("If you don't see a command prompt, try pressing enter.", None),
            ("/usr/share/nginx/html", None),
            ("KUBERNETES_PORT=tcp://10.96.0.1:443", None),
        ];
        for (line, want) in cases {
            let got =
                SessionPrompt::detect(line, None).and_then(|p| p.input(line).map(str::to_owned));
            assert_eq!(got.as_deref(), *want, "{line:?}");
        }
        let busybox = SessionPrompt::detect("/ # ls", None).unwrap();
        assert_eq!(busybox.input("root@x:/# ls"), None, "one shape per session");
        let declared = SessionPrompt::detect("app> ls", Some("app> ")).unwrap();
        assert_eq!(declared.input("app> pwd"), Some("pwd"));
        assert_eq!(declared.input("app>"), Some(""));
        assert!(SessionPrompt::detect("/ # ls", Some("app> ")).is_none());
    }

    #[test]
    fn exits() {
        assert!(ends_session("exit"));
        assert!(ends_session("exit 3"));
        assert!(ends_session("logout"));
        assert!(!ends_session("exit; echo"));
        assert!(!ends_session("echo exit"));
    }
}
