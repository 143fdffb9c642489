#!/usr/bin/env python3
"""Writes seed corpora for the cargo-fuzz targets (fuzz/corpus/TARGET/,
ignored by git) from the repository's own scenarios and test data, so a
short fuzz run starts from real tutorial input instead of empty bytes:

  scenario      every scenario file (first byte 0 = Markdown, 1 = YAML,
                as fuzz/harness.rs reads it)
  shell_lexer   every command line after a console prompt
  kubectl_argv  those starting with `kubectl`, split into words (shlex),
                NUL-separated, `kubectl` itself dropped
  manifest      every ```yaml block and src/**/testdata YAML file

Usage: scripts/fuzz-seeds.py   (from anywhere; paths are the repository's)
"""
import glob, hashlib, os, re, shlex

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "fuzz", "corpus")
# `$ cmd`, `# cmd`, `[root@master ~]# cmd`, `user@host:~$ cmd`.
PROMPT = re.compile(r"^(?:\[[^\]]*\]\s*[#$]|[$#]|\w+@[\w.-]+:[^$#]*[$#])\s+(.*)$")


def put(target, data):
    folder = os.path.join(OUT, target)
    os.makedirs(folder, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(folder, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def main():
    files = [
        f
        for pattern in ("scenarios/**/*", "tests/**/*")
        for f in glob.glob(os.path.join(ROOT, pattern), recursive=True)
        if os.path.isfile(f) and f.endswith((".md", ".yaml"))
    ]
    for f in sorted(files):
        with open(f, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
        put("scenario", (b"\x00" if f.endswith(".md") else b"\x01") + text.encode())
        for line in text.splitlines():
            m = PROMPT.match(line.strip())
            if not m:
                continue
            command = m.group(1)
            put("shell_lexer", command)
            if command.startswith("kubectl"):
                try:
                    words = shlex.split(command.split("|")[0])
                except ValueError:
                    continue
                put("kubectl_argv", "\0".join(words[1:]))
        for m in re.finditer(r"```ya?ml[^\n]*\n(.*?)```", text, re.S):
            put("manifest", m.group(1))
    for f in glob.glob(os.path.join(ROOT, "src/**/testdata/**/*"), recursive=True):
        if os.path.isfile(f) and f.endswith((".yaml", ".yml")):
            with open(f, "rb") as handle:
                put("manifest", handle.read())
    for target in sorted(os.listdir(OUT)):
        print(target, len(os.listdir(os.path.join(OUT, target))))


if __name__ == "__main__":
    main()
