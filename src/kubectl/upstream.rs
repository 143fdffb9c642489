//! Real kubectl's command tree and flags per version, as
//! `scripts/kubectl-flags.py` read them from the `--help` of the kubectl
//! 1.27 … 1.33 binaries (`flags.tsv`, committed; regenerating is a script
//! run).
//!
//! Which data answers for which cluster version:
//! - v1.27 … v1.33: that version's rows.
//! - later than v1.33: the v1.33 rows (the newest binary available).
//! - before v1.27: the hand-made v1.22 table in [`super::commands`] decides
//!   the flags; whether a command exists at all is still read from the v1.27
//!   rows (kubectl's command set barely changed from v1.22 to v1.27, and a
//!   command kubeplay does not emulate is `unsupported` rather than unknown
//!   either way).
//!
//! `--help` hides flags marked hidden (`run --cascade` before 1.31), and it
//! shows neither int32 against int64 nor pflag's `NoOptDefVal`: where the
//! hand-made table has a flag, its [`FlagSpec`] wins.

use std::sync::LazyLock;

use super::commands::{FlagSpec, FlagType};

/// The generated data.
const DATA: &str = include_str!("flags.tsv");

/// The oldest and newest minor versions the data was read from.
pub const FIRST_MINOR: u32 = 27;
/// See [`FIRST_MINOR`].
pub const LAST_MINOR: u32 = 33;

/// The path the data uses for the root's persistent (global) flags.
pub const GLOBAL_PATH: &str = "(global)";

/// How `--help` printed a flag's default, which tells its pflag type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpType {
    /// `--x=false`.
    Bool,
    /// `--x=''`.
    String,
    /// `--x=[]`: a StringSlice or a StringArray.
    List,
    /// `--x=0`: an int of some width.
    Int,
    /// `--x=0s`.
    Duration,
    /// Anything else (`--vmodule=`, a map).
    Other,
}

impl HelpType {
    fn parse(s: &str) -> HelpType {
        match s {
            "bool" => HelpType::Bool,
            "string" => HelpType::String,
            "list" => HelpType::List,
            "int" => HelpType::Int,
            "duration" => HelpType::Duration,
            _ => HelpType::Other,
        }
    }

    /// The help form of a hand-made flag type.
    pub fn of(ty: FlagType) -> HelpType {
        match ty {
            FlagType::Bool => HelpType::Bool,
            FlagType::String => HelpType::String,
            FlagType::Int | FlagType::Int32 => HelpType::Int,
            FlagType::StringSlice | FlagType::StringArray => HelpType::List,
            FlagType::Duration => HelpType::Duration,
            FlagType::StringToString => HelpType::Other,
        }
    }
}

/// One flag of one command, valid for a range of minor versions.
#[derive(Debug)]
pub struct UpstreamFlag {
    /// `create deployment`, or [`GLOBAL_PATH`].
    pub path: &'static str,
    /// The flag as the parser reads it when the hand-made table lacks it.
    pub spec: FlagSpec,
    /// The type `--help` showed.
    pub help_type: HelpType,
    /// The default `--help` showed (`'none'`, `[]`, `-1`).
    pub default: &'static str,
    first: u32,
    last: u32,
}

/// One command, valid for a range of minor versions.
#[derive(Debug)]
pub struct UpstreamCommand {
    /// `create quota`.
    pub path: &'static str,
    /// Its aliases (`resourcequota`).
    pub aliases: Vec<&'static str>,
    first: u32,
    last: u32,
}

#[derive(Debug, Default)]
struct Table {
    commands: Vec<UpstreamCommand>,
    flags: Vec<UpstreamFlag>,
}

static TABLE: LazyLock<Table> = LazyLock::new(|| parse(DATA));

fn range(s: &str) -> Option<(u32, u32)> {
    let (a, b) = s.split_once('-')?;
    let minor = |v: &str| v.strip_prefix("1.")?.parse().ok();
    Some((minor(a)?, minor(b)?))
}

