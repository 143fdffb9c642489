//! The Markdown scenario format: front matter, then fenced blocks.
//!
//! pulldown-cmark finds the fenced blocks (so fences inside lists, block
//! quotes or longer fences are handled as CommonMark says); its byte offsets
//! give file lines. Everything but command blocks and `file=` blocks is prose.

use std::path::Path;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

use super::{
    console::{self, BlockSettings},
    duration::parse_duration,
    error::{ErrorCode, ParseError},
    front::{self, parse_match_mode},
    model::{Expected, FrontMatter, Scenario, Span, Step, StepKind},
};

/// Info-string languages whose blocks are always transcripts.
const CONSOLE_LANGS: &[&str] = &["console", "shell-session", "shellsession"];
/// Languages whose blocks are transcripts only when they contain prompts
/// (otherwise they are scripts shown to the reader, i.e. prose).
const SHELL_LANGS: &[&str] = &["sh", "bash", "shell", "zsh"];

/// Parses a Markdown scenario.
pub fn parse_markdown(path: &Path, text: &str) -> Result<Scenario, ParseError> {
    // A byte-order mark is invisible in editors; it must not hide the `---`.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines = LineIndex::new(text);
    let (meta, body_start) = front_matter(path, text)?;
    let body = &text[body_start..];
    let mut steps = Vec::new();

    let mut events = Parser::new(body).into_offset_iter();
    while let Some((event, range)) = events.next() {
        let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = event else {
            continue;
        };
        let mut content = String::new();
        for (event, _) in events.by_ref() {
            match event {
                Event::Text(text) => content.push_str(&text),
                Event::End(TagEnd::CodeBlock) => break,
                _ => {}
            }
        }
        let start = body_start + range.start;
        let end = body_start + range.end.min(body.len());
        let fence = lines.span(start);
        check_closed(path, &text[start..end], fence)?;
        let fence_line = lines.line_text(fence.line);
        let info_column = fence_line.find(info.as_ref()).map_or(fence.column, |at| at + 1);
        let block = BlockInfo::parse(path, &info, Span { line: fence.line, column: info_column })?;
        let content_lines: Vec<&str> =
            content.lines().map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
        block.steps(path, fence, &content, &content_lines, &mut steps)?;
    }
    Ok(Scenario { path: path.to_path_buf(), meta, steps })
}

/// Reads the front matter, if the file starts with a `---` line; returns it
/// and the byte offset where the Markdown body starts.
fn front_matter(path: &Path, text: &str) -> Result<(FrontMatter, usize), ParseError> {
    let mut offset = 0;
    let mut yaml_start = None;
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let is_fence = line.trim_end() == "---";
        match yaml_start {
            None if index == 0 && is_fence => yaml_start = Some(line.len()),
            None => return Ok((FrontMatter::default(), 0)),
            Some(start) if is_fence => {
                let yaml = &text[start..offset];
                let mut doc = front::parse_document(path, yaml, 2, front::Context::FrontMatter)?;
                if doc.steps.is_some() {
                    let line = yaml
                        .lines()
                        .position(|l| l.starts_with("steps:") || l.starts_with("steps :"))
                        .map_or(2, |i| i + 2);
                    return Err(ParseError::new(
                        path,
                        Span { line, column: 1 },
                        ErrorCode::UnknownKey,
                        "unknown field `steps` in Markdown front matter: steps are the \
                         document's fenced blocks (`steps:` belongs to YAML scenarios)",
                    ));
                }
                return Ok((doc.front_matter(), offset + line.len()));
            }
            Some(_) => {}
        }
        offset += line.len();
    }
    match yaml_start {
        Some(_) => Err(ParseError::new(
            path,
            Span { line: 1, column: 1 },
            ErrorCode::UnclosedFrontMatter,
            "front matter opened with `---` is never closed by a `---` line",
        )),
        None => Ok((FrontMatter::default(), 0)),
    }
}

