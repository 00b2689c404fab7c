#!/bin/sh
# A fuzzing campaign (make fuzz-campaign): each target of an ASan+UBSan libFuzzer build runs
# for SECONDS from its corpus, one after the other, at the given niceness; the inputs it finds
# that add coverage are then merged into tests/fuzz/corpus/<name> (libFuzzer -merge=1: only
# what the corpus does not already cover, the smallest input for each feature; the corpus's
# own files, reproducers of past findings among them, are never removed). The first finding
# (crash, sanitizer report, leak, timeout, out of memory) stops the campaign with the
# reproducer's path and the report. One line per target says what ran.
#
# usage: campaign.sh BUILD_DIR SECONDS NICENESS [TARGET...]
#   TARGET: a name from BUILD_DIR/fuzz-targets.txt (zip, request, ...); none: all of them.
# Work files (logs, new units, findings) go to BUILD_DIR/campaign/<name>/; the summary lines
# to BUILD_DIR/campaign/summary.txt as well.
set -u
build=$1
seconds=$2
niceness=$3
shift 3
list=$build/fuzz-targets.txt
if [ ! -f "$list" ]; then
	echo "campaign: $list is missing: build the fuzzers first (make fuzz)" >&2
	exit 2
fi
targets=$*
[ -n "$targets" ] || targets=$(cut -d' ' -f1 "$list")
# A hang must be one (a minute for one input, on a machine shared at nice 19), as must the
# first undefined behaviour (UBSan would only print it and go on).
timeout=${FUZZ_TIMEOUT:-60}
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
mkdir -p "$build/campaign"
summary=$build/campaign/summary.txt
: > "$summary"

# stat NAME LOG: a libFuzzer final statistic
stat() {
	sed -n "s/^stat::$1: *//p" "$2" | tail -1
}

# cpu_between T0 T1: the CPU seconds (user + system) children used between two outputs of the
# shell's `times` (its second line; run as `times > file` in this shell, not in $(...), where
# a subshell would count only its own children). On a shared machine executions per CPU
# second say how fast a target is; per second of the clock, how busy the machine was.
cpu_between() {
	for f in "$1" "$2"; do
		sed -n 2p "$f"
	done | awk '{ s = 0; for (i = 1; i <= 2; i++) { split($i, t, "m"); s += t[1] * 60 + t[2] }
		      if (NR == 1) a = s; else b = s }
		    END { printf "%.1f", b - a }'
}

for name in $targets; do
	line=$(grep "^$name " "$list" | head -1)
	if [ -z "$line" ]; then
		echo "campaign: no fuzz target '$name' (known: $(cut -d' ' -f1 "$list" | tr '\n' ' '))" >&2
		exit 2
	fi
	bin=$(echo "$line" | cut -d' ' -f2)
	corpus=$(echo "$line" | cut -d' ' -f3)
	work=$build/campaign/$name
	rm -rf "$work"
	mkdir -p "$work/new" "$work/findings" "$corpus"
	dict=
	[ -f "${corpus%/corpus/*}/$name.dict" ] && dict="-dict=${corpus%/corpus/*}/$name.dict"
	before=$(find "$corpus" -type f | wc -l)
	echo "campaign: fuzz_$name for ${seconds}s from $before inputs (log: $work/log)"
	# new units go to the first folder; the corpus is only read until the merge
	times > "$work/times.before"
	# shellcheck disable=SC2086 # $dict is empty or one word
	nice -n "$niceness" "$bin" -max_total_time="$seconds" -timeout="$timeout" \
		-print_final_stats=1 -artifact_prefix="$work/findings/" $dict \
		"$work/new" "$corpus" > "$work/log" 2>&1
	rc=$?
	times > "$work/times.after"
	# A slow unit (libFuzzer's -report_slow_units, 10 s of wall time for one input) is not a
	# finding: at nice 19 on a shared machine one input can wait that long for the CPU (seen:
	# 24 s for an input of 0.3 s of CPU). It is kept and counted; a hang is -timeout's.
	finding=$(find "$work/findings" -type f ! -name 'slow-unit-*' | head -1)
	slow=$(find "$work/findings" -type f -name 'slow-unit-*' | wc -l)
	if [ "$rc" != 0 ] || [ -n "$finding" ]; then
		echo
		echo "campaign: fuzz_$name found something (exit $rc)."
		[ -n "$finding" ] && echo "reproducer: $finding" && echo "replay it:  $bin $finding"
		echo "report (full log: $work/log):"
		# from the first line of the report to the end, at most 100 lines
		awk '/ERROR|runtime error|WARNING: |readers differ|deadly signal|==[0-9]+==/ { on = 1 }
		     on && n++ < 100' "$work/log"
		echo "campaign: stopped; the new units of this run are in $work/new, not merged."
		exit 1
	fi
	execs=$(stat number_of_executed_units "$work/log")
	cpu=$(cpu_between "$work/times.before" "$work/times.after")
	per_cpu=$(echo "${execs:-0} ${cpu:-0}" | awk '{ if ($2 > 0) printf "%.0f", $1 / $2; else print "?" }')
	rate=$(stat average_exec_per_sec "$work/log")
	cov=$(grep -E '(DONE|pulse|NEW|REDUCE|INITED) +cov:' "$work/log" | tail -1 |
		sed -n 's/.* cov: \([0-9]*\) ft: \([0-9]*\).*/\1 edges, \2 features/p')
	found=$(find "$work/new" -type f | wc -l)
	# Once more from a fresh control file if it fails: libFuzzer once could not parse its own
	# control file after its inner merge process stopped (at nice 19, load 16); run again, the
	# same merge succeeded.
	for try in 1 2; do
		rm -f "$work/merge.control"
		nice -n "$niceness" "$bin" -merge=1 -timeout="$timeout" \
			-merge_control_file="$work/merge.control" "$corpus" "$work/new" \
			> "$work/merge.log" 2>&1 && break
		[ "$try" = 1 ] && cp "$work/merge.log" "$work/merge.failed.log" && continue
		echo "campaign: merging fuzz_$name's new units failed twice (see $work/merge.log," \
			"$work/merge.failed.log)" >&2
		exit 1
	done
	after=$(find "$corpus" -type f | wc -l)
	out="fuzz_$name: ${execs:-?} executions in ${seconds} s (${rate:-?}/s; $per_cpu per CPU second over"
	out="$out ${cpu:-?} s), coverage ${cov:-?},"
	out="$out $found new units, $((after - before)) merged into the corpus ($before -> $after)"
	[ "$slow" -gt 0 ] && out="$out; $slow slow units (wall time) in $work/findings"
	[ -f "$work/merge.failed.log" ] && out="$out; merged at the second try"
	echo "$out" | tee -a "$summary"
done
echo "campaign: done; summary in $summary. New corpus entries: git status -- $(dirname "$corpus")"
