/* Fuzz target for the ADL test case reader (tests/sn/cts_case.c): the .properties parser, the
 * activity blocks and the command expansion cts_replay applies to every command. Checks, besides
 * "no crash, no leak": a refused script leaves nothing; every entry has a key and a value; blocks
 * have names and at most MAX_BLOCKS of them; expansions stay NUL-terminated within their buffer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "cts_case.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	props p;
	int rc = props_parse((const char *)data, size, &p);
	if (rc) {
		check(p.n == 0 && p.v == NULL);
		check(rc == PC_ELIMIT || rc == PC_ENOMEM);
		return 0;
	}
	for (size_t i = 0; i < p.n; i++)
		check(p.v[i].k && p.v[i].v);
	block *b = calloc(MAX_BLOCKS, sizeof *b);
	cmi_state *st = NULL;
	if (!b || cmi_state_new(&st, SCORM_2004_4TH)) {
		free(b);
		props_free(&p);
		return 0;
	}
	size_t n = blocks_of(&p, b);
	check(n <= MAX_BLOCKS);
	for (size_t i = 0; i < n; i++) {
		check(b[i].name[0] == 'A');
		for (size_t c = 0; c < b[i].ncmd; c++) {
			if (!b[i].cmd[c])
				continue;
			char out[256];
			expand(b[i].cmd[c], ".", st, out, sizeof out);
			check(strlen(out) < sizeof out);
			expand(b[i].cmd[c], "", st, out, sizeof out);
			check(strlen(out) < sizeof out);
		}
	}
	cmi_state_free(st);
	free(b);
	props_free(&p);
	return 0;
}
