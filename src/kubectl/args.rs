//! Command-line parsing the way kubectl does it: cobra (`spf13/cobra`
//! v1.1.3) finds the command, pflag (`spf13/pflag` v1.0.5) parses its flags.
//!
//! kubeplay does not use clap here on purpose: tutorials show kubectl's own
//! error texts (`unknown flag: --foo`, `flag needs an argument: --replicas`,
//! `invalid argument "abc" for "--replicas" flag: ...`), and kubectl's
//! grammar has quirks no general parser reproduces (cobra strips flags to
//! find the command word; a bool flag never takes the next argument; `-nfoo`
//! is `-n foo`; `argsMinusFirstX` removes the first argument equal to the
//! command word). A small table of flags per command ([`super::commands`])
//! plus this module reproduce them exactly.

use std::{cell::RefCell, collections::BTreeSet};

use super::{
    commands::{CommandSpec, FlagSpec, FlagType, GLOBAL, ROOT, Support},
    upstream,
};
pub use crate::textutil::go_text::quote as go_quote;
use crate::version::Fact;

/// One parsed kubectl invocation.
#[derive(Debug, Clone)]
pub struct Invocation {
    /// The command found (`rollout status` → the `status` spec).
    pub command: &'static CommandSpec,
    /// The command path below `kubectl` (`["rollout", "status"]`).
    pub path: Vec<&'static str>,
    /// Positional arguments after the command words.
    pub args: Vec<String>,
    /// Number of positional arguments before a `--`, if one was given.
    pub args_len_at_dash: Option<usize>,
    /// Flags in the order given: (long name, raw value).
    pub flags: Vec<(&'static str, String)>,
    /// pflag's deprecation notices (`Flag --record has been deprecated, ...`),
    /// printed to stderr before the command runs.
    pub warnings: Vec<String>,
    /// The cluster's minor version the flags were read for.
    pub minor: u32,
    /// The flags the verb read (through [`Invocation::value`] and the
    /// others): a flag given but never read was ignored, which kubeplay
    /// reports as unsupported (see [`super::flag_audit`]).
    consulted: RefCell<BTreeSet<String>>,
}

/// Why parsing failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// cobra `legacyArgs`: no such subcommand of `kubectl`.
    UnknownCommand {
        /// The word typed.
        name: String,
        /// cobra's suggestions (`Did you mean this?`).
        suggestions: Vec<&'static str>,
    },
    /// `HandlePluginCommand`: the unknown command started with a flag.
    FlagsBeforePlugin(String),
    /// A pflag error, routed through kubectl's `FlagErrorFunc`.
    Flag {
        /// `kubectl get`.
        command_path: String,
        /// pflag's message (`unknown flag: --foo`).
        message: String,
    },
    /// cobra's `validateRequiredFlags`.
    RequiredFlags(Vec<&'static str>),
    /// A command real kubectl has at this version and kubeplay does not
    /// emulate (`kubectl create quota`).
    UnsupportedCommand(String),
    /// `-h` / `--help`.
    Help {
        /// `kubectl get`.
        command_path: String,
    },
}

impl Invocation {
    /// `kubectl rollout status`.
    pub fn command_path(&self) -> String {
        command_path(&self.path)
    }

    /// Marks flag `name` as read by the verb: for a flag whose effect the
    /// verb has without reading its value (a flag that changes nothing
    /// kubeplay can observe, with the reason at the call).
    pub fn consult(&self, name: &str) {
        self.consulted.borrow_mut().insert(name.to_owned());
    }

    /// The flags given that the verb never read, in the order first given.
    pub fn unconsulted(&self) -> Vec<&'static str> {
        let consulted = self.consulted.borrow();
        let mut out: Vec<&'static str> = Vec::new();
        for (name, _) in &self.flags {
            if *name != "help" && !consulted.contains(*name) && !out.contains(name) {
                out.push(name);
            }
        }
        out
    }

