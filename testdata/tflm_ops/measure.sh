#!/bin/sh
# Runs every model in models/ on real TFLM and writes results.jsonl, one
# JSON object per case: the case name, then what harness/tflm_run reports
# (status ok, allocate_failed or invoke_failed; arena_used_bytes,
# arena_head_bytes, arena_tail_bytes, min_arena_bytes; each output's bytes
# in hex; TFLM's log). A harness that dies is recorded as "crashed".
#
#   measure.sh TFLM_RUN
set -eu
run=${1:?usage: measure.sh TFLM_RUN (the harness built against TFLM, see README.md)}
cd "$(dirname "$0")"
tmp=results.jsonl.tmp
: > $tmp
for m in models/*.tflite; do
	name=$(basename "$m" .tflite)
	set -- "$m"
	[ -f "models/$name.input" ] && set -- "$m" "models/$name.input"
	if out=$("$run" "$@" 2>/dev/null) && [ -n "$out" ]; then
		printf '{"case":"%s",%s\n' "$name" "${out#\{}" >> $tmp
	else
		printf '{"case":"%s","status":"crashed"}\n' "$name" >> $tmp
	fi
done
mv $tmp results.jsonl
echo "measured $(wc -l < results.jsonl) cases"
