#!/usr/bin/env bash
# The script of footprint's GitHub Action (action.yml): builds the base
# when asked, runs `footprint check` (and `footprint diff --why` against the
# base), writes the outputs and the job summary, and posts or updates the
# pull-request comment that starts with the check's marker.
#
# Inputs come as INPUT_* variables (see action.yml); GitHub provides
# GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_EVENT_PATH, GITHUB_REPOSITORY,
# GITHUB_API_URL and GITHUB_TOKEN. FOOTPRINT (default: footprint on PATH)
# and FOOTPRINT_API (default: curl against GITHUB_API_URL; called as
# "$FOOTPRINT_API METHOD PATH [BODY_JSON_FILE]", prints the response) can
# be replaced, which is how .ci/action_test.sh runs this without network.
set -euo pipefail

footprint=${FOOTPRINT:-footprint}
marker='<!-- footprint check -->'
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

api() {
  if [ -n "${FOOTPRINT_API:-}" ]; then
    "$FOOTPRINT_API" "$@"
    return
  fi
  local method=$1 path=$2 body=${3:-}
  local args=(-fsS -X "$method" -H "Authorization: Bearer ${GITHUB_TOKEN:?}" -H "Accept: application/vnd.github+json")
  [ -n "$body" ] && args+=(--data-binary "@$body")
  curl "${args[@]}" "${GITHUB_API_URL:-https://api.github.com}$path"
}

output() { echo "$1=$2" >> "${GITHUB_OUTPUT:-/dev/null}"; }

: "${INPUT_ELF:?input elf is required}"
: "${INPUT_BUDGET:?input budget is required}"

base_elf=${INPUT_BASE_ELF:-}
if [ -n "${INPUT_BASE_REF:-}" ]; then
  : "${INPUT_BASE_BUILD:?base-ref needs base-build}"
  : "${base_elf:?base-ref needs base-elf}"
  git worktree add --detach "$work/base" "$INPUT_BASE_REF" >&2
  (cd "$work/base" && bash -c "$INPUT_BASE_BUILD") >&2
  base_elf="$work/base/$base_elf"
  [ -n "${INPUT_BASE_MAP:-}" ] && INPUT_BASE_MAP="$work/base/$INPUT_BASE_MAP"
fi

args=("$INPUT_ELF" --budget "$INPUT_BUDGET")
[ -n "${INPUT_MAP:-}" ] && args+=(--map "$INPUT_MAP")
if [ -n "$base_elf" ]; then
  args+=(--baseline "$base_elf")
  [ -n "${INPUT_BASE_MAP:-}" ] && args+=(--baseline-map "$INPUT_BASE_MAP")
fi

set +e
"$footprint" check "${args[@]}" --format markdown > "$work/comment.md"
status=$?
"$footprint" check "${args[@]}" --format json > "$work/check.json" 2>/dev/null
set -e
case $status in
  0) output status pass ;;
  1) output status fail ;;
  *) output status error; echo "footprint check failed on its input (exit $status)" >&2; exit "$status" ;;
esac

# Totals and deltas from the JSON (fields documented in the README).
python3 - "$work/check.json" >> "${GITHUB_OUTPUT:-/dev/null}" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
t, b = c["totals"], c.get("baseline_totals")
print("flash=%d" % t["flash"])
print("ram=%d" % t["ram"])
print("flash-delta=%s" % ("" if not b else t["flash"] - b["flash"]))
print("ram-delta=%s" % ("" if not b else t["ram"] - b["ram"]))
PY

if [ -n "${INPUT_MODEL:-}" ]; then
  "$footprint" size "$INPUT_ELF" --model "$INPUT_MODEL" | grep '^arena:' >> "$work/comment.md" || true
fi
if [ -n "$base_elf" ]; then
  # Why the image grew: the chains that pull the largest new symbols in.
  "$footprint" diff "$base_elf" "$INPUT_ELF" --why --format markdown > "$work/why.md" || true
  if grep -q '^\*\*Why the new symbols are linked\*\*' "$work/why.md"; then
    { echo; sed -n '/^\*\*Why the new symbols are linked\*\*/,$p' "$work/why.md"; } >> "$work/comment.md"
  fi
fi
{
  cat "$work/comment.md"
  if [ -n "$base_elf" ]; then
    echo
    echo '```'
    "$footprint" diff "$base_elf" "$INPUT_ELF" --why
    echo '```'
  fi
} >> "${GITHUB_STEP_SUMMARY:-/dev/null}"
cat "$work/comment.md"

if [ "${INPUT_COMMENT:-true}" != "true" ]; then
  exit 0
fi
number=$(python3 -c 'import json,sys; e=json.load(open(sys.argv[1])); print((e.get("pull_request") or {}).get("number") or "")' "${GITHUB_EVENT_PATH:-/dev/null}" 2>/dev/null || true)
if [ -z "$number" ]; then
  echo "not a pull request: no comment posted" >&2
  exit 0
fi
repo=${GITHUB_REPOSITORY:?}
python3 -c 'import json,sys; print(json.dumps({"body": open(sys.argv[1]).read()}))' "$work/comment.md" > "$work/body.json"
api GET "/repos/$repo/issues/$number/comments?per_page=100" > "$work/comments.json"
id=$(python3 - "$work/comments.json" "$marker" <<'PY'
import json, sys
for c in json.load(open(sys.argv[1])):
    if c.get("body", "").startswith(sys.argv[2]):
        print(c["id"])
        break
PY
)
if [ -n "$id" ]; then
  api PATCH "/repos/$repo/issues/comments/$id" "$work/body.json" > /dev/null
  echo "updated comment $id" >&2
else
  api POST "/repos/$repo/issues/$number/comments" "$work/body.json" > /dev/null
  echo "posted a comment on #$number" >&2
fi
