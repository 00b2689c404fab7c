/* Fuzz target for the sequencing definition reader (runtime/sn/sn_tree.c: manifest -> activity
 * tree) and the engine over whatever tree it accepts: a fixed walk of navigation requests with
 * reported results, tentative evaluations, and the state's text form. Checks, besides "no crash,
 * no leak, no endless loop": a refused parse leaves no tree; the root is activity 0 with no
 * parent and every other activity's parent comes before it; the current activity is always in
 * range; a saved state loads back and saves to the same text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "sn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
	if (!ok)
		abort();
}

static const sn_nav walk[] = {
	SN_NAV_START,    SN_NAV_CONTINUE,   SN_NAV_CHOICE,     SN_NAV_PREVIOUS,    SN_NAV_CONTINUE,
	SN_NAV_JUMP,     SN_NAV_EXIT,       SN_NAV_CHOICE,     SN_NAV_SUSPEND_ALL, SN_NAV_RESUME_ALL,
	SN_NAV_CONTINUE, SN_NAV_ABANDON,    SN_NAV_CHOICE,     SN_NAV_EXIT_ALL,    SN_NAV_START,
	SN_NAV_CONTINUE, SN_NAV_ABANDON_ALL, SN_NAV_START,     SN_NAV_CHOICE,      SN_NAV_CONTINUE,
};

static void roundtrip(sn_state *st, const sn_tree *t)
{
	buf a = BUF_INIT, b = BUF_INIT, g = BUF_INIT;
	sn_state *copy = NULL;
	check(sn_state_save(st, &a) == 0 && sn_globals_save(st, &g) == 0);
	check(sn_state_load(&copy, t, a.data, a.len, NULL, 0) == 0);
	check(sn_globals_load(copy, g.data, g.len, NULL, 0) == 0);
	check(sn_state_save(copy, &b) == 0);
	check(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
	sn_state_free(copy);
	buf_free(&a);
	buf_free(&b);
	buf_free(&g);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sn_tree *t = NULL;
	char err[256];
	int rc = sn_tree_parse(&t, (const char *)data, size, NULL, err, sizeof err);
	if (rc) {
		check(t == NULL);
		check(rc == PC_EFORMAT || rc == PC_ELIMIT || rc == PC_ENOMEM);
		return 0;
	}
	size_t n = sn_tree_size(t);
	check(n >= 1 && sn_tree_item(t, 0)->parent == -1 && sn_tree_item(t, n) == NULL);
	for (size_t i = 1; i < n; i++) {
		const sn_item *it = sn_tree_item(t, i);
		check(it->id && it->parent >= 0 && (size_t)it->parent < i);
		check(sn_tree_find(t, it->id) >= 0);
	}
	sn_state *st = NULL;
	check(sn_state_new(&st, t, size) == 0);
	for (size_t k = 0; k < PC_ARRAY_LEN(walk); k++) {
		const char *target = sn_tree_item(t, (k * 7 + size) % n)->id;
		sn_result r;
		int cur = sn_current(st);
		if (cur >= 0 && k % 3 == 1) {
			sn_report rep;
			memset(&rep, 0, sizeof rep);
			rep.self.completion_known = rep.self.success_known = (k & 4) != 0;
			rep.self.completed = rep.self.passed = (k & 8) != 0;
			rep.self.scaled_known = rep.self.progress_known = 1;
			rep.self.scaled = (double)(k % 5) / 4.0 - 0.5;
			rep.self.progress = (double)(k % 5) / 4.0;
			rep.suspend = k == 7;
			for (int d = 0; d < 5; d++)
				rep.self.decimals[d] = -1;
			check(sn_report_attempt(st, cur, &rep) == 0);
		}
		check(sn_valid(st, walk[k], target) >= 0);
		check(sn_navigate(st, walk[k], target, &r) == 0);
		check(r.outcome >= SN_DELIVER && r.outcome <= SN_REFUSED);
		if (r.outcome == SN_DELIVER)
			check(r.activity >= 0 && (size_t)r.activity < n && sn_tree_item(t, (size_t)r.activity)->leaf);
		check(sn_current(st) >= -1 && sn_current(st) < (int)n);
		if (r.activity >= 0) {
			sn_values v;
			for (size_t o = 0; o < sn_objective_count(st, r.activity); o++)
				check(sn_objective_get(st, r.activity, o, &v) == 0 && v.id);
		}
	}
	roundtrip(st, t);
	sn_state_free(st);
	sn_tree_free(t);
	return 0;
}
