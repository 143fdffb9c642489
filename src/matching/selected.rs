//! Output whose meaning the command names: a kubectl template that prints
//! one field, where the field says what kind of volatile value the bare
//! text is.
//!
//! A bare number in expected output is literal (a count, an exit code, a
//! replica number), so `31849` alone never binds. But `kubectl get svc web
//! -o jsonpath='{.spec.ports[0].nodePort}'` prints a NodePort and nothing
//! else: the command says so. For such a command (one template that ends in
//! `.nodePort`, nothing piped or redirected), the one expected number is
//! matched as the NodePort variable it is, bound like the `31849` of
//! `8080:31849/TCP` in a later `get services`.

use std::sync::LazyLock;

use regex::Regex;

use super::{Bindings, Mismatch, match_output};
use crate::scenario::model::Expected;

/// A jsonpath (`{.spec.ports[0].nodePort}`) or go-template
/// (`{{(index .spec.ports 0).nodePort}}`) whose only output is one
/// `nodePort` field.
static NODE_PORT_TEMPLATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\{\{?[^{}]*\.nodePort\)?\s*\}\}?$").expect("valid regex"));

/// The text the token reader takes as a NodePort (`nodePort: N`, as in
/// `-o yaml`), which a selected number is read as.
const NODE_PORT_FIELD: &str = "nodePort: ";

/// Whether `line` is one kubectl command whose template prints a Service's
/// node port alone.
pub fn selects_node_port(line: &str) -> bool {
    if !line.starts_with("kubectl ") || line.contains(['|', '>', '<', ';', '&', '`']) {
        return false;
    }
    let Ok(words) = shell_words::split(line) else { return false };
    let mut templates = Vec::new();
    let mut prev_output = false;
    for w in &words {
        let value = w
            .strip_prefix("-o=")
            .or_else(|| w.strip_prefix("--output="))
            .or_else(|| w.strip_prefix("-o"))
            .or_else(|| prev_output.then_some(w.as_str()));
        prev_output = w == "-o" || w == "--output";
        if let Some(v) = value
            && let Some((format, template)) = v.split_once('=')
            && matches!(format, "jsonpath" | "go-template" | "template")
        {
            templates.push(template.to_owned());
        } else if let Some(t) = w.strip_prefix("--template=") {
            templates.push(t.to_owned());
        }
    }
    matches!(templates.as_slice(), [t] if NODE_PORT_TEMPLATE.is_match(t.trim()))
}

/// [`match_output`] for the output of `line`: a command that selects a
/// node port ([`selects_node_port`]) with one bare number expected has it
/// matched as a NodePort; everything else as [`match_output`] does.
pub fn match_command_output(
    line: &str,
    expected: &Expected,
    actual: &str,
    bindings: &Bindings,
) -> Result<Bindings, Mismatch> {
    let number = |s: &str| {
        let t = s.trim_end_matches('\n');
        (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())).then(|| t.to_owned())
    };
    if selects_node_port(line)
        && let (Some(want), Some(got)) = (number(&expected.text), number(actual))
    {
        let as_field = Expected { text: format!("{NODE_PORT_FIELD}{want}\n"), ..expected.clone() };
        return match_output(&as_field, &format!("{NODE_PORT_FIELD}{got}\n"), bindings).map_err(
            |m| Mismatch {
                expected: m.expected.replacen(NODE_PORT_FIELD, "", 1),
                actual: actual.to_owned(),
                ..m
            },
        );
    }
    match_output(expected, actual, bindings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exp(text: &str) -> Expected {
        Expected { text: text.to_owned(), first_line: 1, ..Default::default() }
    }

    #[test]
    fn templates_that_select_a_node_port() {
        for line in [
            "kubectl get services/web -o go-template='{{(index .spec.ports 0).nodePort}}'",
            "kubectl get svc web -o jsonpath='{.spec.ports[0].nodePort}'",
            "kubectl get svc web -o=jsonpath={.spec.ports[0].nodePort}",
            "kubectl get svc web --output jsonpath=\"{.spec.ports[0].nodePort}\"",
        ] {
            assert!(selects_node_port(line), "{line}");
        }
        for line in [
            "kubectl get svc web -o jsonpath='{.spec.ports[0].port}'",
            "kubectl get svc web -o jsonpath='port {.spec.ports[0].nodePort}'",
            "kubectl get svc web -o jsonpath='{.spec.ports[0].nodePort}' | wc -c",
            "echo 31849",
        ] {
            assert!(!selects_node_port(line), "{line}");
        }
    }

    #[test]
    fn a_selected_node_port_binds_and_a_bare_number_elsewhere_stays_literal() {
        let line = "kubectl get svc web -o jsonpath='{.spec.ports[0].nodePort}'";
        let b = match_command_output(line, &exp("31849\n"), "30123", &Bindings::default())
            .expect("binds");
        // The bound port is the same variable in a later table.
        let later = exp("web   NodePort   10.96.0.9   <none>   80:31849/TCP   5s\n");
        assert!(
            match_output(&later, "web   NodePort   10.96.0.9   <none>   80:30123/TCP   5s\n", &b)
                .is_ok()
        );
        assert!(
            match_output(&later, "web   NodePort   10.96.0.9   <none>   80:30999/TCP   5s\n", &b)
                .is_err()
        );
        // Not a node-port command: the number is literal.
        let other = "kubectl get deploy web -o jsonpath='{.spec.replicas}'";
        assert!(
            match_command_output(other, &exp("31849\n"), "30123", &Bindings::default()).is_err()
        );
    }
}