    /// The last value given for flag `name`.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.consult(name);
        self.flags.iter().rev().find(|(n, _)| *n == name).map(|(_, v)| v.as_str())
    }

    /// Whether flag `name` was given.
    pub fn changed(&self, name: &str) -> bool {
        self.consult(name);
        self.flags.iter().any(|(n, _)| *n == name)
    }

    /// A bool flag's value (false when absent).
    pub fn bool(&self, name: &str) -> bool {
        self.value(name).and_then(|v| parse_bool(v).ok()).unwrap_or(false)
    }

    /// An integer flag's value, if given (already validated by the parser).
    pub fn int(&self, name: &str) -> Option<i64> {
        self.value(name).and_then(|v| parse_int(v, 64).ok())
    }

    /// A string-slice flag's values: every occurrence, comma-split.
    pub fn strings(&self, name: &str) -> Vec<String> {
        self.consult(name);
        let split = self
            .command
            .flag(name)
            .is_some_and(|f| matches!(f.ty, FlagType::StringSlice | FlagType::StringToString));
        self.flags
            .iter()
            .filter(|(n, _)| *n == name)
            .flat_map(|(_, v)| {
                if split && !v.is_empty() {
                    v.split(',').map(str::to_owned).collect::<Vec<_>>()
                } else if split {
                    Vec::new()
                } else {
                    vec![v.clone()]
                }
            })
            .collect()
    }
}

fn command_path(path: &[&str]) -> String {
    let mut out = "kubectl".to_owned();
    for p in path {
        out.push(' ');
        out.push_str(p);
    }
    out
}

/// Parses `argv` (`argv[0]` is `kubectl`) with the flags of the newest
/// kubectl the data knows (for callers that only classify a command line).
pub fn parse(argv: &[String]) -> Result<Invocation, ParseError> {
    parse_at(argv, upstream::LAST_MINOR)
}

/// Parses `argv` (`argv[0]` is `kubectl`) as kubectl at minor version
/// `minor` does.
pub fn parse_at(argv: &[String], minor: u32) -> Result<Invocation, ParseError> {
    let args: Vec<String> = argv.iter().skip(1).cloned().collect();
    let (command, path, rest) = find(&args, minor)?;
    if command.support == Support::No {
        return Err(ParseError::UnsupportedCommand(command_path(&path)));
    }
    let mut parsed = parse_flags(command, &path, &rest, true, minor)?;
    if parsed.flags.iter().any(|(n, _)| *n == "help") {
        return Err(ParseError::Help { command_path: command_path(&path) });
    }
    let missing: Vec<&'static str> = command
        .required
        .iter()
        .copied()
        .filter(|r| !parsed.flags.iter().any(|(n, _)| n == r))
        .collect();
    if !missing.is_empty() && command.support == Support::Yes {
        return Err(ParseError::RequiredFlags(missing));
    }
    parsed.path = path;
    Ok(parsed)
}

/// cobra `Command.Find`: walks subcommands by the first non-flag word.
fn find(
    args: &[String],
    minor: u32,
) -> Result<(&'static CommandSpec, Vec<&'static str>, Vec<String>), ParseError> {
    let mut command: &'static CommandSpec = &ROOT;
    let mut path = Vec::new();
    let mut rest = args.to_vec();
    loop {
        let words = strip_flags(&rest, command, &path, minor);
        let Some(next) = words.first() else { break };
        if command.support == Support::No {
            break;
        }
        match command.find(next) {
            Some(sub) => {
                path.push(sub.name);
                let next = next.clone();
                rest = args_minus_first(&rest, &next);
                command = sub;
            }
            None => {
                // A real subcommand kubeplay's table lacks (`create quota`):
                // unsupported by name, not kubectl's unknown-command or
                // unknown-flag error.
                if let Some(real) = upstream::subcommand(minor, &path.join(" "), next) {
                    return Err(ParseError::UnsupportedCommand(format!("kubectl {real}")));
                }
                break;
            }
        }
    }
    if std::ptr::eq(command, &ROOT) {
        // cobra `legacyArgs` on the root command, after kubectl's plugin
        // lookup (`HandlePluginCommand`) found nothing.
        if let Some(word) = strip_flags(&rest, command, &path, minor).first() {
            if let Some(first) = args.first().filter(|a| a.starts_with('-')) {
                return Err(ParseError::FlagsBeforePlugin(first.clone()));
            }
            return Err(ParseError::UnknownCommand {
                name: word.clone(),
                suggestions: suggestions(word),
            });
        }
    }
    Ok((command, path, rest))
}

