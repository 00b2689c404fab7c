#!/usr/bin/env bash
# The level policy is written once: `postcard validate --list-checks` prints the check table
# (author/validate/checks.c), and README.md's check-id lists must hold exactly the same ids
# under the same levels; `postcard help validate` must state the rule.
#   usage: cli_checks.sh POSTCARD README
set -u
bin=$1
readme=$2
failed=0
table=$("$bin" validate --list-checks | awk '
	/^errors:/ { level = "errors" } /^ADL-conformance/ { level = "conformance" }
	/^warnings:/ { level = "warnings" } /^notes:/ { level = "notes" }
	/^  [a-z]/ { print level, $1 }' | sort)
# README: the four bullets under "Check ids", ids in backquotes (a "(1.2: ...)" note is not an id)
doc=$(awk '/^- \*\*Check ids\*\*/ { on = 1; next } on && /^- \*\*/ { on = 0 } on' "$readme" |
	awk '/^  - errors:/ { level = "errors" } /^  - ADL-conformance/ { level = "conformance" }
	     /^  - warnings:/ { level = "warnings" } /^  - notes:/ { level = "notes" }
	     { line = $0; sub(/^  - [^:]*:/, "", line); gsub(/\([^)]*\)/, "", line)
	       while (match(line, /`[a-z0-9-]+`/)) { print level, substr(line, RSTART + 1, RLENGTH - 2)
	                                              line = substr(line, RSTART + RLENGTH) } }' | sort)
if [ -z "$table" ] || [ "$table" != "$doc" ]; then
	echo "FAIL: README.md's check ids differ from 'postcard validate --list-checks' (< table, > README):"
	diff <(printf '%s\n' "$table") <(printf '%s\n' "$doc")
	failed=1
fi
help=$("$bin" help validate)
for phrase in "an LMS will refuse the package or the content cannot work" "--strict" "--list-checks" \
	"'postcard import' refuses only errors"; do
	if ! printf '%s' "$help" | grep -qF -- "$phrase"; then
		echo "FAIL: 'postcard help validate' does not say: $phrase"
		failed=1
	fi
done
[ "$failed" = 0 ] && echo "the check table, README.md and the help agree ($(printf '%s\n' "$table" | wc -l) checks)"
[ "$failed" = 0 ]