/// Checks that a fenced block (its source, `block`) ends with a closing fence.
///
/// CommonMark lets an unclosed fence run to the end of the document (or of
/// its list item); for a scenario that silently swallows the rest of the
/// file, so it is an error.
fn check_closed(path: &Path, block: &str, fence: Span) -> Result<(), ParseError> {
    let opener = block.trim_start();
    let fence_char = opener.chars().next().unwrap_or('`');
    let opener_len = opener.chars().take_while(|c| *c == fence_char).count();
    let trimmed = block.trim_end();
    let closed = trimmed.rfind('\n').is_some_and(|at| {
        // A closing fence inside a block quote or list carries its container
        // prefix (`> `, indentation); strip that before looking at it.
        let last = trimmed[at + 1..].trim_start_matches(|c: char| c == '>' || c.is_whitespace());
        let run = last.chars().take_while(|c| *c == fence_char).count();
        run >= opener_len && last[run * fence_char.len_utf8()..].trim().is_empty()
    });
    if closed {
        Ok(())
    } else {
        Err(ParseError::new(
            path,
            fence,
            ErrorCode::UnterminatedFence,
            format!(
                "code block opened here is never closed (no closing {} line before the end \
                 of the file or of its list item / block quote)",
                fence_char.to_string().repeat(opener_len)
            ),
        ))
    }
}

/// A parsed info string: language and attributes.
#[derive(Debug, Default)]
struct BlockInfo {
    /// The language (first word without `=`), lower-cased.
    lang: Option<String>,
    /// `file=NAME`.
    file: Option<String>,
    /// `check=NAME`.
    check: Option<String>,
    /// `edit=KIND/NAME`.
    edit: Option<String>,
    /// `no-eol`: write the file without its final newline.
    no_eol: bool,
    /// Settings of command blocks.
    settings: BlockSettings,
    /// `skip` given (its reason is in settings).
    skip_span: Option<Span>,
}

impl BlockInfo {
    /// Parses an info string that starts at `at` in the file.
    fn parse(path: &Path, info: &str, at: Span) -> Result<BlockInfo, ParseError> {
        let mut block = BlockInfo::default();
        for (index, (offset, word)) in split_info(info).into_iter().enumerate() {
            let span = Span { line: at.line, column: at.column + info[..offset].chars().count() };
            let err = |code, message: String| Err(ParseError::new(path, span, code, message));
            let (key, value) = match word.split_once('=') {
                Some((key, value)) => (key, Some(unquote(value))),
                None => (word.as_str(), None),
            };
            match (key, value) {
                (lang, None) if index == 0 => block.lang = Some(lang.to_ascii_lowercase()),
                ("file", Some(name)) if !name.trim().is_empty() => {
                    block.file = Some(name.trim().to_string())
                }
                ("file", _) => {
                    return err(
                        ErrorCode::MissingFileName,
                        "`file=` needs a file name, e.g. ```yaml file=deployment.yaml".into(),
                    );
                }
                ("no-eol", None) => block.no_eol = true,
                ("prompt", Some(prompt)) if !prompt.is_empty() => {
                    block.settings.prompt = Some(prompt)
                }
                ("session-prompt", Some(prompt)) if !prompt.is_empty() => {
                    block.settings.session_prompt = Some(prompt)
                }
                ("skip", reason) => {
                    block.settings.skip = Some(reason.unwrap_or_default());
                    block.skip_span = Some(span);
                }
                ("match", Some(mode)) if parse_match_mode(&mode).is_some() => {
                    block.settings.mode = parse_match_mode(&mode).unwrap_or_default()
                }
                ("match", _) => {
                    return err(
                        ErrorCode::BadAttribute,
                        "`match=` takes `exact`, `subset` or `unordered`".into(),
                    );
                }
                ("timeout", Some(t)) if parse_duration(&t).is_some() => {
                    block.settings.timeout = parse_duration(&t)
                }
                ("prompt" | "session-prompt" | "timeout", _) => {
                    return err(
                        ErrorCode::BadAttribute,
                        format!("`{key}=` needs a value (e.g. prompt=\"# \", timeout=30s)"),
                    );
                }
                ("check", Some(name)) if !name.trim().is_empty() => {
                    block.check = Some(name.trim().to_string())
                }
                ("edit", Some(target))
                    if target
                        .split_once('/')
                        .is_some_and(|(k, n)| !k.is_empty() && !n.is_empty()) =>
                {
                    block.edit = Some(target.trim().to_string())
                }
                ("check" | "edit", _) => {
                    return err(
                        ErrorCode::BadAttribute,
                        format!(
                            "`{key}=` needs a value: check=FILE, edit=KIND/NAME (e.g. edit=deployment/web)"
                        ),
                    );
                }
                // Other attributes (`title=...`, highlighting hints) are for
                // renderers, not for us.
                _ => {}
            }
        }
        if let (Some(_), Some(span)) = (&block.file, block.skip_span) {
            return Err(ParseError::new(
                path,
                span,
                ErrorCode::BadAttribute,
                "`skip` cannot be used on a `file=` block (later commands need the file)",
            ));
        }
        Ok(block)
    }

