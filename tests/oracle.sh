# Sourced by the shell tests that need something outside the project: a test oracle in
# ../shared (the official SCORM XSDs, ADL's test cases) or a tool. Missing locally, the check is
# skipped and says so (exit 77: CTest reports it as skipped, not passed); under CI (the CI
# variable set, .ci/run sets it) a missing oracle is a failure, since a skip there would pass
# wrongly.
#   oracle_missing "what is missing"     never returns
#   oracle_ci                            true when running under CI
oracle_ci() {
	case "${CI:-}" in "" | 0 | false) return 1 ;; *) return 0 ;; esac
}
oracle_missing() {
	if oracle_ci; then
		echo "FAIL: $1 (required under CI)"
		exit 1
	fi
	echo "SKIPPED: $1"
	exit 77
}
