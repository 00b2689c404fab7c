/* The data model proper: resolving element names against the table, GetValue and SetValue with
 * their checks in the order ADL's test suite expects (scorm-rte.md 2.2: name, keyword, undefined,
 * access, index, dependency, format, range, limit, uniqueness), collections and their counts,
 * seeding and loading. The browser adapter runs this same code as WebAssembly (cmi_wasm.h).
 *
 * Readings chosen where the texts leave room:
 * - 1.2 unknown names: unknown last segment under a known category -> 201, unknown category ->
 *   401 (ADL 1.2 test suite); a malformed collection index ("01", "-1", "x") -> 201; 2004: 401.
 * - "_children" works for any syntactically valid row index (the list does not depend on the
 *   row existing); "_count" of a nested collection needs its row to exist (201 / 301).
 * - Keywords used where they do not exist (cmi.core.student_id._children, cmi.core._count,
 *   cmi.core._version): GetValue 1.2 202 / 203 / 201, 2004 301; SetValue 1.2 402, 2004 404.
 * - 2004 rows are created only by their first element: id (objectives, interactions and
 *   interaction objectives), pattern (correct_responses), any of comment/location/timestamp
 *   (comments_from_learner). Anything else at index == _count is 408; past _count is 351.
 *   In 1.2 any element at index == _count creates the row (1.2 has no dependency rule).
 * - 2004 cmi.objectives.n.id may be set again to the same value; another value is 351.
 * - Interaction ids need not be unique (journaling content repeats them); objective ids must be
 *   (2004), as must interaction objective ids within one interaction and choice patterns
 *   (compared as sets) within one interaction. 1.2 has no uniqueness rule. */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmi_int.h"
#include "utf8.h"

/* ---- names ------------------------------------------------------------------------------------ */

static int parse_index(const char *s, size_t n, unsigned long *out)
{
	if (!n || (s[0] == '0' && n > 1))
		return 0;
	unsigned long v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v >= CMI_INDEX_MAX / 10 ? CMI_INDEX_MAX : v * 10 + (unsigned long)(s[i] - '0');
	}
	*out = v;
	return 1;
}

/* {target=ID}: ID a valid short identifier. */
static int valid_target(const char *s, size_t n)
{
	static const struct cmi_elem shortid = {"", 0, CMI_LEAF, CMI_RO, CMI_T_SHORT_ID, 250, NULL, NULL,
						NULL, 0, NULL, NULL, NULL, NULL};
	unsigned limit;
	if (n < 10 || memcmp(s, "{target=", 8) != 0 || s[n - 1] != '}' || !utf8_valid(s, n))
		return 0;
	return cmi_check_value(&shortid, 0, NULL, s + 8, n - 9, &limit) == CMI_CK_OK;
}

/* Matches `name` against pattern `pat` segment by segment. Returns the number of name segments
 * matched; *full is set when the whole name is the whole pattern, *bad_index when matching
 * stopped at an index segment. */
static size_t match(const char *pat, const char *name, struct cmi_ref *ref, int *full,
		    int *bad_index)
{
	size_t k = 0;
	const char *p = pat, *n = name;
	*full = 0;
	*bad_index = 0;
	ref->nidx = 0;
	for (;;) {
		const char *pe = strchr(p, '.'), *ne = strchr(n, '.');
		size_t pl = pe ? (size_t)(pe - p) : strlen(p);
		size_t nl = ne ? (size_t)(ne - n) : strlen(n);
		if (pl == 8 && memcmp(p, "{target}", 8) == 0) {
			if (!valid_target(n, strlen(n)))
				return k;
			*full = 1;
			return k + 1;
		}
		if (pl == 1 && (p[0] == 'n' || p[0] == 'm')) {
			if (!parse_index(n, nl, &ref->idx[ref->nidx])) {
				*bad_index = 1;
				return k;
			}
			ref->nidx++;
		} else if (pl != nl || memcmp(p, n, pl) != 0) {
			return k;
		}
		k++;
		if (!pe || !ne) {
			*full = !pe && !ne;
			return k;
		}
		p = pe + 1;
		n = ne + 1;
	}
}

/* 1 when `model` (CMI_M_* bits, with CMI_M_LMS for the LMS's own reads and seeds) has e. */
static int model_has(unsigned model, const struct cmi_elem *e)
{
	return (e->models & model) && (!(e->flags & CMI_F_LMS) || (model & CMI_M_LMS));
}

/* The table by name, for the fast path of cmi_resolve: a name is looked up with its index
 * segments written as the table writes them ("cmi.interactions.3.id" as "cmi.interactions.n.id").
 * Open addressing over element positions + 1 (0 = empty), filled in table order, so a probe
 * meets equal names in the order the table scan would. Built once. */