fn parse(data: &'static str) -> Table {
    let mut table = Table::default();
    for line in data.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
        let cols: Vec<&'static str> = line.split('\t').collect();
        let Some((first, last)) = cols.first().and_then(|r| range(r)) else { continue };
        match cols.as_slice() {
            [_, "command", path, aliases] => table.commands.push(UpstreamCommand {
                path,
                aliases: aliases.split(',').filter(|a| !a.is_empty()).collect(),
                first,
                last,
            }),
            [_, "flag", path, name, short, ty, default] => {
                let help_type = HelpType::parse(ty);
                let ty = match help_type {
                    HelpType::Bool => FlagType::Bool,
                    HelpType::Int => FlagType::Int,
                    HelpType::Duration => FlagType::Duration,
                    // Comma splitting only matters to a verb that reads the
                    // flag, and a verb that reads it is in the hand table.
                    HelpType::List => FlagType::StringArray,
                    HelpType::String | HelpType::Other => FlagType::String,
                };
                table.flags.push(UpstreamFlag {
                    path,
                    spec: FlagSpec {
                        name,
                        short: short.chars().next().filter(|_| *short != "-"),
                        ty,
                        no_opt_default: no_opt_default(name, ty),
                        deprecated: None,
                    },
                    help_type,
                    default,
                    first,
                    last,
                });
            }
            _ => {}
        }
    }
    table
}

/// pflag's `NoOptDefVal`, which `--help` does not show: `true` for bools,
/// and the few string flags kubectl gives one.
fn no_opt_default(name: &str, ty: FlagType) -> Option<&'static str> {
    match (name, ty) {
        (_, FlagType::Bool) => Some("true"),
        // `cmdutil.AddValidateFlags` (v1.25+): `--validate` alone is strict.
        ("validate", _) => Some("strict"),
        // `cmdutil.AddDryRunFlag`.
        ("dry-run", _) => Some("unchanged"),
        // `DeleteFlags.AddFlags`.
        ("cascade", _) => Some("background"),
        _ => None,
    }
}

/// The minor version whose rows answer for flags at cluster minor `minor`:
/// `None` before v1.27 (the hand-made table answers).
pub fn flags_minor(minor: u32) -> Option<u32> {
    (minor >= FIRST_MINOR).then(|| minor.min(LAST_MINOR))
}

/// The minor version whose rows answer whether a command exists.
fn commands_minor(minor: u32) -> u32 {
    minor.clamp(FIRST_MINOR, LAST_MINOR)
}

/// Every command real kubectl has at `minor`.
pub fn commands(minor: u32) -> impl Iterator<Item = &'static UpstreamCommand> {
    let m = commands_minor(minor);
    TABLE.commands.iter().filter(move |c| c.first <= m && m <= c.last)
}

/// The real command `word` (a name or an alias) below `parent` (`create`,
/// or `""` for the root) at `minor`: its full path.
pub fn subcommand(minor: u32, parent: &str, word: &str) -> Option<&'static str> {
    commands(minor)
        .find(|c| {
            let (p, name) = c.path.rsplit_once(' ').unwrap_or(("", c.path));
            p == parent && (name == word || c.aliases.contains(&word))
        })
        .map(|c| c.path)
}

/// Every flag of command `path` (or [`GLOBAL_PATH`]) at data minor `m`.
pub fn flags(m: u32, path: &str) -> impl Iterator<Item = &'static UpstreamFlag> + '_ {
    TABLE.flags.iter().filter(move |f| f.path == path && f.first <= m && m <= f.last)
}

/// Flag `name` of `path` at data minor `m`.
pub fn flag(m: u32, path: &str, name: &str) -> Option<&'static UpstreamFlag> {
    flags(m, path).find(|f| f.spec.name == name)
}

/// The flag with shorthand `short` of `path` at data minor `m`.
pub fn short_flag(m: u32, path: &str, short: char) -> Option<&'static UpstreamFlag> {
    flags(m, path).find(|f| f.spec.short == Some(short))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_reads_and_answers_by_version() {
        assert!(TABLE.commands.len() > 100, "{}", TABLE.commands.len());
        assert_eq!(subcommand(22, "create", "quota"), Some("create quota"));
        assert_eq!(subcommand(30, "create", "resourcequota"), Some("create quota"));
        assert_eq!(subcommand(30, "", "explain"), Some("explain"));
        assert_eq!(subcommand(30, "", "nope"), None);
        let m = flags_minor(30).unwrap();
        let image = flag(m, "create deployment", "image").unwrap();
        assert_eq!(image.help_type, HelpType::List);
        assert_eq!(flag(m, "create deployment", "replicas").unwrap().spec.short, Some('r'));
        assert!(flag(m, GLOBAL_PATH, "namespace").is_some());
        // `delete --interactive` came in 1.29.
        assert!(flag(28, "delete", "interactive").is_none());
        assert!(flag(29, "delete", "interactive").is_some());
        assert_eq!(flags_minor(22), None);
        assert_eq!(flags_minor(35), Some(33));
    }
}
