#!/bin/sh
# Builds the fixture course (two modules, groups, media) and the `postcard new` scaffold for every
# SCORM edition and checks what a package must be: manifest first, every shipped file listed,
# pass marks where each edition keeps them, course item order, identifiers, no placeholder left.
#   usage: test_packages.sh POSTCARD FIXTURES [WEB_DIR]
set -eu
bin=$1 fixtures=$2 web=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
webopt=""
[ -n "$web" ] && webopt="--web-dir $web"
fail() { echo "FAIL: $*"; exit 1; }

"$bin" new "$tmp/src/first-steps" >/dev/null || fail "postcard new"
[ -f "$tmp/src/first-steps/module.xml" ] || fail "scaffold has no module.xml"
# the scaffold names every question type
for t in choice multiple true-false fill-in numeric matching ordering likert; do
	grep -q "<$t id=" "$tmp/src/first-steps/module.xml" || fail "scaffold lacks <$t>"
done
"$bin" new "$tmp/src/first-steps" 2>/dev/null && fail "postcard new overwrote a module"

for ed in 1.2 2004-3rd 2004-4th; do
	out="$tmp/out-$ed"
	# shellcheck disable=SC2086
	"$bin" build "$fixtures/course" "$tmp/src/first-steps" -q -o "$out" --scorm "$ed" $webopt ||
		fail "build $ed"
	suffix=scorm12
	[ "$ed" != 1.2 ] && suffix="scorm$ed"
	for z in kmf-sample-1.2.0 peer-assist-1.3.0 retrospect-2.0.1 first-steps-1.0.0; do
		[ -f "$out/$z-$suffix.zip" ] || fail "$ed: no $z-$suffix.zip"
	done
	for z in "$out"/*.zip; do
		d="$tmp/x"
		rm -rf "$d"
		mkdir "$d"
		unzip -q "$z" -d "$d" || fail "$z does not unzip"
		[ "$(unzip -Z1 "$z" | head -1)" = imsmanifest.xml ] || fail "$z: manifest is not the first entry"
		m="$d/imsmanifest.xml"
		# every file but the root schemas is listed in the manifest, and every listed file is there
		for f in $(unzip -Z1 "$z"); do
			case "$f" in imsmanifest.xml | *.xsd | *.dtd | */) continue ;; esac
			grep -q "<file href=\"$f\"/>" "$m" || fail "$z: $f is not listed in the manifest"
		done
		for f in $(sed -n 's/.*<file href="\([^"]*\)".*/\1/p' "$m"); do
			[ -f "$d/$f" ] || fail "$z: manifest lists $f, not in the zip"
		done
		for f in $(sed -n 's/.*xsi:schemaLocation="\([^"]*\)".*/\1/p' "$m" | tr ' ' '\n' | grep '\.xsd$'); do
			[ -f "$d/$f" ] || fail "$z: the manifest names $f but the package does not ship it"
		done
		if grep -rlE '\{\{(lang|title|assets|cards|data)\}\}' "$d" --include=index.html >/dev/null; then fail "$z: a placeholder was left"; fi
		grep -q '<schemaversion>'"$(echo "$ed" | sed 's/2004-3rd/2004 3rd Edition/; s/2004-4th/2004 4th Edition/')"'</schemaversion>' "$m" ||
			fail "$z: wrong schemaversion"
	done
	m=$(unzip -p "$out/kmf-sample-1.2.0-$suffix.zip" imsmanifest.xml)
	# course: a root item the learner cannot launch, then the SCOs in course order
	echo "$m" | grep -q '<item identifier="course-kmf-sample-v1">' || fail "$ed: no root item"
	first=$(echo "$m" | grep -o 'identifierref="res-[a-z-]*v[0-9]*"' | head -1)
	[ "$first" = 'identifierref="res-peer-assist-v1"' ] || fail "$ed: first SCO is $first"
	echo "$m" | grep -q 'identifierref="res-retrospect-v2"' || fail "$ed: retrospect missing"
	if [ "$ed" = 1.2 ]; then
		echo "$m" | grep -q '<adlcp:masteryscore>75</adlcp:masteryscore>' || fail "1.2: no masteryscore"
		[ "$(echo "$m" | grep -c masteryscore)" = 1 ] || fail "1.2: masteryscore on a module without quiz"
		echo "$m" | grep -q 'adlcp:scormtype="sco"' || fail "1.2: scormtype"
	else
		echo "$m" | grep -q '<imsss:minNormalizedMeasure>0.75</imsss:minNormalizedMeasure>' ||
			fail "$ed: no minNormalizedMeasure"
		echo "$m" | grep -q 'satisfiedByMeasure="true"' || fail "$ed: satisfiedByMeasure"
		echo "$m" | grep -q '<imsss:controlMode choice="true" flow="true"/>' || fail "$ed: controlMode"
		echo "$m" | grep -q 'completionSetByContent="true" objectiveSetByContent="true"' || fail "$ed: deliveryControls"
		echo "$m" | grep -q 'adlcp:scormType="sco"' || fail "$ed: scormType"
	fi
	page=$(unzip -p "$out/peer-assist-1.3.0-$suffix.zip" index.html)
	echo "$page" | grep -q '"scorm":"'"$ed"'"' || fail "$ed: data JSON scorm"
	# 2 + ceil(2 cards / 4) + per question (1 + worst answer): 2+1 + 2+4+2+121+20+20+4+5+2
	echo "$page" | grep -q '"suspendBudget":183' || fail "$ed: suspendBudget"
	echo "$page" | grep -q 'rel="noopener noreferrer"' || fail "$ed: external link not safe"
	echo "$page" | grep -q '<h2>How to run one</h2>' || fail "$ed: heading not shifted to h2"
