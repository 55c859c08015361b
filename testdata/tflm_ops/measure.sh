#!/bin/sh
# Runs every model in models/ on real TFLM and writes results.jsonl (or
# OUT), one JSON object per case: the case name, then what harness/tflm_run
# reports (status ok, allocate_failed or invoke_failed; arena_used_bytes,
# arena_head_bytes, arena_tail_bytes, min_arena_bytes; each output's bytes
# in hex; TFLM's log). A harness that dies is recorded as "crashed".
#
#   measure.sh TFLM_RUN [OUT]
#
# TFLM_RUN is the harness built against TFLM (see README.md), or a command
# running it, split at spaces: "qemu-arm -cpu cortex-a15 /path/tflm_run".
# A bare-metal harness has no fork and bisects the minimum arena in its own
# process, so an attempt that crashes (a kernel writing past a too small
# arena) ends the run: then the case is run again with -nomin, and the
# minimum is bisected here, one harness process (-fits SIZE) per attempt,
# as the host harness's search does (an attempt that dies does not fit).
set -eu
run=${1:?usage: measure.sh TFLM_RUN [OUT] (the harness built against TFLM, see README.md)}
out=${2:-results.jsonl}
cd "$(dirname "$0")"

# fits SIZE MODEL [INPUT]: whether the model allocates and runs in SIZE bytes.
fits() {
	size=$1
	shift
	# shellcheck disable=SC2086 # $run is a command and its arguments.
	$run -fits "$size" "$@" > /dev/null 2>&1
}

# bisect USED MODEL [INPUT]: the harness's search for min_arena_bytes.
bisect() {
	big=4194304
	lo=0
	hi=$(($1 + 4096))
	shift
	while ! fits $hi "$@" && [ $hi -lt $big ]; do hi=$((hi * 2)); done
	while [ $((lo + 1)) -lt $hi ]; do
		mid=$((lo + (hi - lo) / 2))
		if fits $mid "$@"; then hi=$mid; else lo=$mid; fi
	done
	echo $hi
}

tmp=$out.tmp
: > "$tmp"
for m in models/*.tflite; do
	name=$(basename "$m" .tflite)
	set -- "$m"
	[ -f "models/$name.input" ] && set -- "$m" "models/$name.input"
	# shellcheck disable=SC2086 # $run is a command and its arguments.
	if res=$($run "$@" 2>/dev/null) && [ -n "$res" ]; then
		printf '{"case":"%s",%s\n' "$name" "${res#\{}" >> "$tmp"
	elif res=$($run -nomin "$@" 2>/dev/null) && [ -n "$res" ]; then
		case $res in
		*'"status":"ok"'*)
			used=$(echo "$res" | sed 's/.*"arena_used_bytes":\([0-9]*\).*/\1/')
			min=$(bisect "$used" "$@")
			res=$(echo "$res" | sed "s/\(\"arena_tail_bytes\":[0-9]*\)/\1,\"min_arena_bytes\":$min/")
			;;
		esac
		printf '{"case":"%s",%s\n' "$name" "${res#\{}" >> "$tmp"
	else
		printf '{"case":"%s","status":"crashed"}\n' "$name" >> "$tmp"
	fi
done
mv "$tmp" "$out"
echo "measured $(wc -l < "$out") cases"
