//! `jq` through jaq (`jaq-core`, `jaq-std`, `jaq-json`), a maintained jq
//! implementation in Rust, rather than by hand. Options tutorials use:
//! `-r`, `-j`, `-c`, `-e`, `-n`, `-s`, `-S`, `--arg`, `--argjson`, files
//! from the workspace. jaq's filters that reach outside the scenario
//! (`now`, `env`, `$ENV`, `input`, `debug`, `halt`…) are left out, so a
//! program using one is reported unsupported rather than answered from the
//! machine kubeplay runs on. jq's exact error texts are not modelled: an
//! error prints `jq: error: …` with jaq's wording and status 5.

use jaq_core::{
    Compiler, Ctx, Vars,
    data::JustLut,
    load::{Arena, File, Loader},
};
use jaq_json::{Val, write::Pp};

use crate::textutil::Files;

/// jaq filters kubeplay does not offer: they read the clock, the
/// environment, more input, or write to stderr or exit.
const LEFT_OUT: &[&str] = &[
    "now",
    "env",
    "input",
    "inputs",
    "debug",
    "stderr",
    "halt",
    "halt_error",
    "input_filename",
    "$__loc__",
    "get_search_list",
    "input_line_number",
    "mktime",
    "gmtime",
    "localtime",
    "strftime",
    "strflocaltime",
    "strptime",
    "todate",
    "fromdate",
    "dateadd",
    "datesub",
    "date",
];