#define NAME_SLOTS 1024
static unsigned short name_slots[NAME_SLOTS];
/* 0 not built, 1 being built (by the thread that set it: others take the full scan meanwhile),
 * 2 built. Plain C11 atomics, so the model needs no thread library (WebAssembly has none). */
static atomic_int name_slots_state;

static uint32_t name_hash(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void name_slots_build(void)
{
	for (size_t i = 0; i < cmi_elem_count && i < NAME_SLOTS / 2; i++) {
		uint32_t h = name_hash(cmi_elems[i].name) % NAME_SLOTS;
		while (name_slots[h])
			h = (h + 1) % NAME_SLOTS;
		name_slots[h] = (unsigned short)(i + 1);
	}
}

/* The element whose table name is the name with its all-digit segments replaced by "n" then
 * "m", when there is one and the name matches it fully; else 0 (the full scan decides). */
static int resolve_fast(unsigned model, const char *name, struct cmi_ref *ref)
{
	char shape[128];
	size_t o = 0;
	int nidx = 0;
	for (const char *p = name;;) {
		const char *e = p;
		int digits = 1;
		while (*e && *e != '.') {
			if (*e < '0' || *e > '9')
				digits = 0;
			if (*e == '{')
				return 0; /* {target=...}: the full scan knows those */
			e++;
		}
		if (e == p)
			return 0;
		if (digits && nidx < 2) {
			if (o + 2 >= sizeof shape)
				return 0;
			shape[o++] = nidx++ ? 'm' : 'n';
		} else {
			if (o + (size_t)(e - p) + 1 >= sizeof shape)
				return 0;
			memcpy(shape + o, p, (size_t)(e - p));
			o += (size_t)(e - p);
		}
		if (!*e)
			break;
		shape[o++] = '.';
		p = e + 1;
	}
	shape[o] = '\0';
	if (atomic_load_explicit(&name_slots_state, memory_order_acquire) != 2) {
		int expected = 0;
		if (!atomic_compare_exchange_strong(&name_slots_state, &expected, 1))
			return 0; /* another thread is building it */
		name_slots_build();
		atomic_store_explicit(&name_slots_state, 2, memory_order_release);
	}
	for (uint32_t h = name_hash(shape) % NAME_SLOTS; name_slots[h]; h = (h + 1) % NAME_SLOTS) {
		const struct cmi_elem *e = &cmi_elems[name_slots[h] - 1];
		if (!model_has(model, e) || strcmp(e->name, shape) != 0)
			continue;
		struct cmi_ref r;
		int full, bad;
		match(e->name, name, &r, &full, &bad);
		if (!full)
			return 0;
		*ref = r;
		ref->e = e;
		return 1;
	}
	return 0;
}

int cmi_resolve(unsigned model, const char *name, struct cmi_ref *ref)
{
	if (resolve_fast(model, name, ref))
		return CMI_R_OK;
	size_t best = 0;
	int best_bad_index = 0;
	for (size_t i = 0; i < cmi_elem_count; i++) {
		const struct cmi_elem *e = &cmi_elems[i];
		struct cmi_ref r;
		int full, bad;
		if (!model_has(model, e))
			continue;
		size_t k = match(e->name, name, &r, &full, &bad);
		if (full) {
			*ref = r;
			ref->e = e;
			return CMI_R_OK;
		}
		if (k > best) {
			best = k;
			best_bad_index = bad;
		} else if (k == best && bad) {
			best_bad_index = 1;
		}
	}
	size_t nseg = 1;
	for (const char *c = name; *c; c++)
		nseg += (*c == '.');
	const char *dot = strrchr(name, '.');
	const char *last = dot ? dot + 1 : name;
	if (dot && best + 1 >= nseg) {
		if (!strcmp(last, "_children"))
			return CMI_R_NO_CHILDREN;
		if (!strcmp(last, "_count"))
			return CMI_R_NO_COUNT;
		if (!strcmp(last, "_version"))
			return CMI_R_BAD_VERSION;
	}
	if (best == 0)
		return CMI_R_UNKNOWN_CATEGORY;
	if (best_bad_index)
		return CMI_R_BAD_INDEX;
	if (best + 1 >= nseg)
		return CMI_R_UNKNOWN;
	return CMI_R_UNKNOWN_CATEGORY;
}

/* Appends n bytes to a key being built in out (CMI_KEY_MAX bytes, NUL-terminated). */
static void key_put(char *out, size_t *o, const char *s, size_t n)
{
	PC_ASSERT(*o + n < CMI_KEY_MAX); /* keys fit by construction: see CMI_KEY_MAX */
	memcpy(out + *o, s, n);
	*o += n;
	out[*o] = '\0';
}

/* The name of r's element with its row numbers, written into out (CMI_KEY_MAX bytes): cut
 * before index segment `stop` (the collection instance at that level: "cmi.interactions.3.
 * objectives", and in pat, when not NULL, its table name "cmi.interactions.n.objectives"), or
 * whole (stop < 0) with the last row number replaced by `last` (a sibling row). */
static void row_name(const struct cmi_ref *r, int stop, unsigned long last, char *out, char *pat)
{
	const char *p = r->e->name;
	size_t o = 0, pl = 0;
	int seen = 0;
	out[0] = '\0';
	if (pat)
		pat[0] = '\0';
	for (;;) {
		const char *pe = strchr(p, '.');
		size_t len = pe ? (size_t)(pe - p) : strlen(p);
		int index = len == 1 && (p[0] == 'n' || p[0] == 'm');
		if (index && seen == stop)
			break;
		if (o)
			key_put(out, &o, ".", 1);
		if (index) {
			char num[24];
			unsigned long v = (stop < 0 && seen == r->nidx - 1) ? last : r->idx[seen];
			int k = snprintf(num, sizeof num, "%lu", v);
			key_put(out, &o, num, (size_t)k);
			seen++;
		} else {
			key_put(out, &o, p, len);
		}
		if (pat) {
			if (pl)
				key_put(pat, &pl, ".", 1);
			key_put(pat, &pl, p, len);
		}
		if (!pe)
			break;
		p = pe + 1;
	}
}

/* The collection instance at `level` of a resolved name ("cmi.interactions.3.objectives",
 * into out: CMI_KEY_MAX bytes) and its table entry (NULL when the table has none). */
static const struct cmi_coll *instance(unsigned model, const struct cmi_ref *r, int level, char *out)
{
	char pat[CMI_KEY_MAX];
	row_name(r, level, 0, out, pat);
	for (size_t i = 0; i < cmi_coll_count; i++)
		if ((cmi_colls[i].models & model) && !strcmp(cmi_colls[i].name, pat))
			return &cmi_colls[i];
	return NULL;
}

/* The same name with the last index replaced by `j`, the element part unchanged (into out:
 * CMI_KEY_MAX bytes). */
static void sibling(const struct cmi_ref *r, unsigned long j, char *out)
{
	row_name(r, -1, j, out, NULL);
}

/* ---- store access ------------------------------------------------------------------------------- */

static int is_count_key(const char *key, size_t klen)
{
	return klen > 7 && memcmp(key + klen - 7, "._count", 7) == 0;
}

const char *cmi_stored(const cmi_state *st, const char *key)
{
	struct cmi_slot *sl = cmi_store_find(&st->values, key, strlen(key));
	return sl ? sl->val : NULL;
}

int cmi_store_value(cmi_state *st, const char *key, const char *val, size_t vlen)
{
	size_t klen = strlen(key);
	struct cmi_slot *sl = cmi_store_find(&st->values, key, klen);
	size_t old = sl ? sl->vlen : 0;
	int rc = cmi_store_put(&st->values, key, klen, val, vlen);
	if (!rc && !is_count_key(key, klen))
		st->bytes = st->bytes - old + vlen;
	return rc;
}

void cmi_drop_value(cmi_state *st, const char *key)
{
	size_t klen = strlen(key);
	struct cmi_slot *sl = cmi_store_find(&st->values, key, klen);
	if (!sl)
		return;
	if (!is_count_key(key, klen))
		st->bytes -= sl->vlen;
	cmi_store_del(&st->values, key, klen);
}

unsigned long cmi_count_of(const cmi_state *st, const char *coll_instance)
{
	char key[CMI_KEY_MAX];
	cmi_keyf(key, "%s._count", coll_instance);
	const char *v = cmi_stored(st, key);
	return v ? strtoul(v, NULL, 10) : 0;
}

static int set_count(cmi_state *st, const char *coll_instance, unsigned long n)
{
	char key[CMI_KEY_MAX], val[24];
	cmi_keyf(key, "%s._count", coll_instance);
	int len = snprintf(val, sizeof val, "%lu", n);
	return cmi_store_value(st, key, val, (size_t)len);
}

size_t cmi_keyf(char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(key, CMI_KEY_MAX, fmt, ap);
	va_end(ap);
	PC_ASSERT(n >= 0 && n < CMI_KEY_MAX); /* keys fit by construction: see CMI_KEY_MAX */
	return (size_t)n;
}

/* ---- errors and diagnostics -------------------------------------------------------------------- */

const char *cmi_init_name(const cmi_state *st) { return cmi_is12(st) ? "LMSInitialize" : "Initialize"; }
const char *cmi_terminate_name(const cmi_state *st) { return cmi_is12(st) ? "LMSFinish" : "Terminate"; }

void cmi_clear_error(cmi_state *st)
{
	st->last_error = 0;
	st->diag[0] = '\0';
}

/* Appends text, replacing invalid UTF-8 by U+FFFD. */
static void put_text(buf *b, const char *s)
{
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);
		if (!n) {
			buf_puts(b, "\xEF\xBF\xBD");
			i++;
		} else {
			buf_put(b, s + i, n);
			i += n;
		}
	}
}

