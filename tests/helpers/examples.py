#!/usr/bin/env python3
"""The command examples of the documentation, as shell scripts to run
(tests/examples.bats).

What counts as an example (the convention the documents follow):
  - in a man page (man/*.1, man/*.7): every line between .EX and .EE
    (.nf/.fi is for other preformatted text: messages, stream headers);
  - in README.md: every line of a fenced block opened with ```sh.
One block is one example: its lines run in order in one bash, in a fresh
folder, against a fresh simulator. A line ending in a backslash goes on
on the next line; '#' starts a comment as in the shell. A `-p PORT` or
`--port=PORT` names the reader's camera and is pointed at the simulator.

  examples.py SKIPS FIXTURES OUTDIR FILE...

SKIPS: lines "skip|FILE|TEXT|REASON": a command of FILE that contains
TEXT is not run (REASON says why); "credone|FILE|TEXT|REASON": a block of
FILE with a command containing TEXT runs against a C-RED One. FIXTURES: file names an example may read
without writing them; the index says which each example needs (named in
the block, and not written by it with -o NAME). Writes OUTDIR/N.sh and
OUTDIR/index, one line per example: "N FILE LINE MODEL FIXTURE...", MODEL
credone when the block says -m credone (but not to credsim), else cred3. Prints the skip
entries that matched nothing on stderr and exits 1 if there are any.
"""
import os
import re
import shlex
import sys


def roff_text(line):
    """A man page line as the reader sees it."""
    out, i = [], 0
    while i < len(line):
        c = line[i]
        if c != "\\" or i + 1 == len(line):
            out.append(c)
            i += 1
            continue
        n = line[i + 1]
        if n in "-e\\":
            out.append("-" if n == "-" else "\\")
            i += 2
        elif n == "&":
            i += 2
        elif n == "(":
            out.append({"aq": "'", "dq": '"', "ti": "~", "ha": "^"}.get(line[i + 2:i + 4], ""))
            i += 4
        elif n == "f":
            i += 4 if line[i + 2:i + 3] == "(" else 3
        else:
            out.append(n)
            i += 2
    return "".join(out)


def blocks(path):
    """(first line number, [(line number, text)]) for each example block."""
    man = not path.endswith(".md")
    cur = None
    with open(path, encoding="utf-8") as f:
        for no, raw in enumerate(f, 1):
            line = raw.rstrip("\n")
            if cur is None:
                if (man and line.startswith(".EX")) or (not man and line.strip() == "```sh"):
                    cur = (no + 1, [])
                continue
            if (man and line.startswith(".EE")) or (not man and line.strip() == "```"):
                yield cur
                cur = None
                continue
            if man and line.startswith("."):
                continue  # a request inside the block (.\" comments...)
            cur[1].append((no, roff_text(line) if man else line))


def commands(lines):
    """Join continued lines: [(line number, command)]."""
    out, pending, start = [], "", None
    for no, text in lines:
        if start is None:
            start = no
        if text.endswith("\\"):
            pending += text[:-1].strip() + " "
            continue
        out.append((start, pending + (text.strip() if pending else text)))
        pending, start = "", None
    if pending:
        out.append((start, pending))
    return out


PORT = re.compile(r"(^|\s)(-p\s+|--port[=\s]+)(\S+)")


def main():
    skips_file, fixtures_file, outdir = sys.argv[1:4]
    skips, credone = [], []
    for line in open(skips_file, encoding="utf-8"):
        line = line.strip()
        if line and not line.startswith("#"):
            kind, f, text, reason = line.split("|", 3)
            (skips if kind == "skip" else credone).append([f, text, reason, 0])
    fixtures = open(fixtures_file, encoding="utf-8").read().split()
    top = os.getcwd()
    index, n = [], 0
    for path in sys.argv[4:]:
        rel = os.path.relpath(path, top)
        for first, lines in blocks(path):
            cmds = commands(lines)
            text = "\n".join(c for _, c in cmds)
            if not text.strip():
                continue
            n += 1
            # (credsim -m credone -- ... brings its own simulator)
            own = "\n".join(c for _, c in cmds if not c.lstrip().startswith("credsim"))
            model = "credone" if re.search(r"(-m\s*|--model[=\s])credone\b", own) else "cred3"
            for o in credone:
                if o[0] == rel and o[1] in text:
                    model, o[3] = "credone", o[3] + 1
            need = [fx for fx in fixtures
                    if re.search(r"(^|[\s'\"=:])" + re.escape(fx) + r"($|[\s'\"])", text)
                    and not re.search(r"-o\s*'?" + re.escape(fx), text)]
            sh = ["# %s:%d" % (rel, first)]
            for no, cmd in cmds:
                where = "%s:%d" % (rel, no)
                body = cmd.split(" #")[0].rstrip() if not cmd.lstrip().startswith("#") else ""
                if not body:
                    continue
                skip = next((s for s in skips if s[0] == rel and s[1] in body), None)
                if skip:
                    skip[3] += 1
                    sh.append("echo %s >&2" % shlex.quote("%s: skipped (%s): %s" % (where, skip[2], body)))
                    continue
                body = PORT.sub(lambda m: m.group(1) + '-p "$CRED_PORT"', body)
                sh.append("echo %s >&2" % shlex.quote("%s: $ %s" % (where, body)))
                if body.endswith("&") and not body.endswith("&&"):
                    sh.append(body)
                else:
                    sh.append("%s || ex_fail $? %s" % (body, shlex.quote("%s: %s" % (where, body))))
            with open(os.path.join(outdir, "%d.sh" % n), "w", encoding="utf-8") as f:
                f.write("ex_fail() { echo \"FAILED with exit status $1 at $2\" >&2; exit 1; }\n")
                # what an example leaves running in the background ends with it
                f.write("trap 'kill $(jobs -p) 2>/dev/null; wait' EXIT\n")
                f.write("\n".join(sh) + "\n")
            index.append("%d %s %d %s %s" % (n, rel, first, model, " ".join(need)))
    with open(os.path.join(outdir, "index"), "w", encoding="utf-8") as f:
        f.write("\n".join(index) + "\n")
    stale = [s for s in skips + credone if not s[3]]
    for s in stale:
        print("skip entry matches no example: %s|%s" % (s[0], s[1]), file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