/// What `jq ARGS` prints: stdout, stderr, status; `Err` names what is
/// not modelled.
pub fn run(
    args: &[String],
    stdin: &str,
    files: &dyn Files,
) -> Result<(String, String, i32), String> {
    let (mut raw, mut join, mut compact, mut exit_status, mut null_input, mut slurp, mut sort) =
        (false, false, false, false, false, false, false);
    let mut filter: Option<String> = None;
    let mut inputs: Vec<String> = Vec::new();
    let mut named: Vec<(String, Val)> = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "-r" | "--raw-output" => raw = true,
            "-j" | "--join-output" => (raw, join) = (true, true),
            "-c" | "--compact-output" => compact = true,
            "-e" | "--exit-status" => exit_status = true,
            "-n" | "--null-input" => null_input = true,
            "-s" | "--slurp" => slurp = true,
            "-S" | "--sort-keys" => sort = true,
            "-M" | "--monochrome-output" => {}
            "--arg" | "--argjson" => {
                let (Some(name), Some(value)) = (iter.next(), iter.next()) else {
                    return Ok((
                        String::new(),
                        format!(
                            "jq: error: {arg} takes two parameters (e.g. {arg} varname value)\n"
                        ),
                        2,
                    ));
                };
                let value = if arg == "--arg" {
                    Val::from(value.clone())
                } else {
                    match jaq_json::read::parse_single(value.as_bytes()) {
                        Ok(v) => v,
                        Err(_) => {
                            return Ok((
                                String::new(),
                                "jq: Invalid JSON text passed to --argjson\n".to_owned(),
                                2,
                            ));
                        }
                    }
                };
                named.push((format!("${name}"), value));
            }
            a if a.starts_with('-')
                && a.len() > 1
                && !a.starts_with("--")
                && a[1..].chars().all(|c| "rjcenSsM".contains(c)) =>
            {
                for c in a[1..].chars() {
                    match c {
                        'r' => raw = true,
                        'j' => (raw, join) = (true, true),
                        'c' => compact = true,
                        'e' => exit_status = true,
                        'n' => null_input = true,
                        's' => slurp = true,
                        'S' => sort = true,
                        _ => {}
                    }
                }
            }
            a if a.starts_with('-') && a.len() > 1 => return Err(format!("jq option {a}")),
            a if filter.is_none() => filter = Some(a.to_owned()),
            a => inputs.push(a.to_owned()),
        }
    }
    let filter = filter.unwrap_or_else(|| ".".into());

    // The input texts: stdin or the named files.
    let mut texts = Vec::new();
    if inputs.is_empty() {
        texts.push(stdin.to_owned());
    } else {
        for path in &inputs {
            match files.read(path) {
                Some(text) => texts.push(text),
                None => {
                    return Ok((
                        String::new(),
                        format!("jq: error: Could not open {path}: No such file or directory\n"),
                        2,
                    ));
                }
            }
        }
    }
    let mut values = Vec::new();
    for text in &texts {
        for value in jaq_json::read::parse_many(text.as_bytes()) {
            match value {
                Ok(v) => values.push(v),
                Err(e) => {
                    return Ok((
                        String::new(),
                        format!("jq: error (at <stdin>:0): Cannot parse input: {e}\n"),
                        2,
                    ));
                }
            }
        }
    }
    if slurp {
        values = vec![values.into_iter().collect()];
    }
    if null_input {
        values = vec![Val::Null];
    }

    // `--arg x v` binds `$x` as `v as $x | FILTER` would.
    let mut code = String::new();
    for (name, value) in &named {
        let mut buf = Vec::new();
        jaq_json::write::write(&mut buf, &Pp::default(), 0, value).map_err(|e| e.to_string())?;
        code.push_str(&format!("{} as {name} | ", String::from_utf8_lossy(&buf)));
    }
    code.push_str(&filter);
    let defs = jaq_core::defs().chain(jaq_std::defs()).chain(jaq_json::defs());
    // jaq's own definitions use some of these, so they stay defined; a
    // program naming one is refused before it runs.
    let words = regex::Regex::new(r"\$?[A-Za-z_][A-Za-z0-9_]*").map_err(|e| e.to_string())?;
    if let Some(name) =
        words.find_iter(&filter).map(|m| m.as_str()).find(|w| LEFT_OUT.contains(w) || *w == "$ENV")
    {
        return Err(format!("jq function {name}"));
    }
    let funs = jaq_core::funs().chain(jaq_std::funs()).chain(jaq_json::funs());
    let arena = Arena::default();
    let program = File { code: code.as_str(), path: () };
    let modules = match Loader::new(defs).load(&arena, program) {
        Ok(m) => m,
        Err(_) => {
            return Ok((
                String::new(),
                format!("jq: error: syntax error in `{filter}`\njq: 1 compile error\n"),
                3,
            ));
        }
    };
    let compiled = match Compiler::default().with_funs(funs).compile(modules) {
        Ok(f) => f,
        Err(errors) => {
            let _ = errors;
            return Ok((
                String::new(),
                format!("jq: error: `{filter}` does not compile\njq: 1 compile error\n"),
                3,
            ));
        }
    };
    let pp = Pp {
        indent: (!compact).then(|| "  ".to_owned()),
        sort_keys: sort,
        sep_space: !compact,
        ..Pp::default()
    };
    let mut out = String::new();
    let mut last: Option<Val> = None;
    for input in values {
        let ctx = Ctx::<JustLut<Val>>::new(&compiled.lut, Vars::new([]));
        for result in compiled.id.run((ctx, input)) {
            match result {
                Ok(v) => {
                    match (&v, raw) {
                        (Val::TStr(s), true) | (Val::BStr(s), true) => {
                            out.push_str(&String::from_utf8_lossy(s))
                        }
                        _ => {
                            let mut buf = Vec::new();
                            jaq_json::write::write(&mut buf, &pp, 0, &v)
                                .map_err(|e| e.to_string())?;
                            out.push_str(&String::from_utf8_lossy(&buf));
                        }
                    }
                    if !join {
                        out.push('\n');
                    }
                    last = Some(v);
                }
                Err(e) => match e.get_err() {
                    Ok(error) => {
                        return Ok((out, format!("jq: error (at <stdin>:0): {error}\n"), 5));
                    }
                    Err(_) => return Err("jq halt".into()),
                },
            }
        }
    }
    let status = match (exit_status, &last) {
        (false, _) => 0,
        (true, None) => 4,
        (true, Some(Val::Null | Val::Bool(false))) => 1,
        (true, Some(_)) => 0,
    };
    Ok((out, String::new(), status))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct NoFiles;
    impl Files for NoFiles {
        fn read(&self, _: &str) -> Option<String> {
            None
        }
        fn walk(&self, _: &str) -> Vec<String> {
            Vec::new()
        }
    }

    fn jq(args: &[&str], stdin: &str) -> (String, i32) {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let (out, err, status) = run(&args, stdin, &NoFiles).unwrap();
        (format!("{err}{out}"), status)
    }

    const PODS: &str = r#"{"items":[{"metadata":{"name":"web-1","labels":{"app":"web"}}},{"metadata":{"name":"db-1"}}]}"#;

    #[test]
    fn jq_outputs() {
        // Outputs from jq 1.7.1.
        assert_eq!(jq(&["-r", ".items[].metadata.name"], PODS), ("web-1\ndb-1\n".into(), 0));
        assert_eq!(jq(&[".items[0].metadata.labels"], PODS).0, "{\n  \"app\": \"web\"\n}\n");
        assert_eq!(
            jq(&["-c", ".items[0].metadata"], PODS).0,
            "{\"name\":\"web-1\",\"labels\":{\"app\":\"web\"}}\n"
        );
        assert_eq!(jq(&[".items | length"], PODS).0, "2\n");
        assert_eq!(jq(&["-e", ".missing"], PODS), ("null\n".into(), 1));
        assert_eq!(jq(&["-n", "--arg", "x", "y", "$x"], "").0, "\"y\"\n");
        assert_eq!(jq(&["-r", "[.items[].metadata.name] | join(\",\")"], PODS).0, "web-1,db-1\n");
        assert_eq!(jq(&[".a", "-r"], "{\"a\":\"b\"}").0, "b\n");
    }

    #[test]
    fn the_machine_is_never_consulted() {
        let args = vec!["-n".to_owned(), "now".to_owned()];
        assert_eq!(run(&args, "", &NoFiles), Err("jq function now".into()));
        assert_eq!(jq(&[".a.b"], "{\"a\":1}").1, 5);
    }
}