void cmi_set_code(cmi_state *st, int code, int diag, const char *fn, const char *element,
		  long long n, long long c, const char *detail)
{
	buf b;
	buf_init(&b, 0);
	st->last_error = code;
	for (const char *t = cmi_diags[diag].text; *t; t++) {
		if (t[0] == '{' && t[1] && t[2] == '}') {
			switch (t[1]) {
			case 'e': put_text(&b, element ? element : ""); break;
			case 'f': put_text(&b, fn ? fn : ""); break;
			case 'i': buf_puts(&b, cmi_init_name(st)); break;
			case 't': buf_puts(&b, cmi_terminate_name(st)); break;
			case 'n': buf_printf(&b, "%lld", n); break;
			case 'c': buf_printf(&b, "%lld", c); break;
			case 'd': put_text(&b, detail ? detail : ""); break;
			default: buf_put(&b, t, 3); break;
			}
			t += 2;
		} else {
			buf_putc(&b, *t);
		}
	}
	/* cut to CMI_DIAG_MAX code points */
	const char *s = buf_cstr(&b);
	size_t len = strlen(s), i = 0, count = 0;
	while (i < len && count < CMI_DIAG_MAX) {
		uint32_t cp;
		size_t k = utf8_decode(s + i, len - i, &cp);
		i += k ? k : 1;
		count++;
	}
	if (i >= sizeof st->diag)
		i = sizeof st->diag - 1;
	memcpy(st->diag, s, i);
	st->diag[i] = '\0';
	buf_free(&b);
}

