/* Fuzz target for the SCORM run-time data model (runtime/cmi/cmi_*.c): random element/value pairs
 * and API calls, commit bodies from the browser, and stored states. Checks, besides "no crash,
 * no leak": every error code is one of the version's codes, booleans are "true"/"false", every
 * answer and diagnostic is valid UTF-8 (diagnostics at most 255 code points), and a state
 * survives cmi_state_to_json / cmi_state_from_json unchanged.
 *
 * Input: byte 0 picks the mode (0 API calls, 1 a commit body, 2 a stored state, 3 seeds),
 * byte 1 the version (1.2, 2004 3rd, 2004 4th). In mode 0 the rest is lines
 * "<op><element>\t<value>" with op I(nitialize) T(erminate) G(et) S(et) C(ommit) E(rror string)
 * D(iagnostic) R(elaunch). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmi.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int codes12[] = {0, 101, 201, 202, 203, 301, 401, 402, 403, 404, 405};
static const int codes04[] = {0, 101, 102, 103, 104, 111, 112, 113, 122, 123, 132, 133, 142, 143,
			      201, 301, 351, 391, 401, 402, 403, 404, 405, 406, 407, 408};

static void check(int ok)
{
	if (!ok)
		abort();
}

static void check_text(const char *s, size_t max_cp)
{
	size_t len = strlen(s);
	check(utf8_valid(s, len));
	check(!max_cp || utf8_count(s, len) <= max_cp);
}

static void check_error(const cmi_state *st)
{
	int e = cmi_api_last_error(st), found = 0;
	if (cmi_state_version(st) == SCORM_12) {
		for (size_t i = 0; i < sizeof codes12 / sizeof codes12[0]; i++)
			found |= codes12[i] == e;
	} else {
		for (size_t i = 0; i < sizeof codes04 / sizeof codes04[0]; i++)
			found |= codes04[i] == e;
		check(e != 402); /* every element is implemented */
	}
	check(found);
	check_text(cmi_api_diagnostic(st, ""), 255);
	check(e == 0 || *cmi_api_diagnostic(st, "") != '\0');
}

/* to_json -> from_json -> to_json gives the same text. Returns the reloaded state. */
static cmi_state *round_trip(cmi_state *st)
{
	buf a = BUF_INIT, b = BUF_INIT;
	cmi_state *back = NULL;
	check(cmi_state_to_json(st, &a) == 0);
	check(cmi_state_from_json(&back, a.data, a.len, NULL, 0) == 0);
	check(cmi_state_to_json(back, &b) == 0);
	check(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
	buf_free(&a);
	buf_free(&b);
	return back;
}

static void api_calls(cmi_state **stp, const char *text, size_t len)
{
	cmi_state *st = *stp;
	char *copy = malloc(len + 1);
	if (!copy)
		return;
	memcpy(copy, text, len);
	copy[len] = '\0';
	for (char *line = copy; line < copy + len;) {
		char *end = memchr(line, '\n', (size_t)(copy + len - line));
		size_t n = end ? (size_t)(end - line) : strlen(line);
		line[n] = '\0';
		char op = line[0];
		char *el = n ? line + 1 : line, *val = strchr(el, '\t');
		if (val)
			*val++ = '\0';
		const char *r = NULL;
		int b;
		switch (op) {
		case 'I': b = cmi_api_initialize(st, val ? val : ""); check(b == 0 || b == 1); break;
		case 'T': b = cmi_api_terminate(st, val ? val : ""); check(b == 0 || b == 1); break;
		case 'C': b = cmi_api_commit(st, val ? val : ""); check(b == 0 || b == 1); break;
		case 'S': b = cmi_api_set_value(st, el, val ? val : ""); check(b == (cmi_api_last_error(st) == 0)); break;
		case 'G':
			r = cmi_api_get_value(st, el);
			check_text(r, 0);
			check(cmi_api_last_error(st) == 0 || *r == '\0');
			break;
		case 'E': check_text(cmi_api_error_string(st, el), 255); break;
		case 'D': check_text(cmi_api_diagnostic(st, el), 255); break;
		case 'R': { /* the LMS ends the session, stores and reloads the state, launches again */
			cmi_session_report rep;
			int na;
			check(cmi_session_end(st, &rep) == 0);
			cmi_state *next = round_trip(st);
			check(cmi_session_begin(next, &na) == 0);
			cmi_state_free(st);
			*stp = st = next;
			break;
		}
		default: {
			/* anything else: the LMS's read of it */
			const char *v = cmi_state_get(st, el);
			if (v)
				check_text(v, 0);
		}
		}
		check_error(st);
		line += n + 1;
	}
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const scorm_version versions[] = {SCORM_12, SCORM_2004_3RD, SCORM_2004_4TH};
	if (size < 2)
		return 0;
	cmi_state *st = NULL, *back = NULL;
	const char *text = (const char *)data + 2;
	size_t len = size - 2;
	if (cmi_state_new(&st, versions[data[1] % 3]) != 0)
		return 0;
	switch (data[0] % 4) {
	case 0:
		api_calls(&st, text, len);
		break;
	case 1: {
		buf out = BUF_INIT;
		cmi_commit_result r;
		int rc = cmi_commit_handle(st, text, len, &out, &r);
		check(rc == 0 || rc == PC_EFORMAT);
		check_text(buf_cstr(&out), 0);
		check(r.error_code == 0 || r.error_code == 101 || r.error_code == 391);
		buf_free(&out);
		break;
	}
	case 2:
		cmi_state_free(st);
		st = NULL;
		if (cmi_state_from_json(&st, text, len, NULL, 0) != 0)
			return 0;
		break;
	default:
		cmi_seed_json(st, text, len, NULL, 0);
		break;
	}
	back = round_trip(st);
	cmi_state_free(back);
	buf init = BUF_INIT;
	check(cmi_state_initial_json(st, &init) == 0);
	check_text(buf_cstr(&init), 0);
	buf_free(&init);
	cmi_state_free(st);
	return 0;
}
