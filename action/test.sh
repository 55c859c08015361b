#!/usr/bin/env bash
# Local test of the GitHub Action's script (action/footprint-action.sh),
# run by .ci/run: a fake pull-request event, the test firmware, and a stub
# for the one thing that needs the network, the comment API. It checks the
# outputs file, the comment body and which API calls were made.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/footprint" ./cmd/footprint

fail() { echo "action test: $*" >&2; exit 1; }

# The stub answers the comment listing with $STUB_COMMENTS and logs every
# call with the body it was given.
cat > "$tmp/api" <<'STUB'
#!/usr/bin/env bash
echo "$1 $2" >> "$STUB_LOG"
if [ -n "${3:-}" ]; then cp "$3" "$STUB_LOG.body"; fi
if [ "$1" = GET ]; then cat "$STUB_COMMENTS"; else echo '{}'; fi
STUB
chmod +x "$tmp/api"
echo '{"pull_request": {"number": 42}}' > "$tmp/event.json"

v=testdata/firmware/out/variants
run() { # run NAME [VAR=VALUE ...]: the action with the given inputs
  local name=$1; shift
  : > "$tmp/$name.out"; : > "$tmp/$name.log"
  env FOOTPRINT="$tmp/footprint" FOOTPRINT_API="$tmp/api" STUB_LOG="$tmp/$name.log" \
    GITHUB_OUTPUT="$tmp/$name.out" GITHUB_STEP_SUMMARY="$tmp/$name.summary" GITHUB_EVENT_PATH="$tmp/event.json" \
    GITHUB_REPOSITORY=acme/firmware INPUT_BUDGET=testdata/budget/footprint.yaml INPUT_COMMENT=true "$@" \
    bash action/footprint-action.sh > "$tmp/$name.stdout" 2> "$tmp/$name.stderr"
}
want() { grep -qxF "$2" "$tmp/$1" || fail "$1: no line '$2' in: $(cat "$tmp/$1")"; }

# A pull request with a comment of ours already: it is updated in place.
echo '[{"id": 7, "body": "LGTM"}, {"id": 9, "body": "<!-- footprint check -->\nold"}]' > "$tmp/with.json"
run update STUB_COMMENTS="$tmp/with.json" INPUT_ELF=$v/extra-kernel/firmware.elf INPUT_BASE_ELF=$v/base/firmware.elf \
  || fail "update: exit $?: $(cat "$tmp/update.stderr")"
want update.out "status=pass"
want update.out "flash=33480"
want update.out "ram=8192"
want update.out "flash-delta=484"
want update.out "ram-delta=0"
want update.log "GET /repos/acme/firmware/issues/42/comments?per_page=100"
want update.log "PATCH /repos/acme/firmware/issues/comments/9"
python3 - "$tmp/update.log.body" <<'PY' || fail "update: comment body"
import json, sys
body = json.load(open(sys.argv[1]))["body"]
assert body.startswith("<!-- footprint check -->\n### ✅ footprint: within budget"), body[:80]
assert "| flash | 32.2 KiB | 32.7 KiB | +484 B (+1.47%) |" in body, body
assert "tflm/kernel/MUL" in body, body
assert "**Why the new symbols are linked**" in body and "main → tflite::Register\\_MUL()" in body, body
PY
grep -q "tflm/kernel/MUL  added" "$tmp/update.summary" || fail "update: the job summary lacks the diff"
grep -q "main → tflite::Register_MUL()" "$tmp/update.summary" || fail "update: the job summary lacks diff --why"

# No comment of ours yet, over budget: a new comment, status fail.
echo '[{"id": 7, "body": "LGTM"}]' > "$tmp/without.json"
run post STUB_COMMENTS="$tmp/without.json" INPUT_ELF=$v/bigmodel/firmware.elf INPUT_BASE_ELF=$v/base/firmware.elf \
  || fail "post: exit $?: $(cat "$tmp/post.stderr")"
want post.out "status=fail"
want post.out "flash=49092"
want post.out "flash-delta=16096"
want post.log "POST /repos/acme/firmware/issues/42/comments"
grep -q "budget exceeded" "$tmp/post.log.body" || fail "post: comment body lacks the verdict"

# comment: false and no base: outputs only, no API call, empty deltas.
run quiet STUB_COMMENTS="$tmp/without.json" INPUT_ELF=$v/base/firmware.elf INPUT_COMMENT=false \
  || fail "quiet: exit $?: $(cat "$tmp/quiet.stderr")"
want quiet.out "status=pass"
want quiet.out "flash-delta="
[ ! -s "$tmp/quiet.log" ] || fail "quiet: API called: $(cat "$tmp/quiet.log")"

# Bad input: status error, exit 2.
if run bad STUB_COMMENTS="$tmp/without.json" INPUT_ELF=missing.elf; then fail "bad: succeeded"; fi
want bad.out "status=error"

echo "action: 4 passed, 0 failed"
