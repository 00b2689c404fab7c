/* The tracking model of one attempt on an activity tree: creation, copies, objective values seen
 * through global objective maps, the RTE-to-sequencing transfer, selection and randomization,
 * and the state's text form (JSON) for the store. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "common.h"
#include "sn_int.h"

/* ---- helpers shared by the process files --------------------------------------------------- */

int sn_primary(const sn_state *st, int a)
{
	(void)st;
	(void)a;
	return 0; /* the reader puts the primary objective first */
}

bool sn_is_ancestor(const sn_state *st, int anc, int a)
{
	for (int x = a; x >= 0; x = parent_of(st, x))
		if (x == anc)
			return true;
	return false;
}

int sn_common_ancestor(const sn_state *st, int a, int b)
{
	for (int x = a; x >= 0; x = parent_of(st, x))
		if (sn_is_ancestor(st, x, b))
			return x;
	return 0;
}

int sn_avail_index(const sn_state *st, int a)
{
	int p = parent_of(st, a);
	if (p < 0)
		return -1;
	const act_track *pt = &st->t[p];
	for (size_t i = 0; i < pt->navail; i++)
		if (pt->avail[i] == a)
			return (int)i;
	return -1;
}

/* splitmix64: small, fast, and good enough for choosing which questions a learner sees. */
uint64_t sn_rand(sn_state *st)
{
	uint64_t z = (st->rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned rand_below(sn_state *st, unsigned n) { return n ? (unsigned)(sn_rand(st) % n) : 0; }

/* SR.1 Select Children and SR.2 Randomize Children. `new_attempt` false: the tree is being
 * prepared (every timing but "never" applies once); true: the cluster's attempt just ended, so
 * onEachNewAttempt applies for the next one. Results are kept in Available Children. */
void sn_select_randomize(sn_state *st, int a, bool new_attempt)
{
	const activity *ad = ACT(st, a);
	act_track *t = &st->t[a];
	const seq_def *d = &ad->d;
	if (!ad->nchildren || t->active || t->suspended)
		return;
	bool sel = d->select_count_on && (new_attempt ? d->sel_timing == TIMING_EACH_NEW_ATTEMPT
						      : d->sel_timing != TIMING_NEVER && !t->selected);
	if (sel) {
		/* choose select_count children, keeping manifest order */
		size_t n = ad->nchildren, k = d->select_count < n ? d->select_count : n;
		t->navail = 0;
		size_t need = k;
		for (size_t i = 0; i < n && need; i++) {
			/* selection sampling (Knuth's algorithm S) */
			if (rand_below(st, (unsigned)(n - i)) < need) {
				t->avail[t->navail++] = ad->children[i];
				need--;
			}
		}
		t->selected = true;
	}
	bool rnd = d->reorder && (new_attempt ? d->rnd_timing == TIMING_EACH_NEW_ATTEMPT
					      : d->rnd_timing != TIMING_NEVER && !t->randomized);
	if (rnd) {
		for (size_t i = t->navail; i > 1; i--) {
			size_t j = rand_below(st, (unsigned)i);
			int tmp = t->avail[i - 1];
			t->avail[i - 1] = t->avail[j];
			t->avail[j] = tmp;
		}
		t->randomized = true;
	}
}

/* ---- objective values through maps ----------------------------------------------------------- */

obj_track sn_eff_obj(const sn_state *st, int a, int oi)
{
	obj_track o;
	memset(&o, 0, sizeof o);
	const seq_def *d = &ACT(st, a)->d;
	if (oi < 0 || (size_t)oi >= d->nobj)
		return o;
	const act_track *t = &st->t[a];
	o = t->obj[oi];
	o.from = 0;
	if (oi == 0) {
		o.comp_known = t->att_prog;
		o.comp = t->att_comp;
		o.pm_known = t->amt_known;
		o.pm = t->amt;
		o.dec[SN_V_PROGRESS] = t->amt_dec;
	}
	const obj_def *od = &d->obj[oi];
	/* A satisfaction or measure with an imsss read map comes from the first global the map
	 * reads, known or not: the local value stays hidden behind it (CTS CM-13: an unwritten
	 * global leaves an objective unknown although its activity ended satisfied). The 4th
	 * Edition values of adlseq maps come from the global only when it has one, else they are
	 * the local ones (CTS CO-09: a progress measure the SCO reported counts while the global
	 * it reads was never written). */
	bool got_sat = false, got_meas = false, got_raw = false, got_min = false, got_max = false;
	bool got_comp = false, got_pm = false;
	for (size_t m = 0; m < od->nmaps; m++) {
		const obj_map *mp = &od->maps[m];
		const obj_track *g = &st->g[mp->global].t;
		if (mp->read_sat && !got_sat) {
			o.prog = g->prog;
			o.sat = g->sat;
			got_sat = true;
			o.from |= SN_FROM_SUCCESS;
		}
		if (mp->read_meas && !got_meas) {
			o.meas_known = g->meas_known;
			o.meas = g->meas;
			o.dec[SN_V_SCALED] = g->dec[SN_V_SCALED];
			got_meas = true;
			o.from |= SN_FROM_SCALED;
		}
		if (mp->read_raw && !got_raw && g->raw_known) {
			o.raw_known = g->raw_known;
			o.raw = g->raw;
			o.dec[SN_V_RAW] = g->dec[SN_V_RAW];
			got_raw = true;
			o.from |= SN_FROM_RAW;
		}
		if (mp->read_min && !got_min && g->min_known) {
			o.min_known = g->min_known;
			o.min = g->min;
			o.dec[SN_V_MIN] = g->dec[SN_V_MIN];
			got_min = true;
			o.from |= SN_FROM_MIN;
		}
		if (mp->read_max && !got_max && g->max_known) {
			o.max_known = g->max_known;
			o.max = g->max;
			o.dec[SN_V_MAX] = g->dec[SN_V_MAX];
			got_max = true;
			o.from |= SN_FROM_MAX;
		}
		if (mp->read_comp && !got_comp && g->comp_known) {
			o.comp_known = g->comp_known;
			o.comp = g->comp;
			got_comp = true;
			o.from |= SN_FROM_COMPLETION;
		}
		if (mp->read_pm && !got_pm && g->pm_known) {
			o.pm_known = g->pm_known;
			o.pm = g->pm;
			o.dec[SN_V_PROGRESS] = g->dec[SN_V_PROGRESS];
			got_pm = true;
			o.from |= SN_FROM_PROGRESS;
		}
	}
	/* an objective satisfied by measure is judged from its measure whenever it is read (the
	 * measure may come from a global another activity wrote: CTS OB-01c) */
	if (od->sat_by_measure) {
		o.prog = o.meas_known && (!t->active || d->measure_sat_if_active);
		o.sat = o.prog && o.meas >= od->min_measure;
	}
	/* likewise completion from the progress measure (CTS CO-04a reads one through a map) */
	const activity *ad = ACT(st, a);
	if (oi == 0 && ad->completed_by_measure && o.pm_known) {
		o.comp_known = true;
		o.comp = o.pm >= ad->min_progress;
	}
	return o;
}

obj_track sn_rollup_obj(const sn_state *st, int c)
{
	obj_track o = sn_eff_obj(st, c, 0);
	const act_track *t = &st->t[c];
	if (t->obj_stale) {
		o.prog = o.sat = o.meas_known = false;
		o.raw_known = o.min_known = o.max_known = false;
	}
	if (t->prog_stale)
		o.comp_known = o.pm_known = false;
	return o;
}

void sn_eff_progress(const sn_state *st, int a, bool *known, bool *completed, bool *amt_known, double *amt)
{
	obj_track o = sn_eff_obj(st, a, 0);
	*known = o.comp_known;
	*completed = o.comp;
	if (amt_known)
		*amt_known = o.pm_known;
	if (amt)
		*amt = o.pm;
}

void sn_write_maps(sn_state *st, int a)
{
	const seq_def *d = &ACT(st, a)->d;
	const act_track *t = &st->t[a];
	if (!d->tracked)
		return;
	for (size_t oi = 0; oi < d->nobj; oi++) {
		obj_track l = t->obj[oi];
		if (oi == 0) {
			l.comp_known = t->att_prog;
			l.comp = t->att_comp;
			l.pm_known = t->amt_known;
			l.pm = t->amt;
			l.dec[SN_V_PROGRESS] = t->amt_dec;
			l.comp_clear = t->comp_set && !t->att_prog;
			l.sat_clear = t->sat_set && !t->obj[0].prog;
		}
		const obj_def *od = &d->obj[oi];
		/* what is written is the status as judged from the measure, when it is judged so */
		if (od->sat_by_measure) {
			l.prog = l.meas_known && (!t->active || d->measure_sat_if_active);
			l.sat = l.prog && l.meas >= od->min_measure;
		}
		if (oi == 0 && ACT(st, a)->completed_by_measure && l.pm_known) {
			l.comp_known = true;
			l.comp = l.pm >= ACT(st, a)->min_progress;
		}
		for (size_t m = 0; m < od->nmaps; m++) {
			const obj_map *mp = &od->maps[m];
			obj_track *g = &st->g[mp->global].t;
			obj_track before = *g;
			if (mp->write_sat && l.prog) {
				g->prog = true;
				g->sat = l.sat;
			} else if (mp->write_sat && l.sat_clear) {
				g->prog = g->sat = false;
			}
			if (mp->write_meas && l.meas_known) {
				g->meas_known = true;
				g->meas = l.meas;
				g->dec[SN_V_SCALED] = l.dec[SN_V_SCALED];
			}
			if (mp->write_raw && l.raw_known)
				g->raw_known = true, g->raw = l.raw, g->dec[SN_V_RAW] = l.dec[SN_V_RAW];
			if (mp->write_min && l.min_known)
				g->min_known = true, g->min = l.min, g->dec[SN_V_MIN] = l.dec[SN_V_MIN];
			if (mp->write_max && l.max_known)
				g->max_known = true, g->max = l.max, g->dec[SN_V_MAX] = l.dec[SN_V_MAX];
			if (mp->write_comp && l.comp_known)
				g->comp_known = true, g->comp = l.comp;
			else if (mp->write_comp && l.comp_clear)
				g->comp_known = g->comp = false;
			if (mp->write_pm && l.pm_known)
				g->pm_known = true, g->pm = l.pm, g->dec[SN_V_PROGRESS] = l.dec[SN_V_PROGRESS];
			if (memcmp(&before, g, sizeof before))
				st->gdirty = true;
		}
	}
}

/* ---- creation, copies ------------------------------------------------------------------------ */

static int state_alloc(sn_state **out, const sn_tree *tree)
{
	sn_state *st = calloc(1, sizeof *st);
	if (!st)
		return PC_ENOMEM;
	st->tree = tree;
	st->current = st->suspended = -1;
	st->t = calloc(tree->n ? tree->n : 1, sizeof *st->t);
	st->ng = tree->nglobals;
	st->g = calloc(st->ng ? st->ng : 1, sizeof *st->g);
	if (!st->t || !st->g)
		goto nomem;
	for (size_t g = 0; g < st->ng; g++)
		if (!(st->g[g].id = strdup(tree->globals[g])))
			goto nomem;
	for (size_t i = 0; i < tree->n; i++) {
		const activity *a = &tree->a[i];
		act_track *t = &st->t[i];
		t->obj = calloc(a->d.nobj ? a->d.nobj : 1, sizeof *t->obj);
		t->avail = calloc(a->nchildren ? a->nchildren : 1, sizeof *t->avail);
		if (!t->obj || !t->avail)
			goto nomem;
		if (a->nchildren)
			memcpy(t->avail, a->children, a->nchildren * sizeof *t->avail);
		t->navail = a->nchildren;
	}
	*out = st;
	return 0;
nomem:
	sn_state_free(st);
	return PC_ENOMEM;
}

int sn_state_new(sn_state **out, const sn_tree *tree, uint64_t seed)
{
	*out = NULL;
	if (!tree)
		return PC_EINVAL;
	sn_state *st = NULL;
	int rc = state_alloc(&st, tree);
	if (rc)
		return rc;
	st->rng = seed;
	for (size_t i = 0; i < tree->n; i++)
		sn_select_randomize(st, (int)i, false);
	*out = st;
	return 0;
}

void sn_state_free(sn_state *st)
{
	if (!st)
		return;
	for (size_t i = 0; st->t && i < st->tree->n; i++) {
		free(st->t[i].obj);
		free(st->t[i].avail);
	}
	free(st->t);
	for (size_t g = 0; st->g && g < st->ng; g++)
		free(st->g[g].id);
	free(st->g);
	free(st);
}

int sn_state_clone(sn_state **out, const sn_state *src)
{
	*out = NULL;
	sn_state *st = calloc(1, sizeof *st);
	if (!st)
		return PC_ENOMEM;
	*st = *src;
	st->t = NULL;
	st->g = NULL;
	size_t n = src->tree->n;
	st->t = calloc(n ? n : 1, sizeof *st->t);
	st->g = calloc(src->ng ? src->ng : 1, sizeof *st->g);
	if (!st->t || !st->g)
		goto nomem;
	for (size_t i = 0; i < n; i++) {
		const activity *a = &src->tree->a[i];
		st->t[i] = src->t[i];
		st->t[i].obj = malloc((a->d.nobj ? a->d.nobj : 1) * sizeof(obj_track));
		st->t[i].avail = malloc((a->nchildren ? a->nchildren : 1) * sizeof(int));
		if (!st->t[i].obj || !st->t[i].avail) {
			st->tree = src->tree;
			goto nomem;
		}
		memcpy(st->t[i].obj, src->t[i].obj, a->d.nobj * sizeof(obj_track));
		memcpy(st->t[i].avail, src->t[i].avail, src->t[i].navail * sizeof(int));
	}
	for (size_t g = 0; g < src->ng; g++) {
		st->g[g] = src->g[g];
		if (!(st->g[g].id = strdup(src->g[g].id)))
			goto nomem;
	}
	*out = st;
	return 0;
nomem:
	sn_state_free(st);
	return PC_ENOMEM;
}

/* ---- the RTE-to-sequencing transfer ------------------------------------------------------------ */

static void take_values(obj_track *o, const sn_values *v, bool only_unknown)
{
	if (!only_unknown || !o->prog)
		o->prog = v->success_known, o->sat = v->success_known && v->passed;
	if (!only_unknown || !o->meas_known)
		o->meas_known = v->scaled_known, o->meas = v->scaled_known ? v->scaled : 0;
	if (!only_unknown || !o->raw_known)
		o->raw_known = v->raw_known, o->raw = v->raw_known ? v->raw : 0;
	if (!only_unknown || !o->min_known)
		o->min_known = v->min_known, o->min = v->min_known ? v->min : 0;
	if (!only_unknown || !o->max_known)
		o->max_known = v->max_known, o->max = v->max_known ? v->max : 0;
	if (!only_unknown || !o->comp_known)
		o->comp_known = v->completion_known, o->comp = v->completion_known && v->completed;
	if (!only_unknown || !o->pm_known)
		o->pm_known = v->progress_known, o->pm = v->progress_known ? v->progress : 0;
	for (int k = 0; k < 5; k++)
		if (!only_unknown)
			o->dec[k] = v->decimals[k];
	o->sat_clear = !o->prog && v->success_set;
	o->comp_clear = !o->comp_known && v->completion_set;
}

int sn_report_attempt(sn_state *st, int a, const sn_report *r)
{
	if (!st || !r || a < 0 || (size_t)a >= st->tree->n)
		return PC_EINVAL;
	const activity *ad = ACT(st, a);
	act_track *t = &st->t[a];
	if (!ad->d.tracked) {
		/* no tracking, but a suspended SCO still resumes its own data (CTS OB-14b) */
		t->suspended = r->suspend != 0;
		return 0;
	}
	obj_track *p = &t->obj[0];
	take_values(p, &r->self, false);
	t->att_prog = r->self.completion_known;
	t->att_comp = r->self.completion_known && r->self.completed;
	t->amt_known = r->self.progress_known;
	t->amt = r->self.progress_known ? r->self.progress : 0;
	t->amt_dec = r->self.decimals[SN_V_PROGRESS];
	for (size_t k = 0; k < r->nobjectives; k++) {
		const sn_values *v = &r->objectives[k];
		if (!v->id)
			continue;
		for (size_t oi = 0; oi < ad->d.nobj; oi++) {
			const char *id = ad->d.obj[oi].id;
			if (!id || strcmp(id, v->id))
				continue;
			if (oi == 0) {
				/* the activity's own cmi.* values win over its primary objective's row */
				take_values(p, v, true);
				if (!t->att_prog && v->completion_known)
					t->att_prog = true, t->att_comp = v->completed;
				if (!t->amt_known && v->progress_known)
					t->amt_known = true, t->amt = v->progress, t->amt_dec = v->decimals[SN_V_PROGRESS];
			} else {
				take_values(&t->obj[oi], v, false);
			}
		}
	}
	t->obj[0].comp_known = t->obj[0].pm_known = false; /* the primary's live in the attempt data */
	t->comp_set = r->self.completion_set || r->self.completion_known;
	t->sat_set = r->self.success_set || r->self.success_known;
	t->suspended = r->suspend != 0;
	/* global objectives are written when the attempt ends (End Attempt) or is suspended (Overall
	 * Rollup): an abandoned attempt writes nothing (CTS SX-04a) */
	return 0;
}

/* ---- what the SCO starts with, status ---------------------------------------------------------- */

static void values_of(const obj_track *o, sn_values *v)
{
	v->success_known = o->prog;
	v->passed = o->sat;
	v->scaled_known = o->meas_known;
	v->scaled = o->meas;
	v->raw_known = o->raw_known;
	v->raw = o->raw;
	v->min_known = o->min_known;
	v->min = o->min;
	v->max_known = o->max_known;
	v->max = o->max;
	v->completion_known = o->comp_known;
	v->completed = o->comp;
	v->progress_known = o->pm_known;
	v->progress = o->pm;
	v->from_global = o->from;
	memcpy(v->decimals, o->dec, sizeof v->decimals);
}

size_t sn_objective_count(const sn_state *st, int a)
{
	if (!st || a < 0 || (size_t)a >= st->tree->n)
		return 0;
	const seq_def *d = &ACT(st, a)->d;
	size_t n = 0;
	for (size_t i = 0; i < d->nobj; i++)
		n += d->obj[i].id != NULL;
	return n;
}

int sn_objective_get(const sn_state *st, int a, size_t i, sn_values *out)
{
	memset(out, 0, sizeof *out);
	if (!st || a < 0 || (size_t)a >= st->tree->n)
		return PC_EINVAL;
	const seq_def *d = &ACT(st, a)->d;
	for (size_t oi = 0; oi < d->nobj; oi++) {
		if (!d->obj[oi].id)
			continue;
		if (i-- == 0) {
			obj_track o = sn_eff_obj(st, a, (int)oi);
			values_of(&o, out);
			out->id = d->obj[oi].id;
			return 0;
		}
	}
	return PC_EINVAL;
}

int sn_activity_status(const sn_state *st, int a, sn_status *out)
{
	memset(out, 0, sizeof *out);
	if (!st || a < 0 || (size_t)a >= st->tree->n)
		return PC_EINVAL;
	const act_track *t = &st->t[a];
	out->attempted = t->act_prog;
	out->attempts = t->attempts;
	out->active = t->active;
	out->suspended = t->suspended;
	obj_track o = sn_eff_obj(st, a, 0);
	values_of(&o, &out->v);
	out->v.id = ACT(st, a)->d.obj[0].id;
	return 0;
}

const sn_tree *sn_state_tree(const sn_state *st) { return st ? st->tree : NULL; }
int sn_current(const sn_state *st) { return st ? st->current : -1; }
int sn_suspended(const sn_state *st) { return st ? st->suspended : -1; }

int sn_available(const sn_state *st, int a)
{
	if (!st || a < 0 || (size_t)a >= st->tree->n)
		return 0;
	return a == 0 || sn_avail_index(st, a) >= 0;
}

/* ---- text form --------------------------------------------------------------------------------- */

enum {
	OF_PROG = 1 << 0, OF_SAT = 1 << 1, OF_MEAS = 1 << 2, OF_RAW = 1 << 3, OF_MIN = 1 << 4,
	OF_MAX = 1 << 5, OF_COMPK = 1 << 6, OF_COMP = 1 << 7, OF_PM = 1 << 8, OF_SATCLR = 1 << 9,
	OF_COMPCLR = 1 << 10, OF_ALL = (1 << 11) - 1,
};
enum {
	AF_ACTIVE = 1 << 0, AF_SUSP = 1 << 1, AF_ACTPROG = 1 << 2, AF_ATTPROG = 1 << 3, AF_ATTCOMP = 1 << 4,
	AF_AMT = 1 << 5, AF_OSTALE = 1 << 6, AF_PSTALE = 1 << 7, AF_SEL = 1 << 8, AF_RND = 1 << 9,
	AF_COMPSET = 1 << 10, AF_SATSET = 1 << 11, AF_ALL = (1 << 12) - 1,
};

/* The state's text is written straight into the buffer rather than through jansson: it is
 * written after every commit of a sequenced SCO, on the commit queue's one thread, where
 * building and dumping a jansson tree cost more than the rest of the commit's model work. The
 * reader (sn_state_load) still parses it with jansson, so the form is plain JSON. */
static void put_int(buf *out, long long v)
{
	char d[24];
	size_t i = sizeof d;
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
	do
		d[--i] = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		d[--i] = '-';
	buf_put(out, d + i, sizeof d - i);
}

/* A finite double that reads back exactly: integral values (the common 0) as integers, the
 * rest with 17 significant digits. The reader takes either as a real ("F"). */
static void put_real(buf *out, double v)
{
	if (isfinite(v) && fabs(v) < 1e15 && v == (double)(long long)v) {
		put_int(out, (long long)v);
		return;
	}
	char d[32];
	int n = snprintf(d, sizeof d, "%.17g", isfinite(v) ? v : 0);
	buf_put(out, d, (size_t)n);
}

static void put_obj(buf *out, const obj_track *o)
{
	int f = (o->prog ? OF_PROG : 0) | (o->sat ? OF_SAT : 0) | (o->meas_known ? OF_MEAS : 0) |
		(o->raw_known ? OF_RAW : 0) | (o->min_known ? OF_MIN : 0) | (o->max_known ? OF_MAX : 0) |
		(o->comp_known ? OF_COMPK : 0) | (o->comp ? OF_COMP : 0) | (o->pm_known ? OF_PM : 0) |
		(o->sat_clear ? OF_SATCLR : 0) | (o->comp_clear ? OF_COMPCLR : 0);
	int dec = 0;
	for (int k = 4; k >= 0; k--)
		dec = dec * 16 + (o->dec[k] < 0 ? 0 : o->dec[k] > 14 ? 15 : o->dec[k] + 1);
	const double v[] = {o->meas, o->raw, o->min, o->max, o->pm};
	buf_putc(out, '[');
	put_int(out, f);
	for (size_t i = 0; i < PC_ARRAY_LEN(v); i++) {
		buf_putc(out, ',');
		put_real(out, v[i]);
	}
	buf_putc(out, ',');
	put_int(out, dec);
	buf_putc(out, ']');
}

static bool finite_in(double v, double lo, double hi) { return isfinite(v) && v >= lo && v <= hi; }

static int obj_from_json(const json_t *j, obj_track *o)
{
	int f, dec;
	double meas, raw, mn, mx, pm;
	if (json_unpack((json_t *)j, "[iFFFFFi]", &f, &meas, &raw, &mn, &mx, &pm, &dec) || f < 0 || f > OF_ALL ||
	    dec < 0 || dec >= 1 << 20)
		return PC_EFORMAT;
	for (int k = 0; k < 5; k++, dec /= 16)
		o->dec[k] = (signed char)(dec % 16 - 1);
	if (!finite_in(meas, -1, 1) || !finite_in(pm, 0, 1) || !finite_in(raw, -1e300, 1e300) ||
	    !finite_in(mn, -1e300, 1e300) || !finite_in(mx, -1e300, 1e300))
		return PC_EFORMAT;
	o->prog = f & OF_PROG, o->sat = f & OF_SAT, o->meas_known = f & OF_MEAS, o->raw_known = f & OF_RAW;
	o->min_known = f & OF_MIN, o->max_known = f & OF_MAX, o->comp_known = f & OF_COMPK;
	o->comp = f & OF_COMP, o->pm_known = f & OF_PM, o->sat_clear = f & OF_SATCLR, o->comp_clear = f & OF_COMPCLR;
	o->meas = meas, o->raw = raw, o->min = mn, o->max = mx, o->pm = pm;
	return 0;
}

/* {"ID":[objective],...}: the global objectives. */
static void put_globals(buf *out, const sn_state *st)
{
	buf_putc(out, '{');
	for (size_t i = 0; i < st->ng; i++) {
		if (i)
			buf_putc(out, ',');
		buf_put_json_string(out, st->g[i].id);
		buf_putc(out, ':');
		put_obj(out, &st->g[i].t);
	}
	buf_putc(out, '}');
}

/* What a save appended past `start`, unless it is longer than the readers accept
 * (SN_MAX_STATE_TEXT): then nothing is kept and PC_ELIMIT is returned. */
static int saved(buf *out, size_t start)
{
	if (buf_error(out))
		return buf_error(out);
	if (out->len - start > SN_MAX_STATE_TEXT) {
		out->len = start;
		out->data[start] = '\0';
		return PC_ELIMIT;
	}
	return 0;
}

int sn_state_save(const sn_state *st, buf *out)
{
	size_t start = out->len;
	char rng[17];
	snprintf(rng, sizeof rng, "%016llx", (unsigned long long)st->rng);
	buf_puts(out, "{\"v\":1,\"cur\":");
	put_int(out, st->current);
	buf_puts(out, ",\"sus\":");
	put_int(out, st->suspended);
	buf_puts(out, ",\"rng\":\"");
	buf_puts(out, rng);
	buf_puts(out, "\",\"a\":[");
	for (size_t i = 0; i < st->tree->n; i++) {
		const act_track *t = &st->t[i];
		const activity *a = &st->tree->a[i];
		int f = (t->active ? AF_ACTIVE : 0) | (t->suspended ? AF_SUSP : 0) | (t->act_prog ? AF_ACTPROG : 0) |
			(t->att_prog ? AF_ATTPROG : 0) | (t->att_comp ? AF_ATTCOMP : 0) | (t->amt_known ? AF_AMT : 0) |
			(t->obj_stale ? AF_OSTALE : 0) | (t->prog_stale ? AF_PSTALE : 0) | (t->selected ? AF_SEL : 0) |
			(t->randomized ? AF_RND : 0) | (t->comp_set ? AF_COMPSET : 0) | (t->sat_set ? AF_SATSET : 0);
		buf_puts(out, i ? ",{\"id\":" : "{\"id\":");
		buf_put_json_string(out, a->s_id);
		buf_puts(out, ",\"f\":");
		put_int(out, f);
		buf_puts(out, ",\"k\":");
		put_int(out, (long long)t->attempts);
		buf_puts(out, ",\"amt\":");
		put_real(out, t->amt);
		buf_puts(out, ",\"ad\":");
		put_int(out, t->amt_dec);
		buf_puts(out, ",\"o\":[");
		for (size_t o = 0; o < a->d.nobj; o++) {
			if (o)
				buf_putc(out, ',');
			put_obj(out, &t->obj[o]);
		}
		buf_puts(out, "],\"av\":[");
		for (size_t c = 0; c < t->navail; c++) {
			if (c)
				buf_putc(out, ',');
			put_int(out, t->avail[c]);
		}
		buf_puts(out, "]}");
	}
	buf_putc(out, ']');
	if (!st->tree->globals_to_system) {
		buf_puts(out, ",\"g\":");
		put_globals(out, st);
	}
	buf_putc(out, '}');
	return saved(out, start);
}

int sn_globals_save(const sn_state *st, buf *out)
{
	if (!st->tree->globals_to_system)
		return buf_puts(out, "{}");
	size_t start = out->len;
	put_globals(out, st);
	return saved(out, start);
}

static int load_globals(sn_state *st, const json_t *g)
{
	const char *key;
	json_t *val;
	if (!json_is_object(g))
		return PC_EFORMAT;
	json_object_foreach((json_t *)g, key, val) {
		obj_track o;
		memset(&o, 0, sizeof o);
		if (strlen(key) > SN_MAX_ID || obj_from_json(val, &o))
			return PC_EFORMAT;
		size_t i = 0;
		while (i < st->ng && strcmp(st->g[i].id, key))
			i++;
		if (i == st->ng) {
			if (st->ng >= 65536)
				return PC_ELIMIT;
			global_obj *nv = realloc(st->g, (st->ng + 1) * sizeof *nv);
			if (!nv)
				return PC_ENOMEM;
			st->g = nv;
			if (!(st->g[i].id = strdup(key)))
				return PC_ENOMEM;
			st->ng++;
		}
		st->g[i].t = o;
	}
	return 0;
}

static int load_fail(char *err, size_t errlen, int rc, const char *what)
{
	if (err && errlen)
		snprintf(err, errlen, "sequencing state: %s", what);
	return rc;
}

int sn_globals_load(sn_state *st, const char *text, size_t len, char *err, size_t errlen)
{
	if (!text || !len)
		return 0;
	if (len > SN_MAX_STATE_TEXT)
		return load_fail(err, errlen, PC_ELIMIT, "global objectives text too long");
	json_error_t je;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return load_fail(err, errlen, PC_EFORMAT, "global objectives are not JSON");
	int rc = load_globals(st, root);
	json_decref(root);
	return rc ? load_fail(err, errlen, rc, "bad global objective record") : 0;
}

int sn_state_load(sn_state **out, const sn_tree *tree, const char *text, size_t len, char *err, size_t errlen)
{
	*out = NULL;
	sn_state *st = NULL;
	json_t *root = NULL;
	const char *why = "not JSON";
	if (len > SN_MAX_STATE_TEXT)
		return load_fail(err, errlen, PC_ELIMIT, "text too long");
	int rc = state_alloc(&st, tree);
	if (rc)
		return rc;
	json_error_t je;
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	rc = PC_EFORMAT;
	if (!root)
		goto fail;
	json_int_t v, cur, sus;
	const char *rng;
	json_t *acts;
	why = "missing members";
	if (json_unpack(root, "{s:I,s:I,s:I,s:s,s:o}", "v", &v, "cur", &cur, "sus", &sus, "rng", &rng, "a", &acts) ||
	    v != 1 || !json_is_array(acts))
		goto fail;
	why = "the package's activities changed";
	if (json_array_size(acts) != tree->n || cur < -1 || cur >= (json_int_t)tree->n || sus < -1 ||
	    sus >= (json_int_t)tree->n)
		goto fail;
	st->current = (int)cur;
	st->suspended = (int)sus;
	/* sixteen hex digits, as saved: strtoull alone would take a sign or spaces too */
	why = "bad generator state";
	if (strlen(rng) != 16 || strspn(rng, "0123456789abcdefABCDEF") != 16)
		goto fail;
	st->rng = strtoull(rng, NULL, 16);
	for (size_t i = 0; i < tree->n; i++) {
		const activity *a = &tree->a[i];
		act_track *t = &st->t[i];
		const char *id;
		json_int_t f, k, ad;
		double amt;
		json_t *objs, *av;
		why = "bad activity record";
		if (json_unpack(json_array_get(acts, i), "{s:s,s:I,s:I,s:F,s:I,s:o,s:o}", "id", &id, "f", &f, "k", &k,
				"amt", &amt, "ad", &ad, "o", &objs, "av", &av) ||
		    ad < -1 || ad > 14)
			goto fail;
		why = "the package's activities changed";
		if (strcmp(id, a->s_id) || !json_is_array(objs) || json_array_size(objs) != a->d.nobj ||
		    !json_is_array(av) || json_array_size(av) > a->nchildren)
			goto fail;
		why = "bad activity record";
		if (f < 0 || f > AF_ALL || k < 0 || k > 0x7fffffff || !finite_in(amt, 0, 1))
			goto fail;
		t->active = f & AF_ACTIVE, t->suspended = f & AF_SUSP, t->act_prog = f & AF_ACTPROG;
		t->att_prog = f & AF_ATTPROG, t->att_comp = f & AF_ATTCOMP, t->amt_known = f & AF_AMT;
		t->obj_stale = f & AF_OSTALE, t->prog_stale = f & AF_PSTALE, t->selected = f & AF_SEL;
		t->randomized = f & AF_RND, t->comp_set = f & AF_COMPSET, t->sat_set = f & AF_SATSET;
		t->attempts = (unsigned)k;
		t->amt_dec = (signed char)ad;
		t->amt = amt;
		for (size_t o = 0; o < a->d.nobj; o++)
			if (obj_from_json(json_array_get(objs, o), &t->obj[o]))
				goto fail;
		t->navail = 0;
		for (size_t c = 0; c < json_array_size(av); c++) {
			json_t *x = json_array_get(av, c);
			if (!json_is_integer(x))
				goto fail;
			json_int_t kid = json_integer_value(x);
			bool ok = false;
			for (size_t m = 0; m < a->nchildren; m++)
				ok |= a->children[m] == kid;
			for (size_t m = 0; m < t->navail; m++)
				ok &= t->avail[m] != kid;
			if (!ok)
				goto fail;
			t->avail[t->navail++] = (int)kid;
		}
	}
	json_t *g = json_object_get(root, "g");
	why = "bad global objective record";
	if (g && (rc = load_globals(st, g)) != 0) {
		if (rc != PC_ENOMEM)
			rc = PC_EFORMAT;
		goto fail;
	}
	json_decref(root);
	*out = st;
	return 0;
fail:
	json_decref(root);
	sn_state_free(st);
	if (rc == 0)
		rc = PC_EFORMAT;
	return load_fail(err, errlen, rc, why);
}
