/* What a sequenced navigation costs, per course size (bench/seq-view.sh): the part that stays
 * on the commit queue's one writer thread (the baseline: a Continue, the state saved as text,
 * the copy handed to the request thread) against what runs on the request thread since it was
 * moved off the writer (the player's view, sn_ui_json, and the adapter's request_valid answers:
 * one tentative run per activity and request). A course of N leaves under a root with choice
 * and flow. Medians of ROUNDS; a line per size on stderr, then one JSON line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sn.h"

#define ROUNDS 5

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

#define MAX_SIZES 16

int main(int argc, char **argv)
{
	double wmed[MAX_SIZES], mmed[MAX_SIZES];
	int sizes[MAX_SIZES], ns = 0;
	for (int k = 1; k < argc && ns < MAX_SIZES; k++) {
		int n = atoi(argv[k]);
		buf m = BUF_INIT;
		buf_puts(&m, "<manifest identifier=\"m\" xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\""
			     " xmlns:imsss=\"http://www.imsglobal.org/xsd/imsss\"><organizations default=\"o\">"
			     "<organization identifier=\"o\"><title>T</title>");
		for (int i = 0; i < n; i++)
			buf_printf(&m, "<item identifier=\"i%d\" identifierref=\"r\"><title>Part</title></item>", i);
		buf_puts(&m, "<imsss:sequencing><imsss:controlMode choice=\"true\" flow=\"true\"/>"
			     "</imsss:sequencing></organization></organizations><resources><resource"
			     " identifier=\"r\" type=\"webcontent\" href=\"a.html\"/></resources></manifest>");
		sn_tree *t = NULL;
		char err[200];
		if (sn_tree_parse(&t, buf_cstr(&m), m.len, NULL, err, sizeof err)) {
			fprintf(stderr, "seqview: %s\n", err);
			return 1;
		}
		double writer[ROUNDS], moved[ROUNDS];
		char id[32];
		for (int r = 0; r < ROUNDS; r++) {
			sn_state *st = NULL, *copy = NULL;
			sn_result res;
			sn_state_new(&st, t, 1);
			sn_navigate(st, SN_NAV_START, NULL, &res);
			buf text = BUF_INIT, view = BUF_INIT;
			double t0 = now_ms();
			sn_navigate(st, SN_NAV_CONTINUE, NULL, &res);
			sn_state_save(st, &text);
			sn_state_clone(&copy, st);
			double t1 = now_ms();
			sn_ui_json(copy, &view);
			for (int i = 0; i < n; i++) {
				snprintf(id, sizeof id, "i%d", i);
				sn_valid(copy, SN_NAV_CHOICE, id);
				sn_valid(copy, SN_NAV_JUMP, id);
			}
			double t2 = now_ms();
			writer[r] = t1 - t0;
			moved[r] = t2 - t1;
			buf_free(&text);
			buf_free(&view);
			sn_state_free(copy);
			sn_state_free(st);
		}
		qsort(writer, ROUNDS, sizeof *writer, cmp);
		qsort(moved, ROUNDS, sizeof *moved, cmp);
		fprintf(stderr, "%d activities: writer %.3f ms, moved off the writer %.3f ms\n", n,
			writer[ROUNDS / 2], moved[ROUNDS / 2]);
		sizes[ns] = n;
		wmed[ns] = writer[ROUNDS / 2];
		mmed[ns++] = moved[ROUNDS / 2];
		buf_free(&m);
		sn_tree_free(t);
	}
	printf("{\"bench\":\"seq-view\",\"baseline\":\"writer: continue + save + copy\",\"sizes\":[");
	for (int i = 0; i < ns; i++)
		printf("%s{\"activities\":%d,\"writer_ms\":%.3f,\"moved_off_writer_ms\":%.3f,"
		       "\"ratio\":%.1f}", i ? "," : "", sizes[i], wmed[i], mmed[i],
		       wmed[i] > 0 ? mmed[i] / wmed[i] : 0);
	printf("]}\n");
	return 0;
}