void cmi_set_error(cmi_state *st, int kind, int diag, const char *fn, const char *element,
		   long long n, long long c, const char *detail)
{
	cmi_set_code(st, cmi_fail_codes[kind][cmi_is12(st) ? 0 : 1], diag, fn, element, n, c, detail);
}

/* A failure found by a check, before it becomes the state's last error. */
struct fail {
	int kind, diag;
	long long n, c;
	const char *detail;
};

static int failed(struct fail *f, int kind, int diag, long long n, long long c, const char *detail)
{
	f->kind = kind;
	f->diag = diag;
	f->n = n;
	f->c = c;
	f->detail = detail;
	return 1; /* positive: PC_ENOMEM is negative */
}

static int resolve_fail(int r, int set, struct fail *f)
{
	switch (r) {
	case CMI_R_UNKNOWN_CATEGORY: return failed(f, CMI_X_UNKNOWN_CATEGORY, CMI_D_UNKNOWN_CATEGORY, 0, 0, NULL);
	case CMI_R_BAD_INDEX: return failed(f, CMI_X_BAD_INDEX, CMI_D_BAD_INDEX, 0, 0, NULL);
	case CMI_R_NO_CHILDREN:
		return set ? failed(f, CMI_X_KEYWORD_SET, CMI_D_KEYWORD, 0, 0, NULL)
			   : failed(f, CMI_X_NO_CHILDREN, CMI_D_NO_CHILDREN, 0, 0, NULL);
	case CMI_R_NO_COUNT:
		return set ? failed(f, CMI_X_KEYWORD_SET, CMI_D_KEYWORD, 0, 0, NULL)
			   : failed(f, CMI_X_NO_COUNT, CMI_D_NO_COUNT, 0, 0, NULL);
	case CMI_R_BAD_VERSION:
		return set ? failed(f, CMI_X_KEYWORD_SET, CMI_D_KEYWORD, 0, 0, NULL)
			   : failed(f, CMI_X_BAD_VERSION, CMI_D_BAD_VERSION, 0, 0, NULL);
	default: return failed(f, CMI_X_UNKNOWN, CMI_D_UNKNOWN, 0, 0, NULL);
	}
}

/* ---- shared data permissions ------------------------------------------------------------------------
 * adl.data.n.store is readable and writable as the manifest's map allows: the row's LMS-only
 * permission elements (readSharedData, writeSharedData) say "false" to refuse. A refusal is an
 * access failure, checked where access is (before the row checks): GetValue 405 (write only),
 * SetValue 404 (read only), as the 4th Edition RTE gives for a map that allows only one way. */

