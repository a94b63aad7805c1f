#!/usr/bin/env bats
# Every command of both models' command tables (tests/data/commands-*.tsv),
# sent through `credctl --json shell` to credsim, each answer checked for
# its form:
#   get    raw and verbose both answer; the raw form is the bare value
#          (it does not repeat the verbose answer's "Label:");
#   set    with a valid value per argument, answers "Result: OK";
#   other  and exec: answered, either accepted or refused with the
#          camera's explanation (the simulator refuses URL downloads it
#          cannot fetch, and says why) -- never silence.
# A valid value for a set command is the one the camera holds now, read
# with the matching get command; the few settings the camera cannot read
# back take a sample value from the table below.
# Transfers that put raw bytes on the line (sendfile, xsendfile, exec
# uploadfirmware, recvfile ... content) are left to the crednuc, credbpm and
# credfw suites.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
load helpers

setup() {
	common_setup
	require_bin credctl credsim
}

teardown() {
	common_teardown
}

# table_check MODEL KIND: run the rows of KIND (get, set, other) of the
# model's table; prints one line per failing command and exits 1 if any.
table_check() {
	python3 - "$CRED_TOP/tests/data/commands-$1.tsv" "$1" "$2" <<'PY'
import json, re, subprocess, sys

tsv, model, kind = sys.argv[1:4]

# Sample values for what the camera cannot read back.
SAMPLES = {
    "<parameter>": "ibias",      # a sensor ("snake") parameter: the manual names
                                 # none; credsim has blm_en, cds_en and ibias
    "<vrefValue>": "2.0",        # VREF is write-only (1.9-2.3 V)
    "<ip>": "192.168.0.20", "<mask>": "255.255.255.0",  # write-only on
    "<gateway>": "192.168.0.1", "<dns>": "192.168.0.1", # a C-RED One
    "<license>": "hdr.lic", "<licence>": "hdr.lic",
    "<nbframes>": "16",
    "<url>": "http://127.0.0.1:9/missing.bin",
    "<from>": "2024-01-01",
}
# Settings that need another one first (the manual: VREF is set by hand
# only with its automatic adjustment off).
BEFORE = {"set voltage vref": ["set vrefadjust off"]}
# Rows that change the camera for good: each gets a simulator of its own.
# Cooling and standby are state changes on a C-RED One (standby needs a
# cooled camera), so they too start from a fresh, operational camera.
# License operations and builds alone too, so that none is refused
# because of another (a deleted license, a build still running).
ALONE = ("shutdown", "reboot", "restorefactory", "set ip refresh", "set telnet",
         "set cooling", "set standby", "exec dellicense", "exec enablelicense",
         "exec disablelicense", "exec build", "buildnuc")
# "set telnet status" (C-RED One table) reads the setting: it answers the
# value, not "Result: OK".
QUERIES = ("set telnet status",)
TRANSFER = re.compile(r"^(sendfile|xsendfile) |^recvfile \S+ content$|^exec uploadfirmware$")

def rows():
    with open(tsv) as f:
        for i, line in enumerate(f):
            cols = line.rstrip("\n").split("\t")
            if i == 0 or not line.strip() or line.startswith("#"):
                continue
            cols += [""] * (4 - len(cols))
            yield {"kind": cols[0], "command": cols[1], "args": cols[2].split()}

def session(lines):
    p = subprocess.run(
        ["credsim", "-m", model, "--export", "pty", "--", "credctl", "-m", model, "--json", "shell"],
        # "raw ": camera commands named like credctl's (status, set ...)
        # go to the camera, not to credctl's subcommands
        input="".join("raw " + l + "\n" for l in lines), capture_output=True, text=True, timeout=1200)
    out = [json.loads(l) for l in p.stdout.splitlines()]
    out = [o for o in out if "command" in o]  # events are objects too
    if len(out) != len(lines):
        sys.exit("credctl answered %d of %d commands; stderr: %s" % (len(out), len(lines), p.stderr))
    return out

failures, accepted, refused = [], [], []
def bad(command, why, answer):
    failures.append("%s: %s (%s)" % (command, why, json.dumps(answer)))

def label_of(verbose):
    m = re.match(r"^([^:\n]+): ", verbose)
    return m.group(1) if m else None

def check_gets(table):
    lines = []
    for r in table:
        cmd = " ".join([r["command"]] + [SAMPLES.get(a, a) for a in r["args"]])
        lines += [cmd] if cmd.endswith(" raw") else [cmd + " raw", cmd]
    out = dict(zip(lines, session(lines)))
    for cmd in lines:
        o = out[cmd]
        if o["status"] != 0 or not o.get("answer", "").strip():
            bad(cmd, "no answer", o)
    for cmd in lines:
        if not cmd.endswith(" raw") or cmd[:-4] not in out:
            continue
        raw, verbose = out[cmd].get("answer", ""), out[cmd[:-4]].get("answer", "")
        label = label_of(verbose)
        if label and raw.startswith(label + ":"):
            bad(cmd, "raw answer repeats the label '%s'" % label, out[cmd])

def value_commands(r):
    """The set command with values: the current value where the camera can
    read it back, else a sample."""
    base = re.sub(r"^[Ss]et ", "", r["command"])
    fixed = [SAMPLES.get(a, a) for a in r["args"][:-1]]
    return " ".join([base] + fixed), r["args"][-1]

def check_sets(table):
    probes = [value_commands(r)[0] + " raw" for r in table if r["args"]]
    current = dict(zip(probes, session(probes))) if probes else {}
    lines = []
    for r in table:
        cmd = r["command"]
        if r["args"]:
            head, last = value_commands(r)
            o = current[head + " raw"]
            value = o["answer"] if o["status"] == 0 else SAMPLES.get(last)
            if value is None:
                bad(cmd, "no value to send: the camera cannot read it back", o)
                continue
            cmd = " ".join([cmd] + [SAMPLES.get(a, a) for a in r["args"][:-1]] + [value])
        lines.append((cmd, BEFORE.get(r["command"], [])))
    run_rows([l for l in lines if not l[0].startswith(ALONE)], set_ok)
    for l in lines:
        if l[0].startswith(ALONE):
            run_rows([l], set_ok)

def set_ok(cmd, o):
    if o["status"] != 0:
        return False
    if cmd in QUERIES:
        return o.get("answer", "").strip() != ""
    return re.match(r"^Result: ?OK$", o.get("answer", ""))

def run_rows(rows_with_setup, ok):
    lines, wanted = [], []
    for cmd, setup in rows_with_setup:
        lines += setup + [cmd]
        wanted.append(len(lines) - 1)
    if not lines:
        return
    out = session(lines)
    for i in wanted:
        if not ok(lines[i], out[i]):
            bad(lines[i], "unexpected answer", out[i])
        elif out[i]["status"]:
            refused.append(lines[i])
        else:
            accepted.append(lines[i])

def answered(cmd, o):
    # Accepted, or refused with the camera's own explanation.
    return o["status"] == 0 or (o["status"] == 1 and o.get("error", "").strip())

def check_others(table):
    lines = []
    for r in table:
        cmd = " ".join([r["command"]] + [SAMPLES.get(a, a) for a in r["args"]])
        if not TRANSFER.search(cmd):
            lines.append((cmd, []))
    run_rows([l for l in lines if not l[0].startswith(ALONE)], answered)
    for l in lines:
        if l[0].startswith(ALONE):
            run_rows([l], answered)

table = [r for r in rows() if (r["kind"] in ("other", "exec")) == (kind == "other")
         and (kind == "other" or r["kind"] == kind)]
if not table:
    sys.exit("no %s rows in %s" % (kind, tsv))
{"get": check_gets, "set": check_sets, "other": check_others}[kind](table)
print("%d %s rows checked" % (len(table), kind))
if refused:
    print("refused with a reason: " + ", ".join(refused))
for f in failures:
    print("FAIL " + f)
sys.exit(1 if failures else 0)
PY
}

@test "C-RED 3 table: every get command, raw and verbose" {
	run table_check cred3 get
	assert_success
	assert_output --regexp '^[0-9]+ get rows checked'
}

@test "C-RED 3 table: every set command with a valid value" {
	run table_check cred3 set
	assert_success
}

@test "C-RED 3 table: every other and exec command is answered" {
	run table_check cred3 other
	assert_success
}

@test "C-RED One table: every get command, raw and verbose" {
	run table_check credone get
	assert_success
}

@test "C-RED One table: every set command with a valid value" {
	run table_check credone set
	assert_success
}

@test "C-RED One table: every other and exec command is answered" {
	run table_check credone other
	assert_success
}
