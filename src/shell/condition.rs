//! `test EXPR` and `[ EXPR ]` as bash's builtin evaluates them (POSIX's
//! rules by argument count, `test.c`): string, integer and file tests,
//! `!`, and `-a`/`-o` between two primaries. Files are the workspace's.

use crate::workspace::Workspace;

/// The status of `test ARGS` (0 true, 1 false, 2 error with bash's
/// message); `Err` names an operator not modelled.
pub fn test(args: &[String], files: &Workspace) -> Result<(i32, String), String> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match eval(&args, files) {
        Ok(Ok(true)) => Ok((0, String::new())),
        Ok(Ok(false)) => Ok((1, String::new())),
        Ok(Err(message)) => Ok((2, message)),
        Err(what) => Err(what),
    }
}

type Eval = Result<Result<bool, String>, String>;

fn eval(args: &[&str], files: &Workspace) -> Eval {
    match args {
        [] => Ok(Ok(false)),
        [s] => Ok(Ok(!s.is_empty())),
        ["!", rest @ ..] if rest.len() <= 2 => Ok(eval(rest, files)?.map(|b| !b)),
        [op, operand] => unary(op, operand, files),
        ["(", inner, ")"] => Ok(Ok(!inner.is_empty())),
        [a, op, b] if binary_op(op) => binary(a, op, b),
        [a, "-a", b] => Ok(Ok(eval(&[a], files)?? && eval(&[b], files)??)),
        [a, "-o", b] => Ok(Ok(eval(&[a], files)?? || eval(&[b], files)??)),
        ["!", rest @ ..] if rest.len() == 3 => Ok(eval(rest, files)?.map(|b| !b)),
        _ => {
            // `A -a B` / `A -o B` with primaries of two or three words.
            for (i, joiner) in args.iter().enumerate() {
                if (*joiner == "-a" || *joiner == "-o") && i > 0 && i + 1 < args.len() {
                    let left = eval(&args[..i], files)?;
                    let right = eval(&args[i + 1..], files)?;
                    return Ok(match (left, right) {
                        (Ok(l), Ok(r)) => Ok(if *joiner == "-a" { l && r } else { l || r }),
                        (Err(e), _) | (_, Err(e)) => Err(e),
                    });
                }
            }
            Err(format!("test expression `{}`", args.join(" ")))
        }
    }
}

fn binary_op(op: &str) -> bool {
    matches!(op, "=" | "==" | "!=" | "<" | ">" | "-eq" | "-ne" | "-lt" | "-le" | "-gt" | "-ge")
}

fn unary(op: &str, operand: &str, files: &Workspace) -> Eval {
    Ok(Ok(match op {
        "-z" => operand.is_empty(),
        "-n" => !operand.is_empty(),
        "-f" | "-e" | "-r" => {
            files.read(operand).is_some() || (op == "-e" && is_dir(operand, files))
        }
        "-s" => files.read(operand).is_some_and(|t| !t.is_empty()),
        "-d" => is_dir(operand, files),
        op if op.starts_with('-') && op.len() == 2 => return Err(format!("test operator {op}")),
        _ => return Ok(Err(format!("bash: test: {op}: unary operator expected\n"))),
    }))
}

/// A directory exists in the workspace when it is the current one, the
/// home, or holds a file.
fn is_dir(path: &str, files: &Workspace) -> bool {
    let dir = files.resolve(path);
    let prefix = if dir == "/" { "/".to_owned() } else { format!("{dir}/") };
    dir == files.cwd() || dir == "/root" || files.files().any(|(p, _)| p.starts_with(&prefix))
}

fn binary(a: &str, op: &str, b: &str) -> Eval {
    let number = |s: &str| -> Result<i64, String> {
        s.trim().parse().map_err(|_| format!("bash: test: {s}: integer expression expected\n"))
    };
    Ok(Ok(match op {
        "=" | "==" => a == b,
        "!=" => a != b,
        "<" => a < b,
        ">" => a > b,
        _ => {
            let (x, y) = match (number(a), number(b)) {
                (Ok(x), Ok(y)) => (x, y),
                (Err(e), _) | (_, Err(e)) => return Ok(Err(e)),
            };
            match op {
                "-eq" => x == y,
                "-ne" => x != y,
                "-lt" => x < y,
                "-le" => x <= y,
                "-gt" => x > y,
                _ => x >= y,
            }
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(args: &[&str]) -> i32 {
        let mut ws = Workspace::default();
        ws.write("app.yaml", "kind: Pod\n".to_owned());
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        test(&args, &ws).unwrap().0
    }

    #[test]
    fn bash_test() {
        assert_eq!(t(&["-z", ""]), 0);
        assert_eq!(t(&["-n", ""]), 1);
        assert_eq!(t(&["abc"]), 0);
        assert_eq!(t(&[]), 1);
        assert_eq!(t(&["a", "=", "a"]), 0);
        assert_eq!(t(&["a", "!=", "a"]), 1);
        assert_eq!(t(&["3", "-gt", "2"]), 0);
        assert_eq!(t(&["3", "-le", "2"]), 1);
        assert_eq!(t(&["x", "-eq", "2"]), 2);
        assert_eq!(t(&["-f", "app.yaml"]), 0);
        assert_eq!(t(&["-f", "missing.yaml"]), 1);
        assert_eq!(t(&["!", "-f", "missing.yaml"]), 0);
        assert_eq!(t(&["-n", "a", "-a", "1", "-lt", "2"]), 0);
        assert_eq!(t(&["-z", "a", "-o", "b", "=", "c"]), 1);
    }
}
