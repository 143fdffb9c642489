//! Labels and label selectors as kubectl formats and matches them
//! (`apimachinery/pkg/labels`, `metav1.LabelSelectorAsSelector`,
//! `metav1.FormatLabelSelector`).

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

/// `labels.FormatLabels`: `k=v` pairs sorted by key, joined by `,`;
/// `<none>` when empty.
pub fn format_labels(labels: Option<&BTreeMap<String, String>>) -> String {
    let text = labels
        .map(|m| m.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(","))
        .unwrap_or_default();
    if text.is_empty() { "<none>".to_owned() } else { text }
}

/// One requirement of a selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requirement {
    /// `k=v` (also `k==v`, `k in (v)` with one value prints as `k in (v)`).
    Equals(String, String),
    /// `k!=v`.
    NotEquals(String, String),
    /// `k in (a,b)`.
    In(String, Vec<String>),
    /// `k notin (a,b)`.
    NotIn(String, Vec<String>),
    /// `k`.
    Exists(String),
    /// `!k`.
    DoesNotExist(String),
}

impl Requirement {
    fn key(&self) -> &str {
        match self {
            Requirement::Equals(k, _)
            | Requirement::NotEquals(k, _)
            | Requirement::In(k, _)
            | Requirement::NotIn(k, _)
            | Requirement::Exists(k)
            | Requirement::DoesNotExist(k) => k,
        }
    }

    fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        match self {
            Requirement::Equals(k, v) => labels.get(k) == Some(v),
            Requirement::NotEquals(k, v) => labels.get(k) != Some(v),
            Requirement::In(k, vs) => labels.get(k).is_some_and(|l| vs.contains(l)),
            Requirement::NotIn(k, vs) => labels.get(k).is_none_or(|l| !vs.contains(l)),
            Requirement::Exists(k) => labels.contains_key(k),
            Requirement::DoesNotExist(k) => !labels.contains_key(k),
        }
    }

    fn text(&self) -> String {
        match self {
            Requirement::Equals(k, v) => format!("{k}={v}"),
            Requirement::NotEquals(k, v) => format!("{k}!={v}"),
            Requirement::In(k, vs) => format!("{k} in ({})", vs.join(",")),
            Requirement::NotIn(k, vs) => format!("{k} notin ({})", vs.join(",")),
            Requirement::Exists(k) => k.clone(),
            Requirement::DoesNotExist(k) => format!("!{k}"),
        }
    }
}

/// An internal label selector: requirements sorted by key.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selector {
    /// The requirements; all must hold.
    pub requirements: Vec<Requirement>,
    /// `labels.Nothing()`: a nil `LabelSelector` selects nothing.
    pub nothing: bool,
}

impl Selector {
    /// `metav1.LabelSelectorAsSelector`.
    pub fn from_label_selector(selector: Option<&LabelSelector>) -> Selector {
        let Some(sel) = selector else {
            return Selector { requirements: Vec::new(), nothing: true };
        };
        let mut reqs = Vec::new();
        for (k, v) in sel.match_labels.iter().flatten() {
            reqs.push(Requirement::Equals(k.clone(), v.clone()));
        }
        for e in sel.match_expressions.iter().flatten() {
            let mut values = e.values.clone().unwrap_or_default();
            values.sort();
            let k = e.key.clone();
            reqs.push(match e.operator.as_str() {
                "In" => Requirement::In(k, values),
                "NotIn" => Requirement::NotIn(k, values),
                "Exists" => Requirement::Exists(k),
                _ => Requirement::DoesNotExist(k),
            });
        }
        reqs.sort_by(|a, b| a.key().cmp(b.key()));
        Selector { requirements: reqs, nothing: false }
    }

