//! Shell patterns (`case` arms): `*`, `?` and `[…]` from the unquoted
//! text, everything quoted or expanded matched literally (bash's
//! `strmatch`). Translated to an anchored regular expression.

/// A pattern being built from a word's parts.
#[derive(Debug, Clone, Default)]
pub struct Pattern {
    regex: String,
}

impl Pattern {
    /// Appends unquoted text: its wildcards are active.
    pub fn push_glob(&mut self, text: &str) {
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '*' => self.regex.push_str("(?s:.*)"),
                '?' => self.regex.push_str("(?s:.)"),
                '[' => {
                    let class: String = chars.clone().take_while(|c| *c != ']').collect();
                    if chars.clone().any(|c| c == ']') && !class.is_empty() {
                        for _ in 0..=class.chars().count() {
                            chars.next();
                        }
                        let class =
                            class.strip_prefix('!').map_or(class.clone(), |c| format!("^{c}"));
                        let escaped = class.replace('\\', "\\\\").replace('[', "\\[");
                        self.regex.push_str(&format!("[{escaped}]"));
                    } else {
                        self.regex.push_str("\\[");
                    }
                }
                '\\' => {
                    if let Some(next) = chars.next() {
                        self.regex.push_str(&regex::escape(&next.to_string()));
                    }
                }
                c => self.regex.push_str(&regex::escape(&c.to_string())),
            }
        }
    }

    /// Appends text matched literally.
    pub fn push_literal(&mut self, text: &str) {
        self.regex.push_str(&regex::escape(text));
    }

    /// Whether the whole of `text` matches.
    pub fn matches(&self, text: &str) -> bool {
        regex::Regex::new(&format!("^(?:{})$", self.regex)).is_ok_and(|re| re.is_match(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glob(p: &str) -> Pattern {
        let mut pattern = Pattern::default();
        pattern.push_glob(p);
        pattern
    }

    #[test]
    fn wildcards_classes_and_literals() {
        assert!(glob("web-*").matches("web-1"));
        assert!(!glob("web-*").matches("db-1"));
        assert!(glob("?b").matches("db"));
        assert!(glob("[a-c]x").matches("bx"));
        assert!(glob("[!a-c]x").matches("dx"));
        assert!(glob("a.b").matches("a.b") && !glob("a.b").matches("axb"));
        let mut quoted = Pattern::default();
        quoted.push_literal("*");
        assert!(quoted.matches("*") && !quoted.matches("x"));
    }
}