/// cobra `stripFlags`: the words left once flags (and the values of
/// non-bool flags) are removed.
fn strip_flags(
    args: &[String],
    command: &'static CommandSpec,
    path: &[&str],
    minor: u32,
) -> Vec<String> {
    let mut words = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let s = &args[i];
        i += 1;
        if s == "--" {
            break;
        }
        let long_takes_value = s.starts_with("--")
            && !s.contains('=')
            && long_flag(command, path, minor, &s[2..]).and_then(|f| f.no_opt_default).is_none();
        let short_takes_value = s.starts_with('-')
            && !s.contains('=')
            && s.chars().count() == 2
            && s[1..]
                .chars()
                .next()
                .and_then(|c| short_flag(command, path, minor, c))
                .and_then(|f| f.no_opt_default)
                .is_none();
        if long_takes_value || short_takes_value {
            if args.len() - i <= 1 {
                break;
            }
            i += 1;
            continue;
        }
        if !s.is_empty() && !s.starts_with('-') {
            words.push(s.clone());
        }
    }
    words
}

/// The flag `--name` of `command` at minor version `minor`: before v1.27
/// the hand-made v1.22 table; from v1.27 the generated data of that version
/// (global flags from the data only; a command's flags from the hand table,
/// which knows int widths, `NoOptDefVal` and hidden flags, or else the data).
pub(crate) fn long_flag(
    command: &'static CommandSpec,
    path: &[&str],
    minor: u32,
    name: &str,
) -> Option<&'static FlagSpec> {
    let name = name.replace('_', "-");
    if removed_from(path, &name, minor) {
        return None;
    }
    let Some(m) = upstream::flags_minor(minor) else { return command.flag(&name) };
    lookup(command, path, m, |f| f.name == name)
}

/// [`long_flag`] by shorthand.
fn short_flag(
    command: &'static CommandSpec,
    path: &[&str],
    minor: u32,
    short: char,
) -> Option<&'static FlagSpec> {
    let Some(m) = upstream::flags_minor(minor) else {
        return command.short_flag(short).filter(|f| !removed_from(path, f.name, minor));
    };
    lookup(command, path, m, |f| f.short == Some(short))
}

fn lookup(
    command: &'static CommandSpec,
    path: &[&str],
    m: u32,
    matches: impl Fn(&FlagSpec) -> bool,
) -> Option<&'static FlagSpec> {
    if !std::ptr::eq(command, &ROOT) {
        let path = path.join(" ");
        let own = command.flags.iter().flat_map(|g| g.iter()).find(|f| matches(f));
        let data = upstream::flags(m, &path).find(|f| matches(&f.spec));
        match (own, data) {
            // Where kubectl changed a flag's type since v1.22 (`--validate`
            // became a string in v1.25), the data's type wins.
            (Some(own), Some(data)) if upstream::HelpType::of(own.ty) != data.help_type => {
                return Some(&data.spec);
            }
            (Some(own), _) => return Some(own),
            (None, Some(data)) => return Some(&data.spec),
            (None, None) => {}
        }
    }
    let global = upstream::flags(m, upstream::GLOBAL_PATH).find(|f| matches(&f.spec))?;
    // The hand table knows `-v`'s width.
    Some(GLOBAL.iter().find(|f| f.name == global.spec.name).unwrap_or(&global.spec))
}

/// cobra `argsMinusFirstX`: removes the first argument equal to `x`.
fn args_minus_first(args: &[String], x: &str) -> Vec<String> {
    let mut out = args.to_vec();
    if let Some(i) = out.iter().position(|a| a == x) {
        out.remove(i);
    }
    out
}

/// cobra `SuggestionsFor` with `SuggestionsMinimumDistance` 2: available
/// commands within Levenshtein distance 2 (case-insensitive) or having the
/// typed word as a prefix.
fn suggestions(typed: &str) -> Vec<&'static str> {
    let typed_lower = typed.to_lowercase();
    ROOT.subcommands
        .iter()
        .filter(|c| !matches!(c.name, "help" | "options"))
        .filter(|c| {
            levenshtein(&typed_lower, &c.name.to_lowercase()) <= 2
                || c.name.to_lowercase().starts_with(&typed_lower)
        })
        .map(|c| c.name)
        .collect()
}

fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j + 1] + 1).min(cur[j] + 1).min(prev[j] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// pflag `FlagSet.Parse` with interspersed flags. With `validate`, values
/// are checked by type (`FlagSet.Set`); without, raw values are kept (as
/// `ParseAll` does for `--record`'s change-cause).
fn parse_flags(
    command: &'static CommandSpec,
    path: &[&'static str],
    args: &[String],
    validate: bool,
    minor: u32,
) -> Result<Invocation, ParseError> {
    let mut inv = Invocation {
        command,
        path: path.to_vec(),
        args: Vec::new(),
        args_len_at_dash: None,
        flags: Vec::new(),
        warnings: Vec::new(),
        minor,
        consulted: RefCell::new(BTreeSet::new()),
    };
    let fail = |message: String| ParseError::Flag { command_path: command_path(path), message };
    let mut i = 0;
    while i < args.len() {
        let s = &args[i];
        i += 1;
        if s.is_empty() || !s.starts_with('-') || s == "-" {
            inv.args.push(s.clone());
            continue;
        }
        if s == "--" {
            inv.args_len_at_dash = Some(inv.args.len());
            inv.args.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(name) = s.strip_prefix("--") {
            // pflag `parseLongArg`.
            if name.is_empty() || name.starts_with('-') || name.starts_with('=') {
                return Err(fail(format!("bad flag syntax: {s}")));
            }
            let (name, inline) = match name.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (name, None),
            };
            let Some(spec) = long_flag(command, path, minor, name) else {
                if name == "help" {
                    inv.flags.push(("help", "true".into()));
                    continue;
                }
                return Err(fail(format!("unknown flag: --{name}")));
            };
            let value = if let Some(v) = inline {
                v.to_owned()
            } else if let Some(d) = spec.no_opt_default {
                d.to_owned()
            } else if i < args.len() {
                i += 1;
                args[i - 1].clone()
            } else {
                return Err(fail(format!("flag needs an argument: {s}")));
            };
            set(&mut inv, spec, value, validate).map_err(fail)?;
        } else {
            // pflag `parseShortArg`: one or more shorthands.
            let mut shorthands: Vec<char> = s[1..].chars().collect();
            let all = s[1..].to_owned();
            while !shorthands.is_empty() {
                let c = shorthands[0];
                let Some(spec) = short_flag(command, path, minor, c) else {
                    if c == 'h' {
                        inv.flags.push(("help", "true".into()));
                        shorthands.remove(0);
                        continue;
                    }
                    return Err(fail(format!("unknown shorthand flag: '{c}' in -{all}")));
                };
                let value: String;
                if shorthands.len() > 2 && shorthands[1] == '=' {
                    value = shorthands[2..].iter().collect();
                    shorthands.clear();
                } else if let Some(d) = spec.no_opt_default {
                    value = d.to_owned();
                    shorthands.remove(0);
                } else if shorthands.len() > 1 {
                    value = shorthands[1..].iter().collect();
                    shorthands.clear();
                } else if i < args.len() {
                    value = args[i].clone();
                    i += 1;
                    shorthands.clear();
                } else {
                    return Err(fail(format!("flag needs an argument: '{c}' in -{all}")));
                }
                set(&mut inv, spec, value, validate).map_err(fail)?;
            }
        }
    }
    Ok(inv)
}

/// `kubectl run`'s flags for its generators (v1.17 and before), ignored
/// from v1.18 and gone in v1.21 ([`Fact::RunGeneratorFlagsRemoved`]).
const RUN_GENERATOR_FLAGS: &[&str] =
    &["generator", "replicas", "schedule", "service-generator", "service-overrides"];

/// A flag of the hand-made table that kubectl removed in a later release
/// (the generated data does not list deprecated flags, so it cannot tell
/// a removed flag from a hidden one).
fn removed_from(path: &[&str], flag: &str, minor: u32) -> bool {
    match (path, flag) {
        // `pkg/cmd/version/version.go`: deprecated in k8s.io/kubectl
        // v0.24.0, gone in v0.28.0.
        (["version"], "short") => Fact::VersionShortRemoved.holds_at(minor),
        (["run"], flag) if RUN_GENERATOR_FLAGS.contains(&flag) => {
            Fact::RunGeneratorFlagsRemoved.holds_at(minor)
        }
        _ => false,
    }
}

/// A flag kubectl marked deprecated in some release only (`MarkDeprecated`
/// added later than the flag): its message at minor `minor`.
fn deprecated_from(path: &[&str], flag: &str, minor: u32) -> Option<&'static str> {
    match (path, flag) {
        // `pkg/cmd/autoscale/autoscale.go` (k8s.io/kubectl v0.34.0).
        // `pkg/cmd/version/version.go` (k8s.io/kubectl v0.24.0 to v0.27.0).
        (["version"], "short") if Fact::VersionShortDeprecated.holds_at(minor) => {
            Some("and will be removed in the future. The --short output will become the default.")
        }
        // `pkg/cmd/run/run.go` v1.18-v1.20 (kubernetes#87077).
        (["run"], flag)
            if RUN_GENERATOR_FLAGS.contains(&flag)
                && Fact::RunGeneratorFlagsDeprecated.holds_at(minor) =>
        {
            Some("has no effect and will be removed in the future.")
        }
        (["autoscale"], "cpu-percent") if Fact::AutoscaleCpuPercentDeprecated.holds_at(minor) => {
            Some(
                "Use --cpu with percentage or resource quantity format (e.g., '70%' for utilization or '500m' for milliCPU).",
            )
        }
        _ => None,
    }
}

/// pflag `FlagSet.Set`: type-checks the value and records deprecations.
fn set(
    inv: &mut Invocation,
    spec: &'static FlagSpec,
    value: String,
    validate: bool,
) -> Result<(), String> {
    if validate {
        let checked = match spec.ty {
            FlagType::Bool => parse_bool(&value).map(|_| ()),
            FlagType::Int => parse_int(&value, 64).map(|_| ()),
            FlagType::Int32 => parse_int(&value, 32).map(|_| ()),
            FlagType::Duration => parse_duration(&value).map(|_| ()),
            FlagType::String
            | FlagType::StringSlice
            | FlagType::StringArray
            | FlagType::StringToString => Ok(()),
        };
        if let Err(err) = checked {
            let flag_name = match spec.short {
                Some(c) => format!("-{c}, --{}", spec.name),
                None => format!("--{}", spec.name),
            };
            return Err(format!(
                "invalid argument {} for {} flag: {err}",
                go_quote(&value),
                go_quote(&flag_name)
            ));
        }
        let message = spec.deprecated.or_else(|| deprecated_from(&inv.path, spec.name, inv.minor));
        if let Some(message) = message {
            inv.warnings.push(format!("Flag --{} has been deprecated, {message}\n", spec.name));
        }
    }
    inv.flags.push((spec.name, value));
    Ok(())
}

/// Go `strconv.ParseBool`.
pub fn parse_bool(s: &str) -> Result<bool, String> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(false),
        _ => Err(format!("strconv.ParseBool: parsing {}: invalid syntax", go_quote(s))),
    }
}

