/* Test helper for adapter.test.js: plays the server's part for commit bodies the browser
 * adapter produced, through the C model, so the node tests can check that the server ends up
 * with exactly the adapter's values.
 *
 * stdin:  {"version": "1.2", "initial": {...}, "bodies": ["<commit body>", ...]}
 * stdout: {"answers": [<answer>, ...], "values": {...}, "session": N} */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmi.h"

int main(void)
{
	json_error_t je;
	json_t *in = json_loadf(stdin, 0, &je), *answers = json_array(), *out = NULL, *body;
	cmi_state *st = NULL;
	buf b = BUF_INIT;
	char err[256] = "";
	size_t i;
	int na;
	if (!in || cmi_state_new(&st, cmi_version_parse(json_string_value(json_object_get(in, "version")))) != 0) {
		fprintf(stderr, "cmi_replay: bad input\n");
		return 2;
	}
	char *initial = json_dumps(json_object_get(in, "initial"), 0);
	if (!initial || cmi_seed_json(st, initial, strlen(initial), err, sizeof err) != 0 || cmi_session_begin(st, &na) != 0) {
		fprintf(stderr, "cmi_replay: initial refused: %s\n", err);
		return 2;
	}
	free(initial);
	json_array_foreach(json_object_get(in, "bodies"), i, body) {
		cmi_commit_result r;
		buf_reset(&b);
		cmi_commit_handle(st, json_string_value(body), json_string_length(body), &b, &r);
		json_array_append_new(answers, json_loads(buf_cstr(&b), 0, &je));
	}
	buf_reset(&b);
	if (cmi_state_initial_json(st, &b) != 0)
		return 2;
	out = json_pack("{s:o, s:o, s:I}", "answers", answers, "values", json_loads(buf_cstr(&b), 0, &je), "session",
			(json_int_t)cmi_state_session(st));
	json_dumpf(out, stdout, JSON_SORT_KEYS);
	putchar('\n');
	json_decref(out);
	json_decref(in);
	buf_free(&b);
	cmi_state_free(st);
	return 0;
}
