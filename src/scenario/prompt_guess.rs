//! Telling a command typed at a prompt kubeplay does not recognise from
//! ordinary output, so that `check` and parse errors can suggest the block
//! attribute `prompt="…"` (Killercoda's `controlplane $ `, PowerShell's
//! `PS C:\> `, zsh themes' `➜  ~ `). A guess for messages only: it never
//! changes how a scenario parses.

/// Programs a tutorial's command line starts with.
const PROGRAMS: &[&str] = &[
    "kubectl",
    "k",
    "kubeadm",
    "minikube",
    "kind",
    "helm",
    "docker",
    "curl",
    "watch",
    "cat",
    "echo",
    "export",
    "alias",
    "vi",
    "vim",
    "nano",
    "systemctl",
    "sudo",
];

/// The prompt in front of a command on `line`, when the line looks like a
/// command typed at an unusual prompt: a short prefix that ends like a
/// prompt (`$`, `#`, `%`, `>`, `❯`, `]`, `~`, or holds `➜`), then a known
/// program and a blank or the end of the line.
pub fn unusual_prompt(line: &str) -> Option<&str> {
    for (at, _) in line.char_indices().filter(|(i, c)| *i > 0 && !c.is_whitespace()) {
        let (prefix, rest) = line.split_at(at);
        if prefix.chars().count() > 40 || !prefix.ends_with(' ') || prefix.contains('\t') {
            continue;
        }
        let word = rest.split(' ').next().unwrap_or(rest);
        if !PROGRAMS.contains(&word) {
            continue;
        }
        let trimmed = prefix.trim_end();
        let looks_like_prompt =
            trimmed.ends_with(['$', '#', '%', '>', '❯', ']', '~']) || trimmed.contains('➜');
        // A `# ` alone is a comment marker in output more often than a prompt.
        if looks_like_prompt && trimmed != "#" {
            return Some(prefix);
        }
    }
    None
}

/// The suggestion for a block whose command lines start with `prompt`.
pub fn suggestion(prompt: &str) -> String {
    format!(
        "it looks like a command typed at the prompt `{prompt}`, which kubeplay does not \
         recognise: declare it on the block, ```console prompt=\"{prompt}\""
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unusual_prompts_are_guessed_output_is_not() {
        assert_eq!(unusual_prompt("controlplane $ kubectl get pods"), Some("controlplane $ "));
        assert_eq!(unusual_prompt(r"PS C:\> kubectl get nodes"), Some(r"PS C:\> "));
        assert_eq!(unusual_prompt("➜  ~ k get po"), Some("➜  ~ "));
        assert_eq!(unusual_prompt("NAME   READY   STATUS"), None);
        assert_eq!(unusual_prompt("    Command: kubectl proxy"), None);
        assert_eq!(unusual_prompt("# kubectl get pods"), None);
        assert_eq!(unusual_prompt("deployment.apps/web created"), None);
    }
}