/* 1 when the row of `name` has a permission element with flag `perm` set to "false". */
static int guard_denies(const cmi_state *st, const struct cmi_ref *r, const char *name, unsigned perm)
{
	const char *dot = strrchr(name, '.'), *edot = strrchr(r->e->name, '.');
	if (!(r->e->flags & CMI_F_GUARDED) || !dot || !edot || dot - name > CMI_KEY_MAX / 2)
		return 0; /* a longer row name has a saturated index: the row cannot exist */
	size_t elen = (size_t)(edot - r->e->name) + 1;
	for (size_t i = 0; i < cmi_elem_count; i++) {
		const struct cmi_elem *g = &cmi_elems[i];
		if (!(g->flags & perm) || !(g->models & st->model) || strncmp(g->name, r->e->name, elen) != 0 ||
		    strchr(g->name + elen, '.'))
			continue;
		char key[CMI_KEY_MAX];
		cmi_keyf(key, "%.*s%s", (int)(dot - name + 1), name, g->name + elen);
		const char *v = cmi_stored(st, key);
		if (v && !strcmp(v, "false"))
			return 1;
	}
	return 0;
}

/* ---- reading --------------------------------------------------------------------------------------- */

/* The interaction type of row n (2004 and 1.2), or NULL. */
static const char *interaction_type(const cmi_state *st, unsigned long n)
{
	char key[CMI_KEY_MAX];
	cmi_keyf(key, "cmi.interactions.%lu.type", n);
	return cmi_stored(st, key);
}

static const char *evaluated(const cmi_state *st, const struct cmi_elem *e)
{
	if (e->flags & CMI_F_EVAL_COMPLETION) {
		const char *thr = cmi_stored(st, "cmi.completion_threshold");
		if (thr) {
			const char *pm = cmi_stored(st, "cmi.progress_measure");
			if (!pm)
				return "unknown";
			return cmi_decimal_cmp(pm, strlen(pm), thr, strlen(thr)) >= 0 ? "completed" : "incomplete";
		}
	}
	if (e->flags & CMI_F_EVAL_SUCCESS) {
		const char *sps = cmi_stored(st, "cmi.scaled_passing_score");
		if (sps) {
			const char *sc = cmi_stored(st, "cmi.score.scaled");
			if (!sc)
				return "unknown";
			return cmi_decimal_cmp(sc, strlen(sc), sps, strlen(sps)) >= 0 ? "passed" : "failed";
		}
	}
	return NULL;
}

/* Index checks for reading: every level's row must exist. 0 or 1 with f filled. */
static int rows_exist(const cmi_state *st, const struct cmi_ref *r, int levels, struct fail *f)
{
	for (int l = 0; l < levels; l++) {
		char inst[CMI_KEY_MAX];
		instance(st->model, r, l, inst);
		unsigned long c = cmi_count_of(st, inst);
		if (r->idx[l] >= c)
			return failed(f, CMI_X_NO_ROW, CMI_D_NO_ROW, (long long)r->idx[l], (long long)c, NULL);
	}
	return 0;
}

/* The value of a resolved element as stored/defaulted/evaluated; NULL when it has none. The
 * name is the canonical key. */
static const char *value_of(const cmi_state *st, const struct cmi_ref *r, const char *name)
{
	const struct cmi_elem *e = r->e;
	if (e->kind == CMI_CHILDREN || e->kind == CMI_VERSION)
		return e->text;
	if (e->kind == CMI_COUNT) {
		const char *v = cmi_stored(st, name);
		return v ? v : "0";
	}
	const char *v = evaluated(st, e);
	if (v)
		return v;
	v = cmi_stored(st, name);
	return v ? v : e->dflt;
}

const char *cmi_model_get(cmi_state *st, const char *name, const char *fn)
{
	struct cmi_ref r;
	struct fail f;
	int rc;
	if (!*name) {
		failed(&f, CMI_X_EMPTY_GET, CMI_D_EMPTY_ELEMENT, 0, 0, NULL);
		goto fail;
	}
	rc = cmi_resolve(st->model, name, &r);
	if (rc != CMI_R_OK) {
		resolve_fail(rc, 0, &f);
		goto fail;
	}
	if (r.e->access == CMI_WO) {
		failed(&f, CMI_X_WRITE_ONLY, CMI_D_WRITE_ONLY, 0, 0, NULL);
		goto fail;
	}
	if (guard_denies(st, &r, name, CMI_F_READ_PERM)) {
		failed(&f, CMI_X_WRITE_ONLY, CMI_D_SHARED_NO_READ, 0, 0, NULL);
		goto fail;
	}
	if (r.e->kind != CMI_CHILDREN && rows_exist(st, &r, r.nidx, &f) != 0)
		goto fail;
	const char *v = value_of(st, &r, name);
	if (!v) {
		if (cmi_is12(st))
			v = "";
		else {
			failed(&f, CMI_X_NO_VALUE, CMI_D_NO_VALUE, 0, 0, NULL);
			goto fail;
		}
	}
	cmi_clear_error(st);
	return v;
fail:
	cmi_set_error(st, f.kind, f.diag, fn, name, f.n, f.c, f.detail);
	return NULL;
}