done
# --lms moodle: 2004 packages carry no sequencing (Moodle ignores it), still one root item
# shellcheck disable=SC2086
"$bin" build "$fixtures/course/course.xml" -q -o "$tmp/moodle" --scorm 2004-4th --lms moodle $webopt 2>/dev/null ||
	fail "moodle build"
m=$(unzip -p "$tmp/moodle/kmf-sample-1.2.0-scorm2004-4th.zip" imsmanifest.xml)
echo "$m" | grep -q 'imsss:sequencing' && fail "moodle: sequencing written"
echo "$m" | grep -q '<item identifier="course-kmf-sample-v1">' || fail "moodle: no root item"
# --lms moodle, SCORM 1.2: no mastery score (Moodle would turn the "completed" the player reports
# for a met goal back into passed/failed when the session ends)
# shellcheck disable=SC2086
"$bin" build "$fixtures/course/course.xml" -q -o "$tmp/moodle12" --lms moodle $webopt || fail "moodle 1.2 build"
m=$(unzip -p "$tmp/moodle12/kmf-sample-1.2.0-scorm12.zip" imsmanifest.xml)
echo "$m" | grep -q 'masteryscore' && fail "moodle 1.2: masteryscore written"
unzip -p "$tmp/moodle12/kmf-sample-1.2.0-scorm12.zip" modules/retrospect/index.html | grep -q '"lms":"moodle"' ||
	fail "moodle: lms field"
# --lms learning-hub: the profile reaches the player, the mastery score stays (the Hub shows a
# score only with one), and the resume-state budget has room for the player's interaction count
# shellcheck disable=SC2086
"$bin" build "$fixtures/course/retrospect" -q -o "$tmp/hub" --lms learning-hub $webopt || fail "hub build"
page=$(unzip -p "$tmp/hub/retrospect-2.0.1-scorm12.zip" index.html)
echo "$page" | grep -q '"lms":"learning-hub"' || fail "hub: lms field"
# shellcheck disable=SC2086
"$bin" build "$fixtures/course/peer-assist" -q -o "$tmp/hub" --lms learning-hub $webopt || fail "hub build (quiz)"
page=$(unzip -p "$tmp/hub/peer-assist-1.3.0-scorm12.zip" index.html)
unzip -p "$tmp/hub/peer-assist-1.3.0-scorm12.zip" imsmanifest.xml | grep -q '<adlcp:masteryscore>' || fail "hub: no masteryscore"
generic=$(unzip -p "$tmp/out-1.2/peer-assist-1.3.0-scorm12.zip" index.html)
b_hub=$(echo "$page" | grep -o '"suspendBudget":[0-9]*' | cut -d: -f2)
b_gen=$(echo "$generic" | grep -o '"suspendBudget":[0-9]*' | cut -d: -f2)
[ "$b_hub" = $((b_gen + 3)) ] || fail "hub: suspendBudget $b_hub, generic $b_gen (want generic + 3)"
# --lms scorm-cloud is another name for generic: the same bytes
# shellcheck disable=SC2086
"$bin" build "$fixtures/course/retrospect" -q -o "$tmp/cloud" --lms scorm-cloud $webopt || fail "scorm-cloud build"
cmp -s "$tmp/cloud/retrospect-2.0.1-scorm12.zip" "$tmp/out-1.2/retrospect-2.0.1-scorm12.zip" || fail "scorm-cloud differs from generic"
echo "packages ok"
