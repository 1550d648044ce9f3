#!/usr/bin/env bash
# The access review of a pull request (run by .github/workflows/access-review.yml; testable on its
# own with a stub `gh` on PATH, see test/ci/access-review.test.ts):
#   1. roster validate on the pull request's config: the check fails when it is invalid;
#   2. roster diff $BASE_SHA (the commit the pull request is compared with): every permission
#      change, by cause;
#   3. one comment on the pull request, created once and updated on every push after, found by
#      the marker on its first line;
#   4. the labels roster diff names (privileges-grew while privileges grow, deletes-users while
#      IAM users are deleted), each removed when it no longer applies; while the config is invalid
#      (or the diff fails) the labels stay as they are: an invalid push takes no label off.
# The report is also written to the job summary, so it is there when commenting is not allowed
# (pull requests from forks get a read-only token) and in a merge queue (no pull request number:
# no comment, no labels).
#
# Environment:
#   TOOL_DIR          iam-roster checkout whose roster runs (the workflow uses the base branch's, so
#                     a pull request cannot change the tool that reviews it)
#   CONFIG_DIR        the pull request's checkout (config read from here; git history needed)
#   BASE_SHA          the commit to compare with (pull_request.base.sha, merge_group.base_sha);
#                     without it, origin/$BASE_REF
#   BASE_REF          the base branch (named in the comment; used when BASE_SHA is not set)
#   PR_NUMBER         the pull request number; empty in a merge queue
#   GITHUB_REPOSITORY owner/name
#   GITHUB_STEP_SUMMARY, GITHUB_SERVER_URL, GITHUB_RUN_ID   optional, set by GitHub Actions
set -uo pipefail

: "${TOOL_DIR:?}" "${CONFIG_DIR:?}" "${GITHUB_REPOSITORY:?}"
PR_NUMBER="${PR_NUMBER:-}"
if [ -n "${BASE_SHA:-}" ]; then base="$BASE_SHA"; else base="origin/${BASE_REF:?BASE_SHA or BASE_REF}"; fi
# Every label the check manages: each is on the pull request exactly while roster diff names it.
MANAGED_LABELS="privileges-grew deletes-users"
MARKER='<!-- iam-roster:access-review -->'
# GitHub's limit is 65,536 characters; the rest of the comment needs far less than 3,000.
REPORT_CHARS=62000

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
roster() { node "$TOOL_DIR/bin/roster.mjs" "$@"; }

# Files outside the config that the pull request changes: the tool itself, its dependencies, CI.
# A permission report cannot cover a change to the code that computes it.
tool_changes="$(git -C "$CONFIG_DIR" diff --name-only "$base...HEAD" -- . \
  ':(exclude)users.yaml' ':(exclude)accounts' ':(exclude)roles' ':(exclude)policies' ':(exclude)*.md' 2>/dev/null | head -20)"

status=ok
labels=""
roster validate --dir "$CONFIG_DIR" >"$work/validate.out" 2>&1
if [ $? -ne 0 ]; then
  status=invalid
  {
    echo "## iam-roster: the configuration is invalid"
    echo
    echo "\`roster validate\` found problems; fix them and push again. No permission report until it passes."
    echo
    echo '```'
    head -c 50000 "$work/validate.out"
    echo '```'
  } >"$work/report.md"
else
  roster diff "$base" --dir "$CONFIG_DIR" --format md --max-chars "$REPORT_CHARS" --json "$work/diff.json" >"$work/report.md" 2>"$work/diff.err"
  rc=$?
  if [ $rc -le 1 ] && [ -s "$work/diff.json" ]; then
    # Exit 1 means a label applies (privileges grew, users deleted): which ones, the JSON says.
    labels="$(node -e 'process.stdout.write(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).labels.join(" "))' "$work/diff.json")"
  else
    # The base revision's config cannot be read or is invalid, or git is missing history.
    status=error
    {
      echo "## iam-roster: no permission report"
      echo
      echo "\`roster diff $base\` failed:"
      echo
      echo '```'
      head -c 20000 "$work/diff.err"
      echo '```'
    } >"$work/report.md"
  fi
fi

{
  echo "$MARKER"
  if [ -n "$tool_changes" ]; then
    echo "> [!WARNING]"
    echo "> This pull request also changes iam-roster itself or its build, which this report does not cover: review these by hand."
    echo "> $(echo "$tool_changes" | sed 's/^/`/; s/$/`/' | paste -sd, - | sed 's/,/, /g')"
    echo
  fi
  cat "$work/report.md"
  echo
  run=""
  if [ -n "${GITHUB_SERVER_URL:-}" ] && [ -n "${GITHUB_RUN_ID:-}" ]; then run=" · [run](${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID})"; fi
  echo "<sub>iam-roster access review of $(git -C "$CONFIG_DIR" rev-parse --short=12 HEAD) against ${BASE_REF:+$BASE_REF at }$(git -C "$CONFIG_DIR" rev-parse --short=12 "$base" 2>/dev/null || echo "$base")${run}</sub>"
} >"$work/body.md"

if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat "$work/body.md" >>"$GITHUB_STEP_SUMMARY"; fi
cat "$work/body.md"

if [ -z "$PR_NUMBER" ]; then
  # A merge queue: no pull request to comment on or label; the check reflects validity.
  case "$status" in invalid) echo "::error::the configuration is invalid (roster validate)"; exit 1 ;; error) echo "::error::roster diff failed"; exit 1 ;; esac
  exit 0
fi

# One comment per pull request: update the one carrying the marker, or create it.
comments="repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments"
existing="$(gh api "$comments" --paginate --jq ".[] | select(.body | startswith(\"$MARKER\")) | .id" 2>/dev/null | head -1)"
if [ -n "$existing" ]; then
  gh api -X PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$existing" -F "body=@$work/body.md" >/dev/null
else
  gh api -X POST "$comments" -F "body=@$work/body.md" >/dev/null
fi
if [ $? -ne 0 ]; then
  echo "::warning::could not comment on the pull request (a fork's read-only token?); the report is in the job summary"
fi

describe_label() {
  case "$1" in
    privileges-grew) echo "iam-roster: this pull request grows someone's permissions" ;;
    deletes-users) echo "iam-roster: this pull request deletes IAM users (keys, MFA devices, passwords)" ;;
  esac
}
on_pr="repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/labels"
if [ "$status" = ok ]; then
  for label in $MANAGED_LABELS; do
    case " $labels " in
      *" $label "*)
        gh api -X POST "repos/$GITHUB_REPOSITORY/labels" -f "name=$label" -f color=d73a4a -f "description=$(describe_label "$label")" >/dev/null 2>&1 || true
        gh api -X POST "$on_pr" -f "labels[]=$label" >/dev/null || echo "::warning::could not label the pull request $label" ;;
      *) gh api -X DELETE "$on_pr/$label" >/dev/null 2>&1 || true ;;
    esac
  done
fi

case "$status" in
  invalid) echo "::error::the configuration is invalid (roster validate)"; exit 1 ;;
  error) echo "::error::roster diff failed"; exit 1 ;;
esac
exit 0