/// Go `strconv.ParseInt(s, 0, bits)`: decimal, or `0x`/`0o`/`0b`/`0`
/// prefixed.
pub fn parse_int(s: &str, bits: u32) -> Result<i64, String> {
    let syntax = || format!("strconv.ParseInt: parsing {}: invalid syntax", go_quote(s));
    let range = || format!("strconv.ParseInt: parsing {}: value out of range", go_quote(s));
    let (negative, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d.to_owned())
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d.to_owned())
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d.to_owned())
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, lower[1..].to_owned())
    } else {
        (10, lower.clone())
    };
    let digits: String = if radix != 10 { digits.replace('_', "") } else { digits };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return Err(syntax());
    }
    let magnitude = i128::from_str_radix(&digits, radix).map_err(|_| range())?;
    let value = if negative { -magnitude } else { magnitude };
    let max = (1i128 << (bits - 1)) - 1;
    let min = -(1i128 << (bits - 1));
    if value > max || value < min {
        return Err(range());
    }
    Ok(value as i64)
}

/// Go `time.ParseDuration`, in nanoseconds.
pub fn parse_duration(s: &str) -> Result<i128, String> {
    let err = || format!("time: invalid duration {}", go_quote(s));
    let (negative, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(err());
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let number_len =
            rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        if number_len == 0 {
            return Err(err());
        }
        let number: f64 = rest[..number_len].parse().map_err(|_| err())?;
        rest = &rest[number_len..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let unit = match &rest[..unit_len] {
            "" => return Err(format!("time: missing unit in duration {}", go_quote(s))),
            u => crate::duration::go_unit_nanos(u).ok_or_else(|| {
                format!("time: unknown unit {} in duration {}", go_quote(u), go_quote(s))
            })?,
        };
        rest = &rest[unit_len..];
        total += number * unit;
        // Go's `time.ParseDuration` refuses a duration beyond int64
        // nanoseconds (`v > 1<<63/unit` → "invalid duration").
        if total > 9.223_372_036_854_776e18 {
            return Err(err());
        }
    }
    let nanos = total as i128;
    Ok(if negative { -nanos } else { nanos })
}

/// kubectl's `--record` change-cause (`cli-runtime` `RecordFlags`
/// `parseCommandArguments`): `kubectl`, then every non-flag argument of the
/// whole command line (command words included), then every flag as
/// ` --<long name>=<value>` in the order given.
pub fn change_cause(argv: &[String], inv: &Invocation) -> String {
    let args: Vec<String> = argv.iter().skip(1).cloned().collect();
    let Ok(all) = parse_flags(inv.command, &inv.path, &args, false, inv.minor) else {
        return String::new();
    };
    let mut out = "kubectl".to_owned();
    if !all.args.is_empty() {
        out.push(' ');
        out.push_str(&all.args.join(" "));
    }
    for (name, value) in &all.flags {
        out.push_str(&format!(" --{name}={value}"));
    }
    out
}

/// The command words a read-only check needs: the command path, or `None`
/// when parsing fails.
pub fn command_words(argv: &[String]) -> Option<(Vec<&'static str>, Vec<String>)> {
    let args: Vec<String> = argv.iter().skip(1).cloned().collect();
    let (_, path, rest) = find(&args, upstream::LAST_MINOR).ok()?;
    Some((path, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn argv(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    fn flag_error(s: &str) -> String {
        match parse(&argv(s)) {
            Err(ParseError::Flag { message, .. }) => message,
            other => panic!("expected a flag error, got {other:?}"),
        }
    }

    #[test]
    fn flags_anywhere_and_forms() {
        let inv = parse(&argv("kubectl -n kube-system get -owide pods --show-labels")).unwrap();
        assert_eq!(inv.path, vec!["get"]);
        assert_eq!(inv.args, vec!["pods"]);
        assert_eq!(inv.value("namespace"), Some("kube-system"));
        assert_eq!(inv.value("output"), Some("wide"));
        assert!(inv.bool("show-labels"));

        let inv = parse(&argv("kubectl get pods -nfoo -o wide --namespace=bar")).unwrap();
        assert_eq!(inv.value("namespace"), Some("bar"));
        assert_eq!(inv.value("output"), Some("wide"));

        let inv = parse(&argv("kubectl scale deployment x --replicas 3")).unwrap();
        assert_eq!(inv.int("replicas"), Some(3));
        assert_eq!(inv.args, vec!["deployment", "x"]);
    }

    #[test]
    fn bool_flags_never_take_the_next_argument() {
        let inv = parse(&argv("kubectl apply -f x.yaml --record false")).unwrap();
        assert!(inv.bool("record"));
        assert_eq!(inv.args, vec!["false"]);
        let inv = parse(&argv("kubectl apply -f x.yaml --record=false")).unwrap();
        assert!(!inv.bool("record"));
        assert_eq!(
            inv.warnings,
            vec!["Flag --record has been deprecated, --record will be removed in the future\n"]
        );
    }

    #[test]
    fn pflag_error_texts() {
        assert_eq!(flag_error("kubectl get pods --foo"), "unknown flag: --foo");
        assert_eq!(flag_error("kubectl get pods --foo=bar"), "unknown flag: --foo");
        assert_eq!(flag_error("kubectl get pods -x"), "unknown shorthand flag: 'x' in -x");
        assert_eq!(flag_error("kubectl get pods -Ax"), "unknown shorthand flag: 'x' in -Ax");
        assert_eq!(
            flag_error("kubectl scale deploy x --replicas"),
            "flag needs an argument: --replicas"
        );
        assert_eq!(flag_error("kubectl get pods -n"), "flag needs an argument: 'n' in -n");
        assert_eq!(
            flag_error("kubectl scale deploy x --replicas=abc"),
            "invalid argument \"abc\" for \"--replicas\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax"
        );
        assert_eq!(
            flag_error("kubectl create deployment x --image=i -r 99999999999"),
            "invalid argument \"99999999999\" for \"-r, --replicas\" flag: strconv.ParseInt: parsing \"99999999999\": value out of range"
        );
        assert_eq!(flag_error("kubectl get pods ---x"), "bad flag syntax: ---x");
    }

    #[test]
    fn unknown_commands() {
        assert_eq!(
            parse(&argv("kubectl gett pods")).unwrap_err(),
            ParseError::UnknownCommand { name: "gett".into(), suggestions: vec!["set", "get"] }
        );
        assert_eq!(
            parse(&argv("kubectl frobnicate")).unwrap_err(),
            ParseError::UnknownCommand { name: "frobnicate".into(), suggestions: vec![] }
        );
        assert_eq!(
            parse(&argv("kubectl -n x frobnicate")).unwrap_err(),
            ParseError::FlagsBeforePlugin("-n".into())
        );
    }

    #[test]
    fn subcommands_aliases_and_required_flags() {
        let inv = parse(&argv("kubectl create deploy web --image=nginx --port=80")).unwrap();
        assert_eq!(inv.path, vec!["create", "deployment"]);
        assert_eq!(inv.args, vec!["web"]);
        assert_eq!(inv.strings("image"), vec!["nginx"]);
        assert_eq!(
            parse(&argv("kubectl create deployment web")).unwrap_err(),
            ParseError::RequiredFlags(vec!["image"])
        );
        let inv = parse(&argv("kubectl rollout undo deployment x --to-revision=2")).unwrap();
        assert_eq!(inv.path, vec!["rollout", "undo"]);
        assert_eq!(inv.int("to-revision"), Some(2));
    }

    #[test]
    fn change_cause_like_kubectl() {
        let a = argv("kubectl apply -f testdeployment.yaml --record");
        let inv = parse(&a).unwrap();
        assert_eq!(
            change_cause(&a, &inv),
            "kubectl apply --filename=testdeployment.yaml --record=true"
        );
        let a = argv("kubectl set image deploy testdeployment nginx=nginx:1.9.1 --record");
        let inv = parse(&a).unwrap();
        assert_eq!(
            change_cause(&a, &inv),
            "kubectl set image deploy testdeployment nginx=nginx:1.9.1 --record=true"
        );
    }

    #[test]
    fn go_number_parsing() {
        assert_eq!(parse_int("0x10", 64), Ok(16));
        assert_eq!(parse_int("-5", 64), Ok(-5));
        assert_eq!(parse_int("010", 64), Ok(8));
        assert!(parse_int("2147483648", 32).is_err());
        assert_eq!(parse_duration("1m30s"), Ok(90_000_000_000));
        assert_eq!(parse_duration("0"), Ok(0));
        assert_eq!(parse_duration("abc"), Err("time: invalid duration \"abc\"".into()));
    }

    #[test]
    fn durations_beyond_int64_nanoseconds_are_invalid_as_in_go() {
        assert_eq!(
            parse_duration("99999999999h"),
            Err("time: invalid duration \"99999999999h\"".to_owned())
        );
        assert_eq!(parse_duration("2562047h"), Ok(2_562_047 * 3_600_000_000_000));
    }
}