const char *cmi_model_peek(const cmi_state *st, const char *name)
{
	struct cmi_ref r;
	struct fail f;
	if (cmi_resolve(st->model | CMI_M_LMS, name, &r) != CMI_R_OK)
		return NULL;
	if (r.e->kind != CMI_CHILDREN && rows_exist(st, &r, r.nidx, &f) != 0)
		return NULL;
	return value_of(st, &r, name);
}

/* ---- writing ---------------------------------------------------------------------------------------- */

enum { MODE_SCO, MODE_SEED };

/* The correct_responses kept for an interaction type. */
static unsigned patterns_max(const cmi_state *st, const char *itype)
{
	if (cmi_is12(st))
		return 10;
	for (size_t i = 0; i < cmi_itype_count; i++)
		if ((cmi_itypes[i].models & st->model) && !strcmp(cmi_itypes[i].name, itype))
			return cmi_itypes[i].max_patterns;
	return 0;
}

/* 1 when interaction n's stored patterns and response are valid for type `itype`: their
 * format, how many patterns the type keeps, and (choice) distinct patterns. */
static int responses_fit(const cmi_state *st, unsigned long n, const char *itype)
{
	char inst[CMI_KEY_MAX], key[CMI_KEY_MAX];
	struct cmi_ref pat, resp;
	unsigned limit;
	cmi_keyf(key, "cmi.interactions.%lu.correct_responses.0.pattern", n);
	if (cmi_resolve(st->model, key, &pat) != CMI_R_OK)
		return 1;
	cmi_keyf(key, "cmi.interactions.%lu.%s", n, cmi_is12(st) ? "student_response" : "learner_response");
	const char *v = cmi_stored(st, key);
	if (cmi_resolve(st->model, key, &resp) != CMI_R_OK ||
	    (v && cmi_check_value(resp.e, st->model, itype, v, strlen(v), &limit) != CMI_CK_OK))
		return 0;
	cmi_keyf(inst, "cmi.interactions.%lu.correct_responses", n);
	unsigned long c = cmi_count_of(st, inst);
	if (c > patterns_max(st, itype))
		return 0;
	for (unsigned long m = 0; m < c; m++) {
		cmi_keyf(key, "%s.%lu.pattern", inst, m);
		v = cmi_stored(st, key);
		if (v && cmi_check_value(pat.e, st->model, itype, v, strlen(v), &limit) != CMI_CK_OK)
			return 0;
		for (unsigned long k = 0; v && !cmi_is12(st) && !strcmp(itype, "choice") && k < m; k++) {
			cmi_keyf(key, "%s.%lu.pattern", inst, k);
			const char *w = cmi_stored(st, key);
			if (w && cmi_choice_same(v, w))
				return 0;
		}
	}
	return 1;
}

/* Every check of a SetValue (MODE_SCO) or a seed (MODE_SEED), then the store. 0, 1 with f
 * filled, or PC_ENOMEM. */
static int model_set(cmi_state *st, const char *name, const char *value, size_t vlen, int mode,
		     struct fail *f)
{
	struct cmi_ref r;
	int rc;
	int v2004 = !cmi_is12(st);
	if (!*name)
		return failed(f, CMI_X_EMPTY_SET, CMI_D_EMPTY_ELEMENT, 0, 0, NULL);
	rc = cmi_resolve(mode == MODE_SEED ? st->model | CMI_M_LMS : st->model, name, &r);
	if (rc != CMI_R_OK)
		return resolve_fail(rc, 1, f);
	const struct cmi_elem *e = r.e;
	if (e->kind != CMI_LEAF)
		return failed(f, CMI_X_KEYWORD_SET, CMI_D_KEYWORD, 0, 0, NULL);
	if (mode == MODE_SCO && e->access == CMI_RO)
		return failed(f, CMI_X_READ_ONLY, CMI_D_READ_ONLY, 0, 0, NULL);
	if (mode == MODE_SCO && guard_denies(st, &r, name, CMI_F_WRITE_PERM))
		return failed(f, CMI_X_READ_ONLY, CMI_D_SHARED_NO_WRITE, 0, 0, NULL);