    /// Appends the steps of this block (if it is a scenario block at all).
    fn steps(
        &self,
        path: &Path,
        fence: Span,
        content: &str,
        lines: &[&str],
        steps: &mut Vec<Step>,
    ) -> Result<(), ParseError> {
        if let Some(name) = &self.check {
            let expected = Expected {
                text: content.lines().map(|l| format!("{}\n", l.trim_end())).collect(),
                first_line: fence.line + 1,
                mode: self.settings.mode,
            };
            steps.push(Step {
                span: fence,
                kind: StepKind::CheckFile { name: name.clone(), expected },
            });
            return Ok(());
        }
        if let Some(target) = &self.edit {
            steps.push(Step {
                span: fence,
                kind: StepKind::Edit { target: target.clone(), content: content.to_string() },
            });
            return Ok(());
        }
        if let Some(name) = &self.file {
            let mut content = content.to_string();
            if self.no_eol && content.ends_with('\n') {
                content.pop();
                if content.ends_with('\r') {
                    content.pop();
                }
            }
            steps.push(Step {
                span: fence,
                kind: StepKind::WriteFile { name: name.clone(), content },
            });
            return Ok(());
        }
        let lang = self.lang.as_deref().unwrap_or("");
        let is_commands = CONSOLE_LANGS.contains(&lang)
            || (SHELL_LANGS.contains(&lang) && console::has_prompt(lines, &self.settings));
        if is_commands {
            steps.extend(console::parse_block(path, lines, fence.line + 1, &self.settings)?);
        }
        Ok(())
    }
}

/// Splits an info string into words with their byte offsets; a quoted
/// value (`skip="needs a cloud"`) keeps its blanks.
fn split_info(info: &str) -> Vec<(usize, String)> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut start = 0;
    let mut quote: Option<char> = None;
    for (at, c) in info.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c.is_whitespace() || c == ',' => {
                if !current.is_empty() {
                    words.push((start, std::mem::take(&mut current)));
                }
                continue;
            }
            _ => {}
        }
        if current.is_empty() {
            start = at;
        }
        current.push(c);
    }
    if !current.is_empty() {
        words.push((start, current));
    }
    words
}

/// Removes one pair of surrounding quotes.
fn unquote(value: &str) -> String {
    for q in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(q) {
            return inner.strip_suffix(q).unwrap_or(inner).to_string();
        }
    }
    value.to_string()
}

/// Maps byte offsets to 1-based lines and columns.
struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset of the start of each line.
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let starts =
            std::iter::once(0).chain(text.match_indices('\n').map(|(at, _)| at + 1)).collect();
        LineIndex { text, starts }
    }

    /// The line and column (in characters) of a byte offset.
    fn span(&self, offset: usize) -> Span {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let column = self.text.get(start..offset).map_or(1, |s| s.chars().count() + 1);
        Span { line, column }
    }

    /// The text of a 1-based line, without its line break.
    fn line_text(&self, line: usize) -> &'a str {
        let start = self.starts.get(line.wrapping_sub(1)).copied().unwrap_or(self.text.len());
        let end = self.starts.get(line).copied().unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }
}
