/* The data model's side of sequencing: seeding a delivered activity's cmi.* from the tracking
 * model and reading a terminated SCO's values back into an sn_report. Uses the model through
 * cmi.h only (it lives here, not in runtime/cmi, which builds standalone and as WebAssembly). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmi.h"
#include "cmi_sn.h"
#include "common.h"

/* A number as the SCO wrote it (`dec` digits after the point), or as short as it goes. */
static void fmt_num(char *b, size_t n, double v, int dec)
{
	if (dec >= 0 && dec <= 14)
		snprintf(b, n, "%.*f", dec, v);
	else
		snprintf(b, n, "%.7g", v);
}

/* Digits after the decimal point in a number's text. */
static signed char decimals_of(const char *s)
{
	const char *dot = strchr(s, '.');
	if (!dot)
		return 0;
	size_t k = strspn(dot + 1, "0123456789");
	return (signed char)(k > 14 ? 14 : k);
}

/* Seeds the activity's objective rows; only_global: just the values read from globals, into
 * the rows that exist (a resumed attempt). */
static int seed_objectives(cmi_state *st, const sn_state *sn, int activity, int only_global)
{
	size_t n = sn_objective_count(sn, activity);
	size_t rows = cmi_state_count(st, "cmi.objectives");
	for (size_t i = 0; i < n; i++) {
		sn_values v;
		if (sn_objective_get(sn, activity, i, &v))
			continue;
		size_t row = i;
		if (only_global) {
			for (row = 0; row < rows; row++) {
				char el[64];
				snprintf(el, sizeof el, "cmi.objectives.%zu.id", row);
				const char *id = cmi_state_get(st, el);
				if (id && !strcmp(id, v.id))
					break;
			}
			if (row == rows)
				continue;
		}
		char el[64], num[32];
		unsigned g = only_global ? v.from_global : ~0u;
		struct {
			const char *suffix;
			int known;
			const char *text;
			double num;
			int dec;
		} cols[] = {
			{"id", !only_global, v.id, 0, 0},
			{"success_status", v.success_known && (g & SN_FROM_SUCCESS), v.passed ? "passed" : "failed", 0, 0},
			{"completion_status", v.completion_known && (g & SN_FROM_COMPLETION),
			 v.completed ? "completed" : "incomplete", 0, 0},
			{"score.scaled", v.scaled_known && (g & SN_FROM_SCALED), NULL, v.scaled, v.decimals[SN_V_SCALED]},
			{"score.raw", v.raw_known && (g & SN_FROM_RAW), NULL, v.raw, v.decimals[SN_V_RAW]},
			{"score.min", v.min_known && (g & SN_FROM_MIN), NULL, v.min, v.decimals[SN_V_MIN]},
			{"score.max", v.max_known && (g & SN_FROM_MAX), NULL, v.max, v.decimals[SN_V_MAX]},
			{"progress_measure", v.progress_known && (g & SN_FROM_PROGRESS), NULL, v.progress,
			 v.decimals[SN_V_PROGRESS]},
		};
		for (size_t k = 0; k < PC_ARRAY_LEN(cols); k++) {
			if (!cols[k].known)
				continue;
			snprintf(el, sizeof el, "cmi.objectives.%zu.%s", row, cols[k].suffix);
			const char *val = cols[k].text;
			if (!val) {
				fmt_num(num, sizeof num, cols[k].num, cols[k].dec);
				val = num;
			}
			int rc = cmi_seed(st, el, val);
			if (rc < 0)
				return rc;
			if (rc > 0 && k == 0)
				break; /* no row without its id */
		}
	}
	return 0;
}

int cmi_sn_refresh(cmi_state *st, const sn_state *sn, int activity)
{
	return seed_objectives(st, sn, activity, 1);
}

int cmi_sn_seed(cmi_state *st, const sn_state *sn, int activity, const char *learner_id,
		const char *learner_name)
{
	const sn_item *it = sn_tree_item(sn_state_tree(sn), (size_t)activity);
	if (!it)
		return PC_EINVAL;
	cmi_launch l = {
		.learner_id = learner_id,
		.learner_name = learner_name,
		.launch_data = it->data_from_lms,
		.max_time_allowed = it->attempt_abs_duration,
		.time_limit_action = it->time_limit_action,
		.completion_threshold = it->completion_threshold,
		.scaled_passing_score = it->scaled_passing_score,
	};
	int rc = cmi_seed_launch(st, &l, NULL);
	if (rc < 0)
		return rc;
	return seed_objectives(st, sn, activity, 0);
}

static int num_of(const cmi_state *st, const char *el, int *known, double *v, signed char *dec)
{
	const char *s = cmi_state_get(st, el);
	*known = 0;
	*v = 0;
	*dec = -1;
	if (!s || !*s)
		return 0;
	char *end = NULL;
	double d = strtod(s, &end);
	if (end && !*end) {
		*known = 1;
		*v = d;
		*dec = decimals_of(s);
	}
	return 0;
}