	/* rows: each level must exist or be the next one */
	char inst[2][CMI_KEY_MAX];
	int create[2] = {0, 0};
	for (int l = 0; l < r.nidx; l++) {
		const struct cmi_coll *coll = instance(st->model, &r, l, inst[l]);
		unsigned long c = cmi_count_of(st, inst[l]);
		if (r.idx[l] < c)
			continue;
		if (r.idx[l] > c || (v2004 && mode == MODE_SCO && coll && coll->lms_only))
			return failed(f, CMI_X_GAP, CMI_D_GAP, (long long)r.idx[l], (long long)c, NULL);
		if (v2004 && mode == MODE_SCO && (l < r.nidx - 1 || !(e->flags & CMI_F_CREATES)))
			return failed(f, CMI_X_DEPENDENCY, CMI_D_NEED_ID, 0, 0, NULL);
		unsigned max = coll ? coll->max : 0;
		if (coll && max == 0) { /* correct_responses: by interaction type */
			const char *t = interaction_type(st, r.idx[0]);
			/* no type: only reachable when seeding (the SCO gets 408 first); the type decides later */
			max = t ? patterns_max(st, t) : 10;
		}
		if (c >= max)
			return failed(f, CMI_X_FULL, CMI_D_FULL, 0, (long long)c, NULL);
		create[l] = 1;
	}

	const char *itype = NULL;
	if (e->type == CMI_T_PATTERN || e->type == CMI_T_RESPONSE || e->type == CMI_T12_FEEDBACK) {
		itype = interaction_type(st, r.idx[0]);
		if (v2004 && !itype)
			return failed(f, CMI_X_DEPENDENCY, CMI_D_NEED_TYPE, (long long)r.idx[0], 0, NULL);
	}

	/* the value */
	unsigned limit = 0;
	int ck;
	if (memchr(value, '\0', vlen) || !utf8_valid(value, vlen))
		ck = CMI_CK_FORMAT;
	else
		ck = cmi_check_value(e, st->model, itype, value, vlen, &limit);
	if (ck != CMI_CK_OK && mode == MODE_SEED && e->dflt && strlen(e->dflt) == vlen &&
	    memcmp(e->dflt, value, vlen) == 0)
		ck = CMI_CK_OK; /* the LMS may store a default the SCO may not set ("not attempted") */
	const char *desc = e->desc;
	if (itype && (e->type == CMI_T_PATTERN || e->type == CMI_T_RESPONSE || e->type == CMI_T12_FEEDBACK))
		for (size_t i = 0; i < cmi_itype_count; i++)
			if ((cmi_itypes[i].models & st->model) && !strcmp(cmi_itypes[i].name, itype))
				desc = cmi_itypes[i].desc;
	switch (ck) {
	case CMI_CK_OK: break;
	case CMI_CK_RANGE: return failed(f, CMI_X_RANGE, CMI_D_RANGE, 0, 0, e->range);
	case CMI_CK_TOO_LONG: return failed(f, CMI_X_SPM, CMI_D_TOO_LONG, limit, 0, NULL);
	case CMI_CK_TOO_MANY: return failed(f, CMI_X_SPM, CMI_D_TOO_MANY, limit, 0, NULL);
	default: return failed(f, CMI_X_TYPE, CMI_D_TYPE, 0, 0, desc);
	}

	/* a new interaction type must fit what is stored */
	if ((e->flags & CMI_F_ITYPE) && mode == MODE_SCO) {
		char t[32];
		if (vlen >= sizeof t)
			return failed(f, CMI_X_CONFLICT, CMI_D_TYPE_CONFLICT, 0, 0, NULL); /* unreachable: vocabulary */
		memcpy(t, value, vlen);
		t[vlen] = '\0';
		if (!responses_fit(st, r.idx[0], t))
			return failed(f, CMI_X_CONFLICT, CMI_D_TYPE_CONFLICT, 0, 0, NULL);
	}

	/* rules between rows (2004, SCO only) */
	if (v2004 && mode == MODE_SCO) {
		const char *old = cmi_stored(st, name);
		if ((e->flags & CMI_F_ONCE) && old && (strlen(old) != vlen || memcmp(old, value, vlen)))
			return failed(f, CMI_X_UNIQUE, CMI_D_ID_FIXED, 0, 0, NULL);
		int choice = e->type == CMI_T_PATTERN && !strcmp(itype, "choice");
		if ((e->flags & CMI_F_UNIQUE) || choice) {
			char *tmp = malloc(vlen + 1);
			if (!tmp)
				return PC_ENOMEM;
			memcpy(tmp, value, vlen);
			tmp[vlen] = '\0';
			const char *ci = inst[r.nidx - 1];
			unsigned long c = cmi_count_of(st, ci);
			int dup = 0;
			for (unsigned long j = 0; j < c && !dup; j++) {
				char key[CMI_KEY_MAX];
				if (j == r.idx[r.nidx - 1])
					continue;
				sibling(&r, j, key);
				const char *other = cmi_stored(st, key);
				if (other)
					dup = choice ? cmi_choice_same(other, tmp) : !strcmp(other, tmp);
			}
			free(tmp);
			if (dup)
				return failed(f, CMI_X_UNIQUE, choice ? CMI_D_DUPLICATE_PATTERN : CMI_D_NOT_UNIQUE,
					      0, 0, NULL);
		}
	}

