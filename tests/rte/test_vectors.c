/* The shared conformance vectors (the JSON files in tests/vectors) against the C model. The same files
 * run against the browser adapter, which runs this model as WebAssembly, in node (vectors.test.js)
 * and in Chromium (vectors.chromium.test.js); a case that passes here and fails there is a fault
 * of the boundary between the adapter and the model (cmi_wasm.c, scorm-api.js). */
#include "cmocka_all.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmi.h"
#include "test_rte.h"

static int failing(void *ud, cmi_lms_event ev, cmi_state *st, buf *why)
{
	(void)st;
	(void)why;
	return (*(unsigned *)ud >> ev) & 1;
}

static const char *arg(json_t *args, size_t i)
{
	json_t *a = json_array_get(args, i);
	return a ? json_string_value(a) : NULL;
}

/* Runs one case; returns the number of mismatches (printed). */
static int run_case(const char *file, scorm_version version, json_t *c, size_t *calls)
{
	const char *name = json_string_value(json_object_get(c, "name"));
	json_t *initial = json_object_get(c, "initial"), *fail = json_object_get(c, "fail");
	unsigned mask = 0;
	cmi_state *st = NULL;
	int bad = 0;
	size_t i;
	json_t *call;
	assert_int_equal(cmi_state_new(&st, version), 0);
	if (initial) {
		char *text = json_dumps(initial, 0);
		char err[256] = "";
		int rc = cmi_seed_json(st, text, strlen(text), err, sizeof err);
		free(text);
		if (rc != 0) {
			print_message("%s: %s: initial refused: %s\n", file, name, err);
			cmi_state_free(st);
			return 1;
		}
	}
	json_array_foreach(fail, i, call) {
		const char *ev = json_string_value(call);
		mask |= 1u << (!strcmp(ev, "initialize") ? CMI_LMS_INITIALIZE : !strcmp(ev, "commit") ? CMI_LMS_COMMIT : CMI_LMS_TERMINATE);
	}
	cmi_state_set_hook(st, failing, &mask);
	json_array_foreach(json_object_get(c, "calls"), i, call) {
		const char *fn = json_string_value(json_array_get(call, 0));
		json_t *args = json_array_get(call, 1), *ret = json_array_get(call, 2), *err = json_array_get(call, 3);
		const char *got = NULL;
		(*calls)++;
		if (!strcmp(fn, "#relaunch")) {
			/* the adapter's $end() and $next(): the same two calls (cmi_wasm.c) */
			cmi_state *next = NULL;
			char why[256] = "";
			assert_int_equal(cmi_session_end(st, NULL), 0);
			if (cmi_state_relaunch(&next, NULL, st, why, sizeof why) != 0) {
				print_message("%s: %s: call %zu: state did not reload: %s\n", file, name, i, why);
				bad++;
				break;
			}
			cmi_state_free(st);
			st = next;
			cmi_state_set_hook(st, failing, &mask);
			continue;
		}
		if (!strcmp(fn, "#get")) {
			got = cmi_state_get(st, arg(args, 0));
			int same = json_is_null(ret) ? got == NULL : (got && !strcmp(got, json_string_value(ret)));
			if (!same) {
				print_message("%s: %s: call %zu #get(%s): got %s%s%s, want %s\n", file, name, i, arg(args, 0),
					      got ? "\"" : "", got ? got : "null", got ? "\"" : "",
					      json_is_null(ret) ? "null" : json_string_value(ret));
				bad++;
			}
			continue;
		}
		if (cmi_api_call(st, fn, arg(args, 0), arg(args, 1), &got) != 0) {
			print_message("%s: %s: call %zu: no function %s\n", file, name, i, fn);
			bad++;
			continue;
		}
		if (json_is_string(ret) && strcmp(got, json_string_value(ret)) != 0) {
			print_message("%s: %s: call %zu %s(%.60s): returned \"%.80s\", want \"%.80s\" (error %d: %s)\n", file, name, i, fn,
				      arg(args, 0) ? arg(args, 0) : "", got, json_string_value(ret), cmi_api_last_error(st),
				      cmi_api_diagnostic(st, ""));
			bad++;
		}
		if (json_is_integer(err) && cmi_api_last_error(st) != json_integer_value(err)) {
			print_message("%s: %s: call %zu %s(%.60s): error %d, want %d (%s)\n", file, name, i, fn,
				      arg(args, 0) ? arg(args, 0) : "", cmi_api_last_error(st), (int)json_integer_value(err),
				      cmi_api_diagnostic(st, ""));
			bad++;
		}
	}
	cmi_state_free(st);
	return bad;
}

static void every_vector_file(void **state)
{
	(void)state;
	DIR *d = opendir(VECTORS_DIR);
	struct dirent *ent;
	size_t files = 0, cases = 0, calls = 0;
	int bad = 0;
	assert_non_null(d);
	while ((ent = readdir(d)) != NULL) {
		size_t n = strlen(ent->d_name);
		if (n < 6 || strcmp(ent->d_name + n - 5, ".json") != 0)
			continue;
		char path[4096];
		json_error_t je;
		snprintf(path, sizeof path, "%s/%s", VECTORS_DIR, ent->d_name);
		json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
		if (!doc)
			fail_msg("%s: %s (line %d)", path, je.text, je.line);
		scorm_version v = cmi_version_parse(json_string_value(json_object_get(doc, "version")));
		assert_int_not_equal(v, SCORM_UNKNOWN);
		size_t i;
		json_t *c;
		json_array_foreach(json_object_get(doc, "cases"), i, c) {
			bad += run_case(ent->d_name, v, c, &calls) ? 1 : 0;
			cases++;
		}
		files++;
		json_decref(doc);
	}
	closedir(d);
	print_message("vectors: %zu files, %zu cases, %zu calls, %d cases failing\n", files, cases, calls, bad);
	assert_true(files >= 10);
	assert_true(cases >= 600);
	assert_int_equal(bad, 0);
}

int test_vectors(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_vector_file),
	};
	return cmocka_run_group_tests_name("vectors", tests, NULL, NULL);
}
