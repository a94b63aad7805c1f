#!/usr/bin/env bats
# credctl's operations against credsim: check (every level, by driving the
# simulator into each state), the check log, many checks at once on one
# port, history on generated and real logs, the getter guard across runs
# of the tool, cooling from poorvacuum, the water guard, shutdown, and the
# contrib files. Waits are bounded; nothing asserts durations.

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load
load helpers
bats_require_minimum_version 1.5.0

setup() {
	common_setup
	require_bin credctl credsim
	# the getter journal of these tests, never the user's
	export XDG_STATE_HOME="$BATS_TEST_TMPDIR/state"
	unset CRED_GETTER_JOURNAL
}

teardown() {
	common_teardown
}

# simcmd COMMAND...: one command straight to the simulator's TCP port (not
# through credctl, so it works while credctl holds the port lock); prints
# the answer without the prompt.
simcmd() {
	local acc= chunk
	exec 9<>"/dev/tcp/${SIM_TCP%:*}/${SIM_TCP##*:}" || return 1
	printf '%s\n' "$*" >&9
	while IFS= read -r -d '>' -t 30 chunk <&9; do
		acc+=$chunk
		[[ $acc == *fli-cli ]] && break
		acc+='>'
	done
	exec 9>&-
	[[ $acc == *fli-cli ]] || { echo "simcmd: no answer to '$*'" >&2; return 1; }
	acc=${acc%fli-cli}
	acc=${acc//$'\r'/}
	printf '%s\n' "${acc%$'\n'}"
}

# sim_wait_state STATE: until the simulated camera is in STATE.
sim_wait_state() {
	local i
	for ((i = 0; i < HELPER_WAIT_LIMIT * 10; i++)); do
		[ "$(simcmd status raw)" = "$1" ] && return 0
		sleep 0.1
	done
	fail "camera never reached '$1' (now: $(simcmd status raw))"
}

# wait_rc FILE: until a run_bg job has ended; prints its status.
wait_rc() {
	wait_for_file "$1.rc" || fail "background job did not end: $(cat "$1")"
	cat "$1.rc"
}

json_get() {
	python3 -c 'import json,sys; d=json.load(sys.stdin)
for k in sys.argv[1].split("."): d=d[int(k)] if isinstance(d,list) else d[k]
print(d)' "$1"
}

# ---- check: vacuum -------------------------------------------------------------

@test "check vacuum: OK, WARNING and CRITICAL from the pressure" {
	start_sim credone
	run credctl check vacuum
	assert_success
	assert_output "CRED VACUUM OK - pressure 2.3e-5 mbar (good) | pressure=2.3e-5mbar;5e-3;2e-2"
	simcmd sim leak 0
	simcmd sim pressure 7.1e-3
	run credctl check vacuum
	assert_failure 1
	assert_output "CRED VACUUM WARNING - pressure 7.1e-3 mbar (poor) | pressure=7.1e-3mbar;5e-3;2e-2"
	simcmd sim pressure 2e-2
	run credctl check vacuum
	assert_failure 1
	simcmd sim pressure 3.4e-2
	run credctl check vacuum
	assert_failure 2
	assert_output "CRED VACUUM CRITICAL - pressure 3.4e-2 mbar (faulty) | pressure=3.4e-2mbar;5e-3;2e-2"
}

@test "check vacuum: limits from the firmware, --thresholds, -w and -c" {
	start_sim credone --firmware 1.9.0
	simcmd sim leak 0
	simcmd sim pressure 5e-4
	run credctl check vacuum
	assert_failure 1
	assert_output --partial "pressure=5e-4mbar;1e-4;1e-3"
	run credctl check --thresholds new vacuum
	assert_success
	assert_output --partial "(good) | pressure=5e-4mbar;5e-3;2e-2"
	run credctl check --thresholds=old -c 4e-4 vacuum
	assert_failure 2
	assert_output --partial "pressure=5e-4mbar;1e-4;4e-4"
	run credctl check -w 1e-3 -c 1e-2 vacuum
	assert_success
	assert_output --partial ";1e-3;1e-2"
}

@test "check vacuum on a C-RED 3 is UNKNOWN, and all leaves it out" {
	start_sim cred3
	run credctl check vacuum
	assert_failure 3
	assert_output "CRED VACUUM UNKNOWN - not applicable: a C-RED 3 has no cryostat pressure gauge"
	run credctl check all
	assert_success
	assert_output --regexp '^CRED OK - status: state operational; temps: cpu [0-9.]+ C'
	refute_output --partial "vacuum"
	refute_output --partial "pressure="
}

# ---- check: temperatures ---------------------------------------------------------

@test "check temps on a C-RED 3: the thermal protection table" {
	start_sim cred3
	run credctl check temps
	assert_success
	assert_output --partial "cpu=52.3C;-15:85;-20:90"
	assert_output --partial "sensor=27.5C;-15:55;-20:60"
	simcmd sim temperature cpu 87
	run credctl check temps
	assert_failure 1
	assert_output --regexp '^CRED TEMPS WARNING - cpu 87.0 C \(warning from 85 C\), backend'
	simcmd sim temperature ambiant -17
	run credctl check temps
	assert_failure 1
	assert_output --partial "ambient -17.0 C (warning below -15 C)"
	simcmd sim temperature backend 71
	run credctl check temps
	assert_failure 2
	assert_output --partial "backend 71.0 C (critical from 70 C)"
}

@test "check temps on a C-RED One: water and cryostat" {
	# slow simulated time: the cryostat drifts back to its setpoint slowly
	start_sim credone --time-scale 0.001
	run credctl check temps
	assert_success
	assert_output --partial "water 19.98 C, cryostat 80.0 K (setpoint 80.0 K)"
	assert_output --partial "cryostat=80.0K;78:82;70:90"
	simcmd sim water 41
	run credctl check temps
	assert_failure 1
	assert_output --regexp '^CRED TEMPS WARNING - water 41.0 C \(warning from 40 C\)'
	assert_output --partial "water=41.0C;~:40;~:45"
	run credctl check --water-warning 42 temps
	assert_success
	simcmd sim water 46
	run credctl check temps
	assert_failure 2
	run credctl check --water-warning 47 --water-critical 48 temps
	assert_success
	simcmd sim water 20
	simcmd sim cryostat 83.5
	run credctl check temps
	assert_failure 1
	assert_output --partial "cryostat 83.5 K (setpoint 80.0 K, warning)"
	simcmd sim cryostat 120
	run credctl check temps
	assert_failure 2
	assert_output --partial "cryostat 120.0 K (setpoint 80.0 K, critical)"
	# a warm camera that is not cooling: nothing wrong
	simcmd sim state ready
	run credctl check temps
	assert_success
	assert_output --partial "not cold now"
}

# ---- check: status -----------------------------------------------------------------

@test "check status: every state's level" {
	start_sim credone
	local st want
	for st in operational:0 ready:0 isbeingcooled:0 standby:0 poorvacuum:1 prevsafe:1 \
		vacuumrege:1 faultyvacuum:2 safe:2 locked:2; do
		want=${st#*:}
		st=${st%:*}
		simcmd sim state "$st" >/dev/null
		run credctl check status
		[ "$status" -eq "$want" ] || fail "state $st: exit $status, expected $want: $output"
		assert_output --regexp "^CRED STATUS [A-Z]+ - state $st"
	done
	simcmd sim state presave
	run credctl check status
	assert_failure 1
	assert_output --partial "state prevsafe: an error occurred during the previous session"
}

@test "check status: a safe camera says why" {
	start_sim cred3
	simcmd sim temperature cpu 95
	run credctl check status
	assert_failure 2
	assert_output "CRED STATUS CRITICAL - state safe: safe mode after an error: restart the camera (reason: CPU temperature 95.0 C above 90 C)"
}

@test "check all: one line, the worst level wins, all the performance data" {
	start_sim credone --state poorvacuum
	run credctl check all
	assert_failure 1
	[ "${#lines[@]}" -eq 1 ]
	assert_output --regexp '^CRED WARNING - status: state poorvacuum: .*; vacuum: pressure 8(\.0)?e-3 mbar \(poor\); temps: '
	assert_output --partial "| pressure=8"
	assert_output --partial " water="
	assert_output --partial " cryostat="
	simcmd sim pressure 3e-2
	run credctl check all
	assert_failure 2
	assert_output --regexp '^CRED CRITICAL - status: state poorvacuum'
}

# ---- check: failures are UNKNOWN ------------------------------------------------------

@test "check: no camera, a silent one, a busy port are UNKNOWN with a line" {
	start_sim credone
	local port=$CRED_PORT
	stop_sim
	run --separate-stderr credctl -p "$port" check vacuum
	assert_failure 3
	assert_output --regexp "^CRED VACUUM UNKNOWN - .*${port#tcp:}"
	start_silent_server
	run --separate-stderr credctl -p "tcp:$SILENT_ADDR" -t 0.5 check all
	assert_failure 3
	assert_output --regexp '^CRED UNKNOWN - '
	start_sim credone
	credctl --wait-lock=60 check vacuum >/dev/null
	# a watch between its polls does not hold the port: a check at the
	# same time is served (the lock is held per exchange)
	simcmd sim state isbeingcooled
	CRED_DEBUG=1 credctl cooling wait --interval 0.2 >"$BATS_TEST_TMPDIR/watch" 2>&1 3>&- &
	BG_PIDS+=($!)
	wait_for_text "$BATS_TEST_TMPDIR/watch" '"status raw' || fail "the watch never polled"
	# (the default lock wait covers the watch's exchanges)
	run credctl check status
	[ "$status" -le 1 ] || fail "check: $output"
	assert_output --regexp '^CRED STATUS (OK|WARNING) - '
	# a long exchange does: the simulator holds back its first answer to
	# hwuid, so that credctl holds the lock; a check that may not wait is
	# UNKNOWN and names the holder
	simcmd sim fault 'stall:600000/hwuid@1' >/dev/null
	CRED_DEBUG=1 credctl -t 600 raw hwuid >"$BATS_TEST_TMPDIR/holder" 2>&1 3>&- &
	local holder=$!
	BG_PIDS+=($holder)
	wait_for_text "$BATS_TEST_TMPDIR/holder" '"hwuid' || fail "the holder never sent"
	run credctl --wait-lock=0 check status
	assert_failure 3
	assert_output --regexp "^CRED STATUS UNKNOWN - .*in use by process $holder"
}

@test "check: usage errors are UNKNOWN (3), not 2" {
	run credctl check
	assert_failure 3
	assert_output --partial "check needs what to check"
	run credctl check bogus
	assert_failure 3
	assert_output --partial "unknown check 'bogus'"
	run credctl check vacuum temps
	assert_failure 3
	run credctl check --no-such vacuum
	assert_failure 3
	run credctl check -w abc vacuum
	assert_failure 3
	assert_output --partial "invalid warning pressure 'abc': not a number"
	run credctl check -w 1e-2 -c 1e-3 vacuum
	assert_failure 3
	run credctl check --thresholds=newest vacuum
	assert_failure 3
	run credctl check --water-warning 50 --water-critical 45 temps
	assert_failure 3
}

# ---- check: the log -------------------------------------------------------------------

@test "check --log appends one JSON record per check" {
	start_sim credone
	local log=$BATS_TEST_TMPDIR/health.jsonl
	run credctl check --log "$log" all
	assert_success
	simcmd sim pressure 7e-3
	run credctl check --log="$log" vacuum
	assert_failure 1
	[ "$(wc -l <"$log")" -eq 2 ]
	local first second
	first=$(sed -n 1p "$log")
	second=$(sed -n 2p "$log")
	[ "$(json_get check <<<"$first")" = all ]
	[ "$(json_get serial <<<"$first")" = C1-0057 ]
	[ "$(json_get hwuid <<<"$first")" = 0x3f08d2b64e19a7c5 ]
	[ "$(json_get levels.temps <<<"$first")" = OK ]
	[[ $(jq -r '.values["temperatures.water"]' <<<"$first") == 19.9* ]]
	[ "$(json_get level <<<"$second")" = WARNING ]
	[[ $(json_get values.pressure <<<"$second") == 0.007* ]]
	[ "$(json_get limits.pressure.warning <<<"$second")" = 0.005 ]
	[[ $(json_get timestamp <<<"$second") =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$ ]]
	# --json prints the record itself
	run --separate-stderr credctl --json check all
	assert_failure 1
	echo "$output" | json_ok
	[ "$(echo "$output" | json_get values.status)" = operational ]
	[ "$(echo "$output" | json_get levels.vacuum)" = WARNING ]
}

@test "check --log refuses a symbolic link and says so in the line" {
	start_sim credone
	local target=$BATS_TEST_TMPDIR/target log=$BATS_TEST_TMPDIR/link.jsonl
	echo keep >"$target"
	ln -s "$target" "$log"
	run --separate-stderr credctl check --log "$log" vacuum
	assert_failure 3
	assert_output --regexp "^CRED VACUUM UNKNOWN - pressure 2.3e-5 mbar \(good\); log '.*' not written: it is a symbolic link"
	[ "$(cat "$target")" = keep ]
	# a problem of the camera stays what it is
	simcmd sim pressure 3e-2
	run --separate-stderr credctl check --log "$log" vacuum
	assert_failure 2
	run --separate-stderr credctl check --log "$BATS_TEST_TMPDIR/no/such/dir/h.jsonl" vacuum
	assert_failure 2
	assert_output --partial "No such file or directory"
}

@test "ten checks at once are served one after another through the port lock" {
	start_sim credone
	local log=$BATS_TEST_TMPDIR/health.jsonl i
	for i in $(seq 10); do
		run_bg "$BATS_TEST_TMPDIR/c$i" credctl --wait-lock=120 check --log "$log" all
	done
	for i in $(seq 10); do
		[ "$(wait_rc "$BATS_TEST_TMPDIR/c$i")" -eq 0 ] || fail "check $i: $(cat "$BATS_TEST_TMPDIR/c$i")"
		run cat "$BATS_TEST_TMPDIR/c$i"
		[ "${#lines[@]}" -eq 1 ] || fail "check $i printed: $output"
		assert_output --regexp '^CRED OK - status: state operational; vacuum: pressure 2\.[0-9]e-5 mbar \(good\); temps: water [0-9.]+ C, cryostat 80\.0 K \(setpoint 80\.0 K\) \| pressure=[0-9.e-]+mbar;5e-3;2e-2 water=.* ptmcu=[0-9.]+C$'
	done
	[ "$(wc -l <"$log")" -eq 10 ]
	while read -r line; do
		[ "$(echo "$line" | json_get level)" = OK ] || fail "bad record: $line"
		[ "$(echo "$line" | json_get serial)" = C1-0057 ] || fail "bad record: $line"
	done <"$log"
}

# ---- history ----------------------------------------------------------------------------

# make_log FILE: 20 days of hourly readings of camera C1-0057: a cryostat
# regenerated on day 5 (the count goes from 2 to 3), then a pressure
# rising 0.05 decades a day from 1e-4 mbar, so 1e-3 after 20 days and the
# 5e-3 limit log10(5)/0.05 = 13.98 days later. A C-RED 3 record and a bad
# line are mixed in.
make_log() {
	python3 - "$1" <<'PYEOF'
import json, sys, datetime
t0 = datetime.datetime(2025, 5, 1, tzinfo=datetime.timezone.utc)
with open(sys.argv[1], "w") as f:
    for h in range(24 * 20):
        t = (t0 + datetime.timedelta(hours=h)).strftime("%Y-%m-%dT%H:%M:%SZ")
        day = h / 24
        if h < 24 * 5:
            p, n = 3e-3 * 10 ** (0.05 * day), 2
        else:
            p, n = 1e-4 * 10 ** (0.05 * day), 3
        f.write(json.dumps({"timestamp": t, "check": "all", "model": "C-RED One",
            "serial": "C1-0057", "hwuid": "0xabc", "level": "OK",
            "values": {"pressure": float("%.1e" % p), "state": "operational",
                       "getter_regenerations": n},
            "limits": {"pressure": {"warning": 5e-3, "critical": 2e-2}}}) + "\n")
        if h == 30:
            f.write(json.dumps({"timestamp": t, "check": "all", "model": "C-RED 3",
                "serial": "C3-0142", "values": {"cpu": 52.3}}) + "\n")
            f.write("not json\n")
PYEOF
}

@test "history: per day, and the days left at the trend" {
	local log=$BATS_TEST_TMPDIR/h.jsonl
	make_log "$log"
	run --separate-stderr credctl history "$log"
	assert_success
	assert_line "C-RED One C1-0057 (hwuid 0xabc): 480 pressure readings"
	assert_line --regexp '^2025-05-01 +24 +3e-3 +3\.3e-3$'
	assert_line --regexp '^2025-05-06 +24 +1\.8e-4 +2e-4 +-9[0-9]%$'
	assert_line --regexp '^2025-05-20 +24 +8\.9e-4 +1e-3 +\+12%$'
	assert_line --partial "360 readings since 2025-05-06T00:00:00Z (after the last getter regeneration)"
	assert_line --regexp 'now about 1e-3 mbar, rising 12\.[0-9]% per day \(doubling in 6\.0 days\)'
	assert_line --regexp 'poor vacuum limit 5e-3 mbar: in about 1[34]\.[0-9] days \(around 2025-06-0[34]\)'
	[[ $stderr == *"line 33 is not a check record"* ]]
	run --separate-stderr credctl --json history "$log"
	assert_success
	echo "$output" | json_ok
	run python3 -c 'import json,sys; d=json.loads(sys.argv[1])["cameras"][0]["trend"]
assert abs(d["days_to_warning"] - 13.98) < 0.3, d
assert abs(d["slope_decades_per_day"] - 0.05) < 0.002, d
assert d["method"] == "least squares on log10(pressure)"
print(d["readings"])' "$output"
	assert_output 360
	# the last 3 days only
	run --separate-stderr credctl --json history --days 3 "$log"
	[ "$(echo "$output" | json_get cameras.0.trend.readings)" -eq 73 ]
	# another limit
	run --separate-stderr credctl history -w 2e-3 "$log"
	assert_output --regexp 'limit 2e-3 mbar: in about [56]\.[0-9] days'
}

@test "history: cameras, filters and bad input" {
	local log=$BATS_TEST_TMPDIR/h.jsonl
	make_log "$log"
	run --separate-stderr credctl history --camera C1-0057 "$log"
	assert_success
	run --separate-stderr credctl history --camera 0xabc "$log"
	assert_success
	run --separate-stderr credctl history --camera C9-9999 "$log"
	assert_failure 1
	[[ $stderr == *"no pressure readings of that camera"* ]]
	run credctl history "$BATS_TEST_TMPDIR/none.jsonl"
	assert_failure 1
	assert_output --partial "cannot open"
	: >"$BATS_TEST_TMPDIR/empty.jsonl"
	run credctl history "$BATS_TEST_TMPDIR/empty.jsonl"
	assert_failure 1
	run credctl history
	assert_failure 2
	run credctl history --days 0 "$log"
	assert_failure 2
	# standard input
	run --separate-stderr bash -c "credctl history - <'$log'"
	assert_success
	assert_line --partial "480 pressure readings"
}

@test "history of a log written by check" {
	start_sim credone
	local log=$BATS_TEST_TMPDIR/health.jsonl p
	simcmd sim leak 0
	for p in 1e-5 2e-5 4e-5; do
		simcmd sim pressure $p
		credctl check --log "$log" all >/dev/null
	done
	run credctl history "$log"
	assert_success
	assert_line "C-RED One C1-0057 (hwuid 0x3f08d2b64e19a7c5): 3 pressure readings"
	assert_line --regexp '^[0-9-]{10} +3 +1e-5 +4e-5$'
	assert_line --partial "trend: not enough readings"
}

@test "history --plot draws a PNG with gnuplot, and never overwrites without --force" {
	command -v gnuplot >/dev/null || skip "gnuplot is not installed"
	local log=$BATS_TEST_TMPDIR/h.jsonl png=$BATS_TEST_TMPDIR/p.png
	make_log "$log"
	run --separate-stderr credctl history --plot "$png" "$log"
	assert_success
	[ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]
	local before
	before=$(md5sum <"$png")
	run --separate-stderr credctl history --plot "$png" "$log"
	assert_failure 1
	[[ $stderr == *"exists (use --force to replace it)"* ]]
	[ "$(md5sum <"$png")" = "$before" ]
	run --separate-stderr credctl history --force --plot "$png" "$log"
	assert_success
	ls -A "$BATS_TEST_TMPDIR" | grep -q '^\.p\.png' && fail "temporary file left behind"
	return 0
}

@test "history --plot without gnuplot says so and writes nothing" {
	local log=$BATS_TEST_TMPDIR/h.jsonl png=$BATS_TEST_TMPDIR/p.png
	make_log "$log"
	run env PATH="$CRED_TEST_BUILD/bin" credctl history --plot "$png" "$log"
	assert_failure 1
	assert_output --partial "--plot needs gnuplot, which is not installed"
	[ ! -e "$png" ]
}

# ---- getter --------------------------------------------------------------------------------

@test "getter: the manual's preconditions come first" {
	start_sim credone
	run credctl -y getter regenerate
	assert_failure 1
	assert_output --partial "cannot regenerate the getter in state 'operational'"
	# cooling just stopped: the cryostat is still cold
	simcmd set cooling off
	run credctl -y getter regenerate
	assert_failure 1
	assert_output --partial "not at room temperature (cryostat 8"
	simcmd sim cryostat 293
	simcmd sim water 38
	run credctl -y getter regenerate
	assert_failure 1
	assert_output --partial "water at 38.0 C (above 35 C)"
	simcmd sim water 20
	simcmd sim state faultyvacuum
	run credctl -y getter regenerate
	assert_failure 1
	assert_output --partial "pump the cryostat first"
	simcmd sim state ready
	simcmd sim pressure 2.3e-5
	# no terminal, no -y: nothing is sent
	run credctl getter regenerate </dev/null
	assert_failure 2
	assert_output --partial "CANNOT BE"
	assert_output --partial "use -y to confirm"
	[ "$(simcmd status raw)" = ready ]
	[ "$(simcmd getter nbregeneration raw)" = 0 ]
	run credctl getter regenerate --force-regeneration --force-regeneration --force-regeneration </dev/null
	assert_failure 2
	run credctl getter status --force-regeneration
	assert_failure 2
}

# regen_once: one `credctl -y getter regenerate`, its two hours passed with
# `sim advance` (simulated time moves only that way, so the camera's own
# 48-hour window does not depend on how fast the machine is).
regen_once() {
	local out=$BATS_TEST_TMPDIR/regen.$RANDOM
	run_bg "$out" credctl -y getter regenerate --interval 0.05
	sim_wait_state vacuumrege
	simcmd sim advance 7300 >/dev/null
	[ "$(wait_rc "$out")" -eq 0 ] || fail "regeneration failed: $(cat "$out")"
	grep -q "getter regeneration done: pressure 4e-6 mbar, state ready" "$out" || fail "$(cat "$out")"
}

@test "getter: the 48-hour rule holds across runs of the tool, and the camera locks" {
	start_sim credone --state ready
	simcmd sim leak 0
	local i journal=$XDG_STATE_HOME/credtools/getter-journal.jsonl
	for i in 1 2 3 4; do
		regen_once
	done
	[ "$(grep -c '"event":"regeneration"' "$journal")" -eq 4 ]
	run credctl getter status
	assert_success
	assert_line --regexp '^regenerations: +4$'
	assert_line --regexp '^within 48 hours: +4 of 4$'
	run credctl -y getter regenerate
	assert_failure 1
	assert_output --partial "4 getter regenerations of this camera within the last 48 hours"
	assert_output --partial "the camera locks itself for good at the next one"
	[ "$(simcmd status raw)" = ready ]
	run credctl -y getter regenerate --force-regeneration
	assert_failure 1
	assert_output --partial "must be given twice"
	# twice, and only a person at a terminal can say yes
	run credctl -y getter regenerate --force-regeneration --force-regeneration </dev/null
	assert_failure 2
	assert_output --partial "needs an answer on a terminal"
	[ "$(simcmd status raw)" = ready ]
	run pty_run "Type 'yes'" 'yes\n' -- credctl -y getter regenerate --force-regeneration \
		--force-regeneration --interval 0.05
	assert_failure 1
	assert_output --partial "may LOCK the camera"
	assert_output --partial "camera locked"
	[ "$(simcmd status raw)" = locked ]
	[ "$(grep -c '"event":"regeneration"' "$journal")" -eq 4 ]
}

@test "getter: regenerations the journal did not see are counted" {
	start_sim credone --state ready --time-scale 20000
	local journal=$BATS_TEST_TMPDIR/j.jsonl
	run credctl getter status --journal "$journal"
	assert_success
	run --separate-stderr credctl --json getter status --journal "$journal"
	[ "$(echo "$output" | json_get recent)" = "0 of 4" ]
	# four regenerations from elsewhere (the vendor's GUI)
	simcmd sim getter 4
	run credctl -y getter regenerate --journal "$journal"
	assert_failure 1
	assert_output --partial "the camera counts 4 regeneration(s) the journal did not see"
	assert_output --partial "4 getter regenerations of this camera within the last 48 hours"
	[ "$(grep -c '"event":"unlogged"' "$journal")" -eq 4 ]
	# the environment names the journal too
	run env CRED_GETTER_JOURNAL="$journal" credctl -y getter regenerate
	assert_failure 1
	assert_output --partial "within the last 48 hours (journal '$journal')"
	# another journal has not seen the camera: it says what it assumes
	run credctl -y getter regenerate --journal "$BATS_TEST_TMPDIR/other.jsonl" --interval 0.05
	assert_success
	assert_output --partial "its 4 earlier regeneration(s) are taken as older than 48 hours"
}

@test "getter: a restarted tool resumes watching a running regeneration" {
	start_sim credone --state ready
	local out=$BATS_TEST_TMPDIR/regen pid journal=$XDG_STATE_HOME/credtools/getter-journal.jsonl
	credctl -y getter regenerate --interval 0.1 >"$out" 2>&1 3>&- &
	pid=$!
	BG_PIDS+=($pid)
	sim_wait_state vacuumrege
	wait_for_text "$journal" '"event":"regeneration"' || fail "no journal entry: $(cat "$out")"
	kill -TERM "$pid"
	local rc=0
	wait "$pid" || rc=$?
	[ "$rc" -eq 143 ] || fail "exit status $rc: $(cat "$out")" # cut short: 128 + SIGTERM
	run cat "$out"
	assert_output --partial "stopped watching: the getter regeneration goes on in the camera"
	[ "$(simcmd status raw)" = vacuumrege ]
	run credctl getter status
	assert_line --regexp '^time left: +7[0-9]{3} s$'
	assert_line --regexp '^getter power: +24\.80 W$'
	# no -y: resuming asks nothing
	run_bg "$out.2" credctl getter regenerate --interval 0.1
	wait_for_text "$out.2" "a getter regeneration is running: watching it" || fail "$(cat "$out.2")"
	simcmd sim advance 7300
	[ "$(wait_rc "$out.2")" -eq 0 ] || fail "$(cat "$out.2")"
	run cat "$out.2"
	assert_output --partial "getter regeneration done: pressure 4e-6 mbar, state ready"
	[ "$(grep -c '"event":"regeneration"' "$journal")" -eq 1 ]
}

@test "getter on a C-RED 3 is refused" {
	start_sim cred3
	run credctl getter status
	assert_failure 1
	assert_output --partial "getter status needs a C-RED One (this is a C-RED 3)"
}

# ---- cooling -------------------------------------------------------------------------------

@test "cooling on from poorvacuum with --continue reaches operational" {
	start_sim credone --state poorvacuum --time-scale 500
	run --separate-stderr credctl cooling on --continue --interval 0.1
	assert_success
	assert_output operational
	[ "$(simcmd cooling raw)" = on ]
	run credctl check status
	assert_success
}

@test "cooling on asks before continue; prevsafe; states it refuses" {
	start_sim credone --state poorvacuum --time-scale 500
	run credctl cooling on </dev/null
	assert_failure 2
	assert_output --partial "The camera started with a poor vacuum"
	[ "$(simcmd status raw)" = poorvacuum ]
	simcmd sim state prevsafe
	run --separate-stderr credctl -y cooling on --interval 0.1
	assert_success
	assert_output operational
	simcmd sim state faultyvacuum
	run credctl cooling on --continue
	assert_failure 1
	assert_output --partial "faulty vacuum"
	simcmd sim state vacuumrege
	run credctl cooling on --continue
	assert_failure 1
	assert_output --partial "getter regeneration is running"
	simcmd sim state safe
	run credctl cooling on
	assert_failure 1
	assert_output --partial "cannot cool in state 'safe'"
}

@test "cooling: the water guard turns cooling off before the camera trips" {
	start_sim credone --state ready
	local out=$BATS_TEST_TMPDIR/cool
	run_bg "$out" credctl cooling on --interval 0.1
	sim_wait_state isbeingcooled
	simcmd sim water 42
	[ "$(wait_rc "$out")" -eq 1 ] || fail "$(cat "$out")"
	run cat "$out"
	assert_output --partial "water at 42.0 C reached the guard of 40 C: cooling turned off"
	[ "$(simcmd cooling raw)" = off ]
	[ "$(simcmd status raw)" = ready ]
	# too warm to start at all
	run credctl cooling on
	assert_failure 1
	assert_output --partial "above the guard of 40 C"
	[ "$(simcmd cooling raw)" = off ]
	# a higher guard lets it start
	run credctl cooling on --deadline 1 --water-guard 45 --interval 0.1
	assert_failure 3
	# the deadline may end the watch at its poll or inside one of its reads
	assert_output --partial "deadline of 1 s passed"
	run credctl cooling off
	assert_success
	assert_output ready
}

@test "cooling: usage, model and wait" {
	run credctl cooling
	assert_failure 2
	run credctl cooling up
	assert_failure 2
	run credctl cooling on --water-guard 60
	assert_failure 2
	start_sim cred3
	run credctl cooling on
	assert_failure 1
	assert_output --partial "needs a C-RED One"
	stop_sim
	start_sim credone --state ready
	run credctl cooling wait
	assert_failure 1
	assert_output --partial "not cooling (state 'ready')"
}

# ---- shutdown -------------------------------------------------------------------------------

@test "shutdown: cooling off first, then shutdown; the camera goes silent" {
	start_sim credone -v
	run credctl shutdown </dev/null
	assert_failure 2
	assert_output --partial "after turning its cooling off"
	[ "$(simcmd status raw)" = operational ]
	run credctl -y shutdown
	assert_success
	assert_output "camera shut down: its power can be switched off"
	run simcmd sim info
	assert_line "state: off"
	local log
	log=$(ls "$BATS_TEST_TMPDIR"/sim.*.log)
	run grep -n -e "'set cooling off' -> ok" -e "'shutdown' -> ok" "$log"
	[ "${#lines[@]}" -eq 2 ] || fail "sim log: $(cat "$log")"
	[[ ${lines[0]} == *"set cooling off"* && ${lines[1]} == *"'shutdown'"* ]]
}

@test "shutdown refuses during a getter regeneration" {
	start_sim credone --state vacuumrege
	run credctl -y shutdown
	assert_failure 1
	assert_output --partial "cannot be interrupted"
	[ "$(simcmd status raw)" = vacuumrege ]
	run credctl shutdown now
	assert_failure 2
}

# ---- credsim's vacuum and water ---------------------------------------------------------------

@test "credsim: the pressure rises with time, a regeneration restores it, boot judges it" {
	start_sim credone --state ready
	simcmd sim advance 8640000 # 100 days
	run credctl pressure raw
	assert_output --regexp '^1\.[0-9]e-03$'
	simcmd sim leak 1e-3
	simcmd sim advance 864000 # 10 days more: about 1.1e-2, poor at boot
	simcmd sim power cycle
	simcmd sim advance 60
	[ "$(simcmd status raw)" = poorvacuum ]
	simcmd sim leak 0
	simcmd exec redovacuum
	simcmd sim advance 7300
	[ "$(simcmd status raw)" = ready ]
	run credctl pressure raw
	assert_output "4.0e-06"
	simcmd sim pressure 3e-2
	simcmd sim power cycle
	simcmd sim advance 60
	[ "$(simcmd status raw)" = faultyvacuum ]
}

@test "credsim: the water warms with the cooling load" {
	start_sim credone --state ready
	simcmd sim water 20
	[ "$(simcmd temperatures water raw)" = 20.00 ]
	simcmd set cooling on
	run simcmd temperatures water raw
	assert_output --regexp '^20\.(8|9)[0-9]$'
	simcmd set cooling off
	[ "$(simcmd temperatures water raw)" = 20.00 ]
}

# ---- contrib ---------------------------------------------------------------------------------

@test "contrib: systemd-analyze verify accepts the service and the timer" {
	command -v systemd-analyze >/dev/null || skip "systemd-analyze is not installed"
	local d=$BATS_TEST_TMPDIR/units
	mkdir -p "$d"
	sed "s|/usr/local/bin/credctl|$CRED_TEST_BUILD/bin/credctl|" \
		"$CRED_TOP/contrib/systemd/credtools-check.service" >"$d/credtools-check.service"
	cp "$CRED_TOP/contrib/systemd/credtools-check.timer" "$d/"
	run systemd-analyze verify --man=no "$d/credtools-check.service" "$d/credtools-check.timer"
	assert_success
	[ -z "$output" ] || fail "systemd-analyze said: $output"
	# the checker does check: a broken timer fails
	sed 's/^OnCalendar=.*/OnCalendar=every so often/' "$CRED_TOP/contrib/systemd/credtools-check.timer" \
		>"$d/credtools-check.timer"
	run systemd-analyze verify --man=no "$d/credtools-check.timer"
	assert_failure
}

@test "contrib: udevadm verify accepts the rule" {
	command -v udevadm >/dev/null || skip "udevadm is not installed (package udev)"
	udevadm verify --help >/dev/null 2>&1 || skip "this udevadm has no verify (systemd 254 or later)"
	run udevadm verify "$CRED_TOP/contrib/udev/70-credtools.rules"
	assert_success
	printf 'SUBSYSTEM=="tty", ATTRS{idVendor}=="2faf", GROUP+"credtools"\n' >"$BATS_TEST_TMPDIR/bad.rules"
	run udevadm verify "$BATS_TEST_TMPDIR/bad.rules"
	assert_failure
}

@test "contrib: the udev rule names the camera's IDs and a group" {
	local rule=$CRED_TOP/contrib/udev/70-credtools.rules
	grep -q 'SUBSYSTEM=="usb".*ATTR{idVendor}=="2faf", ATTR{idProduct}=="0001", GROUP="credtools", MODE="0660"' "$rule"
	grep -q 'SUBSYSTEM=="tty", ATTRS{idVendor}=="2faf", ATTRS{idProduct}=="0001", GROUP="credtools", MODE="0660"' "$rule"
}

@test "contrib: make install-contrib puts credctl's path in the service" {
	local dest=$BATS_TEST_TMPDIR/dest
	run make -C "$CRED_TOP" -s install-contrib DESTDIR="$dest" PREFIX=/opt/cred
	assert_success
	grep -q '^ExecStart=/opt/cred/bin/credctl --wait-lock=60 check' \
		"$dest/opt/cred/lib/systemd/system/credtools-check.service"
	[ -f "$dest/opt/cred/lib/systemd/system/credtools-check.timer" ]
	[ -f "$dest/opt/cred/lib/udev/rules.d/70-credtools.rules" ]
	[ -f "$dest/opt/cred/share/doc/credtools/examples/credtools.crontab" ]
	run make -C "$CRED_TOP" -s uninstall-contrib DESTDIR="$dest" PREFIX=/opt/cred
	assert_success
	[ -z "$(find "$dest" -type f)" ]
}

# ---- documentation ----------------------------------------------------------------------------

@test "the man page and the completions know the operations" {
	local man=$CRED_TOP/man/credctl.1 sub
	for sub in check history getter cooling shutdown; do
		grep -qE "^\.B[RI]? $sub( |\$)" "$man" || fail "man page lacks $sub"
		grep -q "$sub" "$CRED_TOP/completions/bash/credctl" || fail "bash completion lacks $sub"
		grep -q "'$sub:" "$CRED_TOP/completions/zsh/_credctl" || fail "zsh completion lacks $sub"
	done
	run credctl --help
	assert_line --partial "check vacuum|temps|status|all"
	assert_line --partial "getter regenerate"
}

@test "bash completion offers the operations' words" {
	complete_words() {
		bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
			COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; _credctl; printf "%s\n" "${COMPREPLY[@]}"' \
			sh "$CRED_TOP/completions/bash/credctl" "$@"
	}
	run complete_words credctl check a
	assert_output all
	run complete_words credctl check --thr
	assert_output --partial -- --thresholds
	run complete_words credctl check --thresholds o
	assert_output old
	run complete_words credctl getter r
	assert_output regenerate
	run complete_words credctl cooling --wat
	assert_output -- --water-guard
	run complete_words credctl sh
	assert_line shell
	assert_line shutdown
}