	/* room */
	const char *old = cmi_stored(st, name);
	size_t oldlen = old ? strlen(old) : 0;
	if (st->bytes - oldlen + vlen > CMI_STATE_MAX_BYTES)
		return failed(f, CMI_X_STATE_FULL, CMI_D_STATE_FULL, (long long)CMI_STATE_MAX_BYTES, 0, NULL);

	/* store: the value, then the rows it created */
	if (cmi_store_value(st, name, value, vlen) != 0)
		return PC_ENOMEM;
	for (int l = 0; l < r.nidx; l++)
		if (create[l] && set_count(st, inst[l], r.idx[l] + 1) != 0)
			return PC_ENOMEM;
	if (mode == MODE_SCO && (e->flags & CMI_F_GUARDED) && r.idx[0] < 8 * sizeof st->shared_written)
		st->shared_written[r.idx[0] / 8] |= (unsigned char)(1u << (r.idx[0] % 8));
	return 0;
}

int cmi_model_set(cmi_state *st, const char *name, const char *value, size_t vlen, const char *fn)
{
	struct fail f;
	int rc = model_set(st, name, value, vlen, MODE_SCO, &f);
	if (rc == 0) {
		cmi_clear_error(st);
		return 1;
	}
	if (rc == PC_ENOMEM) {
		cmi_set_error(st, CMI_X_GENERAL, CMI_D_NO_MEMORY, fn, name, 0, 0, NULL);
		return PC_ENOMEM;
	}
	cmi_set_error(st, f.kind, f.diag, fn, name, f.n, f.c, f.detail);
	return 0;
}

int cmi_model_seed(cmi_state *st, const char *name, const char *value, size_t vlen, int record)
{
	struct fail f;
	int rc = model_set(st, name, value, vlen, MODE_SEED, &f);
	if (rc == PC_ENOMEM)
		return rc;
	if (rc != 0)
		return cmi_fail_codes[f.kind][cmi_is12(st) ? 0 : 1];
	if (record && cmi_store_put(&st->seeds, name, strlen(name), value, vlen) != 0)
		return PC_ENOMEM;
	return 0;
}

/* ---- loading a flat object ---------------------------------------------------------------------- */

/* The order values are loaded in: segment by segment, numbers as numbers (so rows come in
 * index order: 9 before 10), "type" before any other name (an interaction's type is known
 * before its responses are checked against it), other names as bytes. Every key of row n
 * comes before row n + 1, so rows are created in order. */
static int natural_cmp(const void *pa, const void *pb)
{
	const char *a = ((const struct cmi_kv *)pa)->key, *b = ((const struct cmi_kv *)pb)->key;
	while (*a && *b) {
		size_t la = strcspn(a, "."), lb = strcspn(b, ".");
		size_t da = strspn(a, "0123456789"), db = strspn(b, "0123456789");
		int ta = la == 4 && !memcmp(a, "type", 4), tb = lb == 4 && !memcmp(b, "type", 4);
		int c;
		if (da == la && db == lb && la && lb)
			c = la != lb ? (la < lb ? -1 : 1) : memcmp(a, b, la);
		else if (ta != tb)
			c = ta ? -1 : 1;
		else {
			c = memcmp(a, b, la < lb ? la : lb);
			if (!c && la != lb)
				c = la < lb ? -1 : 1;
		}
		if (c)
			return c;
		a += la + (a[la] == '.');
		b += lb + (b[lb] == '.');
	}
	return *a ? 1 : *b ? -1 : 0;
}

int cmi_model_load(cmi_state *st, struct cmi_kv *kv, size_t n, int record, char *err, size_t errlen)
{
	qsort(kv, n, sizeof *kv, natural_cmp);
	for (size_t i = 0; i < n; i++) {
		int code = cmi_model_seed(st, kv[i].key, kv[i].val, kv[i].vlen, record);
		if (code == PC_ENOMEM)
			return code;
		if (code) {
			if (err && errlen)
				snprintf(err, errlen, "%.200s: refused with error %d", kv[i].key, code);
			return PC_EFORMAT;
		}
	}
	return 0;
}
