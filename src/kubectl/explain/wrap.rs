//! The text helpers both explain printers lean on, ported exactly: the
//! v2 printer's `wrapString` (`kubectl/pkg/explain/formatter.go`), the
//! v3 template's `wrap` (`github.com/mitchellh/go-wordwrap` `WrapString`)
//! and `indent` (`kubectl/pkg/explain/v2/funcs.go`), and what Go's
//! `fmt.Sprintf` does to a format string given no arguments (the v2
//! printer formatted a model's description as a format string before
//! v1.24).

/// `formatter.go` `wrapString` before v1.19: every word of the text,
/// greedily filled into lines of at most `width` bytes (a longer word
/// gets a line of its own); line breaks in the text are not kept.
pub fn fill_words(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// `formatter.go` `wrapString` from v1.19: as [`fill_words`], but line
/// by line: lines indented four spaces (code) are kept as they are, blank
/// lines after the first line are kept, and a line starts a new output
/// line when the previous word ended in `:` or it looks like a list item
/// (`1.`, `-`, `*`).
pub fn fill_lines(text: &str, width: usize) -> Vec<String> {
    let mut wrapped: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut last_word = String::new();
    fn flush(line: &mut String, last_word: &mut String, wrapped: &mut Vec<String>) {
        if !line.is_empty() {
            last_word.clear();
            wrapped.push(std::mem::take(line));
        }
    }
    for part in text.split('\n') {
        if part.starts_with("    ") {
            flush(&mut line, &mut last_word, &mut wrapped);
            wrapped.push(part.to_owned());
            continue;
        }
        if !wrapped.is_empty() && part.trim().is_empty() {
            flush(&mut line, &mut last_word, &mut wrapped);
            wrapped.push(String::new());
            continue;
        }
        if starts_new_line(&last_word, part) {
            flush(&mut line, &mut last_word, &mut wrapped);
        }
        for word in part.split_whitespace() {
            last_word = word.to_owned();
            if !line.is_empty() && line.len() + 1 + word.len() > width {
                // As upstream, the flush forgets the word just read.
                flush(&mut line, &mut last_word, &mut wrapped);
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    flush(&mut line, &mut last_word, &mut wrapped);
    wrapped
}

/// `shouldStartNewLine`.
fn starts_new_line(last_word: &str, part: &str) -> bool {
    if last_word.ends_with(':') || part.starts_with("    ") {
        return true;
    }
    let trimmed = part.trim();
    trimmed.is_empty() || is_bullet(trimmed)
}

/// `^(\d+\.?|-|\*)\s`.
fn is_bullet(s: &str) -> bool {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let rest = if digits > 0 {
        s[digits..].strip_prefix('.').unwrap_or(&s[digits..])
    } else if let Some(rest) = s.strip_prefix('-').or_else(|| s.strip_prefix('*')) {
        rest
    } else {
        return false;
    };
    rest.starts_with([' ', '\t', '\n', '\r', '\x0c'])
}

/// How go-wordwrap measures: bytes (v1.0.0, in kubectl v1.27) or
/// characters (v1.0.1, which also keeps no-break spaces inside words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordWrapVersion {
    /// github.com/mitchellh/go-wordwrap v1.0.0.
    Bytes,
    /// github.com/mitchellh/go-wordwrap v1.0.1.
    Chars,
}

/// go-wordwrap `WrapString(s, lim)`: breaks at whitespace so lines stay
/// within `lim` where words allow; whitespace runs at a break are dropped,
/// existing line breaks kept.
pub fn word_wrap(s: &str, lim: usize, version: WordWrapVersion) -> String {
    let len = |t: &str| match version {
        WordWrapVersion::Bytes => t.len(),
        WordWrapVersion::Chars => t.chars().count(),
    };
    let mut out = String::with_capacity(s.len());
    let mut current = 0usize;
    let mut word = String::new();
    let mut space = String::new();
    for c in s.chars() {
        if c == '\n' {
            if word.is_empty() {
                // (`current` is reset below either way.)
                if current + len(&space) <= lim {
                    out.push_str(&space);
                }
                space.clear();
            } else {
                out.push_str(&space);
                space.clear();
                out.push_str(&word);
                word.clear();
            }
            out.push(c);
            current = 0;
        } else if c.is_whitespace() && !(version == WordWrapVersion::Chars && c == '\u{a0}') {
            if space.is_empty() || !word.is_empty() {
                current += len(&space) + len(&word);
                out.push_str(&space);
                space.clear();
                out.push_str(&word);
                word.clear();
            }
            space.push(c);
        } else {
            word.push(c);
            if current + len(&word) + len(&space) > lim && len(&word) < lim {
                out.push('\n');
                current = 0;
                space.clear();
            }
        }
    }
    if word.is_empty() {
        if current + len(&space) <= lim {
            out.push_str(&space);
        }
    } else {
        out.push_str(&space);
        out.push_str(&word);
    }
    out
}

/// The template's `indent`: `amount` spaces before the text and after
/// every line break in it (so a text ending in a line break ends in the
/// spaces).
pub fn indent(amount: usize, s: &str) -> String {
    let pad = " ".repeat(amount);
    format!("{pad}{}", s.replace('\n', &format!("\n{pad}")))
}

/// Go's `fmt.Sprintf(format)` with no arguments: `%%` is `%`, any other
/// verb prints `%!v(MISSING)`, a lone `%` at the end `%!(NOVERB)`.
pub fn sprintf_without_args(format: &str) -> String {
    let mut out = String::with_capacity(format.len());
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        // Flags, width and precision (`doPrintf`); `*` would take an
        // argument, which makes BADWIDTH / BADPREC.
        let mut bad = None;
        while let Some(&f) = chars.peek() {
            if matches!(f, '#' | '0' | '+' | '-' | ' ') {
                chars.next();
            } else {
                break;
            }
        }
        if chars.peek() == Some(&'*') {
            chars.next();
            bad = Some("%!(BADWIDTH)");
        } else {
            while chars.peek().is_some_and(char::is_ascii_digit) {
                chars.next();
            }
        }
        if chars.peek() == Some(&'.') {
            chars.next();
            if chars.peek() == Some(&'*') {
                chars.next();
                bad = bad.or(Some("%!(BADPREC)"));
            } else {
                while chars.peek().is_some_and(char::is_ascii_digit) {
                    chars.next();
                }
            }
        }
        if let Some(b) = bad {
            out.push_str(b);
        }
        match chars.next() {
            None => out.push_str("%!(NOVERB)"),
            Some('%') => out.push('%'),
            Some(verb) => {
                out.push_str("%!");
                out.push(verb);
                out.push_str("(MISSING)");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_words_joins_lines_and_fills_to_the_width() {
        assert_eq!(fill_words("a bb\nccc  d", 6), vec!["a bb", "ccc d"]);
        assert_eq!(fill_words("abcdefgh x", 4), vec!["abcdefgh", "x"]);
    }

    #[test]
    fn fill_lines_keeps_lists_code_and_paragraphs() {
        let text = "Intro:\n- one\n- two\n\nNext para\n    code  kept";
        assert_eq!(
            fill_lines(text, 80),
            vec!["Intro:", "- one", "- two", "", "Next para", "    code  kept"]
        );
        // Ordinary line breaks are joined.
        assert_eq!(fill_lines("a\nb", 80), vec!["a b"]);
    }

    #[test]
    fn word_wrap_breaks_at_spaces_and_drops_them() {
        assert_eq!(word_wrap("aaa bbb ccc", 7, WordWrapVersion::Chars), "aaa bbb\nccc");
        assert_eq!(word_wrap("aaa\nbbb", 7, WordWrapVersion::Chars), "aaa\nbbb");
        // A word longer than the limit stays whole.
        assert_eq!(word_wrap("a bbbbbbbbbb c", 5, WordWrapVersion::Chars), "a\nbbbbbbbbbb\nc");
        // v1.0.0 counts bytes: "é" is two.
        assert_eq!(word_wrap("éé é", 4, WordWrapVersion::Bytes), "éé\né");
        assert_eq!(word_wrap("éé é", 4, WordWrapVersion::Chars), "éé é");
    }

    #[test]
    fn indent_pads_every_line_including_after_a_final_break() {
        assert_eq!(indent(2, "a\nb\n"), "  a\n  b\n  ");
    }

    #[test]
    fn sprintf_without_args_mangles_verbs_like_go() {
        assert_eq!(sprintf_without_args("50%"), "50%!(NOVERB)");
        assert_eq!(sprintf_without_args("(ex: 10%)."), "(ex: 10%!)(MISSING).");
        assert_eq!(sprintf_without_args("100%% sure"), "100% sure");
        assert_eq!(sprintf_without_args("25% of"), "25%!o(MISSING)f");
    }
}