static void status_of(const cmi_state *st, const char *el, const char *yes, const char *no1, const char *no2,
		      int *known, int *value)
{
	const char *s = cmi_state_get(st, el);
	*known = 0;
	*value = 0;
	if (!s)
		return;
	if (!strcmp(s, yes))
		*known = *value = 1;
	else if (!strcmp(s, no1) || (no2 && !strcmp(s, no2)))
		*known = 1;
}

/* One set of values under `prefix` ("cmi." or "cmi.objectives.N."). */
static void values_at(const cmi_state *st, const char *prefix, sn_values *v)
{
	char el[96];
	memset(v, 0, sizeof *v);
	snprintf(el, sizeof el, "%ssuccess_status", prefix);
	status_of(st, el, "passed", "failed", NULL, &v->success_known, &v->passed);
	snprintf(el, sizeof el, "%scompletion_status", prefix);
	status_of(st, el, "completed", "incomplete", "not attempted", &v->completion_known, &v->completed);
	snprintf(el, sizeof el, "%sscore.scaled", prefix);
	num_of(st, el, &v->scaled_known, &v->scaled, &v->decimals[SN_V_SCALED]);
	snprintf(el, sizeof el, "%sscore.raw", prefix);
	num_of(st, el, &v->raw_known, &v->raw, &v->decimals[SN_V_RAW]);
	snprintf(el, sizeof el, "%sscore.min", prefix);
	num_of(st, el, &v->min_known, &v->min, &v->decimals[SN_V_MIN]);
	snprintf(el, sizeof el, "%sscore.max", prefix);
	num_of(st, el, &v->max_known, &v->max, &v->decimals[SN_V_MAX]);
	snprintf(el, sizeof el, "%sprogress_measure", prefix);
	num_of(st, el, &v->progress_known, &v->progress, &v->decimals[SN_V_PROGRESS]);
}

int cmi_sn_report_make(const cmi_state *st, cmi_sn_report *out)
{
	memset(out, 0, sizeof *out);
	values_at(st, "cmi.", &out->r.self);
	/* Set by the SCO: a stored value (these two are never seeded; the session end stores
	 * evaluated ones, hence the call before it). */
	out->r.self.completion_set = cmi_state_stored(st, "cmi.completion_status") != NULL;
	out->r.self.success_set = cmi_state_stored(st, "cmi.success_status") != NULL;
	const char *ex = cmi_state_get(st, "cmi.exit");
	out->r.suspend = ex && !strcmp(ex, "suspend");
	size_t n = cmi_state_count(st, "cmi.objectives");
	if (n) {
		out->objs = calloc(n, sizeof *out->objs);
		out->ids = calloc(n, sizeof *out->ids);
		if (!out->objs || !out->ids) {
			cmi_sn_report_free(out);
			return PC_ENOMEM;
		}
	}
	for (size_t i = 0; i < n; i++) {
		char prefix[48], el[96];
		snprintf(prefix, sizeof prefix, "cmi.objectives.%zu.", i);
		snprintf(el, sizeof el, "%sid", prefix);
		const char *id = cmi_state_get(st, el);
		if (!id)
			continue;
		char *dup = strdup(id);
		if (!dup) {
			cmi_sn_report_free(out);
			return PC_ENOMEM;
		}
		out->ids[out->n] = dup;
		values_at(st, prefix, &out->objs[out->n]);
		out->objs[out->n].id = dup;
		/* rows are only seeded with known values: a stored "unknown" is the SCO's */
		snprintf(el, sizeof el, "%ssuccess_status", prefix);
		const char *v = cmi_state_stored(st, el);
		out->objs[out->n].success_set = v && !strcmp(v, "unknown");
		snprintf(el, sizeof el, "%scompletion_status", prefix);
		v = cmi_state_stored(st, el);
		out->objs[out->n].completion_set = v && !strcmp(v, "unknown");
		out->n++;
	}
	out->r.objectives = out->objs;
	out->r.nobjectives = out->n;
	return 0;
}

int cmi_sn_report_ended(const cmi_state *st, const cmi_session_report *ended, cmi_sn_report *out)
{
	int rc = cmi_sn_report_make(st, out);
	if (!rc) {
		out->r.self.completion_set = ended->completion_set;
		out->r.self.success_set = ended->success_set;
	}
	return rc;
}

void cmi_sn_report_free(cmi_sn_report *r)
{
	if (!r)
		return;
	for (size_t i = 0; r->ids && i < r->n; i++)
		free(r->ids[i]);
	free(r->ids);
	free(r->objs);
	memset(r, 0, sizeof *r);
}