    /// `labels.Parse` for `-l/--selector` (`a=b,c!=d,e in (x,y),f,!g`).
    pub fn parse(text: &str) -> Result<Selector, String> {
        let mut reqs = Vec::new();
        for part in split_top_level(text) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            let req = if let Some(k) = part.strip_prefix('!') {
                Requirement::DoesNotExist(k.trim().to_owned())
            } else if let Some((k, v)) = part.split_once("!=") {
                Requirement::NotEquals(k.trim().to_owned(), v.trim().to_owned())
            } else if let Some((k, v)) = part.split_once("==") {
                Requirement::Equals(k.trim().to_owned(), v.trim().to_owned())
            } else if let Some((k, v)) = part.split_once('=') {
                Requirement::Equals(k.trim().to_owned(), v.trim().to_owned())
            } else if let Some((k, rest)) = part.split_once(" notin ") {
                Requirement::NotIn(k.trim().to_owned(), set_values(rest)?)
            } else if let Some((k, rest)) = part.split_once(" in ") {
                Requirement::In(k.trim().to_owned(), set_values(rest)?)
            } else {
                Requirement::Exists(part.to_owned())
            };
            reqs.push(req);
        }
        reqs.sort_by(|a, b| a.key().cmp(b.key()));
        Ok(Selector { requirements: reqs, nothing: false })
    }

    /// Whether `labels` satisfy every requirement.
    pub fn matches(&self, labels: Option<&BTreeMap<String, String>>) -> bool {
        if self.nothing {
            return false;
        }
        let empty = BTreeMap::new();
        let labels = labels.unwrap_or(&empty);
        self.requirements.iter().all(|r| r.matches(labels))
    }

    /// `selector.String()`: requirements joined by `,` (empty for
    /// everything/nothing).
    pub fn text(&self) -> String {
        self.requirements.iter().map(Requirement::text).collect::<Vec<_>>().join(",")
    }
}

fn split_top_level(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0;
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

fn set_values(text: &str) -> Result<Vec<String>, String> {
    let inner = text
        .trim()
        .strip_prefix('(')
        .and_then(|t| t.strip_suffix(')'))
        .ok_or_else(|| format!("unable to parse requirement: found '{text}', expected: '('"))?;
    let mut values: Vec<String> =
        inner.split(',').map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()).collect();
    values.sort();
    Ok(values)
}

/// `selector.String()` of `LabelSelectorAsSelector` (deployment SELECTOR
/// column, `describe` `Selector:`).
pub fn selector_text(selector: Option<&LabelSelector>) -> String {
    Selector::from_label_selector(selector).text()
}

/// `metav1.FormatLabelSelector`: like [`selector_text`] but `<none>` when
/// empty.
pub fn format_label_selector(selector: Option<&LabelSelector>) -> String {
    let text = selector_text(selector);
    if text.is_empty() { "<none>".to_owned() } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelectorRequirement;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn selector_strings_sort_by_key() {
        let sel = LabelSelector {
            match_labels: Some(map(&[
                ("pod-template-hash", "58779f7cd8"),
                ("example", "deploymentnginx"),
            ])),
            match_expressions: Some(vec![LabelSelectorRequirement {
                key: "tier".into(),
                operator: "In".into(),
                values: Some(vec!["web".into(), "api".into()]),
            }]),
        };
        assert_eq!(
            selector_text(Some(&sel)),
            "example=deploymentnginx,pod-template-hash=58779f7cd8,tier in (api,web)"
        );
        assert_eq!(format_label_selector(Some(&LabelSelector::default())), "<none>");
    }

    #[test]
    fn parse_and_match() {
        let sel = Selector::parse("app=web,tier in (a,b),!legacy").unwrap();
        assert!(sel.matches(Some(&map(&[("app", "web"), ("tier", "a")]))));
        assert!(!sel.matches(Some(&map(&[("app", "web"), ("tier", "c")]))));
        assert!(!sel.matches(Some(&map(&[("app", "web"), ("tier", "a"), ("legacy", "1")]))));
        assert_eq!(format_labels(Some(&map(&[("b", "2"), ("a", "1")]))), "a=1,b=2");
        assert_eq!(format_labels(None), "<none>");
    }
}
