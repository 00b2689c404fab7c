// The JavaScript side of tests/oracle.sh: a test that needs something outside the test itself (an
// oracle in ../shared, a built file, the modules) skips with a visible message when it is
// missing locally, and fails under CI (the CI variable set: .ci/run sets it), where a skip would
// pass wrongly.
'use strict';

function underCI() {
	return !['', '0', 'false'].includes(process.env.CI || '');
}

// In a node:test test `t`: skips it (locally) or fails it (CI). Returns after t.skip; throws in CI.
function missing(t, what) {
	if (underCI())
		throw new Error(`${what} (required under CI)`);
	t.skip(what);
}

// In a script CTest runs with SKIP_RETURN_CODE 77: exits 77 (locally) or 1 (CI).
function exitMissing(what) {
	console.log(underCI() ? `FAIL: ${what} (required under CI)` : `SKIPPED: ${what}`);
	process.exit(underCI() ? 1 : 77);
}

module.exports = {underCI, missing, exitMissing};
