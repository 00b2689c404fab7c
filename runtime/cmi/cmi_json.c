/* A CMI state as JSON: the stored form the server keeps per SCO attempt, the flat
 * `initial` object the browser adapter starts from, and loading both back. Loading re-checks
 * every value through the model, so a stored state cannot smuggle in what SetValue refuses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmi_int.h"
#include "cmi_json_read.h"

static const char *const api_names[] = {"not-initialized", "running", "terminated"};

static int is_count_key(const char *key, size_t klen)
{
	return klen > 7 && memcmp(key + klen - 7, "._count", 7) == 0;
}

/* {"element": "value"} of a store, counts left out, as JSON text with the members sorted by
 * name. Written directly rather than through jansson: the server writes a whole state per
 * commit, and building and dumping a jansson object was a good part of a commit's cost.
 * buf_put_json escapes < > & U+2028 U+2029, so the text is also safe inside an HTML <script>. */
static int cmp_slot(const void *a, const void *b)
{
	const struct cmi_slot *x = *(const struct cmi_slot *const *)a;
	const struct cmi_slot *y = *(const struct cmi_slot *const *)b;
	return strcmp(x->key, y->key);
}

static int put_store(const struct cmi_store *s, buf *out)
{
	const struct cmi_slot **sorted = malloc((s->len ? s->len : 1) * sizeof *sorted);
	if (!sorted)
		return PC_ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < s->cap && n < s->len; i++) {
		const struct cmi_slot *sl = &s->slots[i];
		if (sl->key && !is_count_key(sl->key, sl->klen))
			sorted[n++] = sl;
	}
	qsort(sorted, n, sizeof *sorted, cmp_slot);
	buf_putc(out, '{');
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(out, ',');
		buf_putc(out, '"');
		buf_put_json(out, sorted[i]->key, sorted[i]->klen);
		buf_put(out, "\":\"", 3);
		buf_put_json(out, sorted[i]->val, sorted[i]->vlen);
		buf_putc(out, '"');
	}
	free(sorted);
	return buf_putc(out, '}');
}

int cmi_state_initial_json(const cmi_state *st, buf *out)
{
	put_store(&st->values, out);
	return buf_error(out) ? PC_ENOMEM : 0;
}

static void put_bool(buf *out, const char *name, int v)
{
	buf_printf(out, "\"%s\":%s,", name, v ? "true" : "false");
}

/* The members in sorted order (as the header promises equal text for equal states). */
int cmi_state_to_json(const cmi_state *st, buf *out)
{
	PC_ASSERT(st != NULL && out != NULL);
	buf_putc(out, '{');
	put_bool(out, "active", st->active);
	buf_printf(out, "\"api\":\"%s\",\"applied\":%zu,", api_names[st->api], st->applied);
	put_bool(out, "attemptEnded", st->attempt_ended);
	put_bool(out, "ended", st->ended);
	buf_printf(out, "\"format\":1,\"seed\":");
	if (put_store(&st->seeds, out))
		return PC_ENOMEM;
	buf_printf(out, ",\"seq\":%lu,\"session\":%lu,\"values\":", st->seq, st->session);
	if (put_store(&st->values, out))
		return PC_ENOMEM;
	buf_printf(out, ",\"version\":\"%s\"}", cmi_version_string(st->version));
	return buf_error(out) ? PC_ENOMEM : 0;
}

static void say(char *err, size_t errlen, const char *msg)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", msg);
}

/* Seeds the members of a flat object of strings {"element": "value"} (cmi_model_load). */
static int load_object(cmi_state *st, const struct cmi_jval *obj, int record, char *err, size_t errlen)
{
	if (!obj || obj->type != CMI_J_OBJECT) {
		say(err, errlen, "values must be a JSON object");
		return PC_EFORMAT;
	}
	struct cmi_kv *kv = malloc((obj->count ? obj->count : 1) * sizeof *kv);
	size_t n = 0;
	if (!kv)
		return PC_ENOMEM;
	for (const struct cmi_jval *c = cmi_json_first(obj); c; c = cmi_json_next(obj, c)) {
		if (c->type != CMI_J_STRING) {
			if (err && errlen)
				snprintf(err, errlen, "%.200s: the value must be a string", c->key);
			free(kv);
			return PC_EFORMAT;
		}
		kv[n++] = (struct cmi_kv){c->key, c->str, c->len};
	}
	int rc = cmi_model_load(st, kv, n, record, err, errlen);
	free(kv);
	return rc;
}

/* Parses json into doc; a failure is "not JSON: why" in err. */
static int parse(struct cmi_json *doc, const char *json, size_t len, char *err, size_t errlen)
{
	char why[160];
	int rc = cmi_json_parse(doc, json, len, why, sizeof why);
	if (rc == PC_EFORMAT && err && errlen)
		snprintf(err, errlen, "not JSON: %s", why);
	return rc;
}

int cmi_seed_json(cmi_state *st, const char *json, size_t len, char *err, size_t errlen)
{
	PC_ASSERT(st != NULL && (json != NULL || len == 0));
	struct cmi_json doc;
	int rc = parse(&doc, json, len, err, errlen);
	if (!rc)
		rc = load_object(st, cmi_json_root(&doc), 1, err, errlen);
	cmi_json_free(&doc);
	return rc;
}

/* A non-negative integer member. */
static int get_count(const struct cmi_jval *o, const char *name, unsigned long *out)
{
	const struct cmi_jval *v = cmi_json_get(o, name);
	if (!v || v->type != CMI_J_INT || v->num < 0)
		return -1;
	*out = (unsigned long)v->num;
	return 0;
}

static int is_true(const struct cmi_jval *v) { return v && v->type == CMI_J_TRUE; }

int cmi_state_from_json(cmi_state **out, const char *json, size_t len, char *err, size_t errlen)
{
	struct cmi_json doc;
	cmi_state *st = NULL, *scratch = NULL;
	int api = -1;
	unsigned long session = 0, seq = 0, applied = 0;
	*out = NULL;
	int rc = parse(&doc, json, len, err, errlen);
	if (rc)
		goto cleanup;
	rc = PC_EFORMAT;
	const struct cmi_jval *o = cmi_json_root(&doc);
	const struct cmi_jval *fmt = cmi_json_get(o, "format"), *ver = cmi_json_get(o, "version");
	const struct cmi_jval *seed = cmi_json_get(o, "seed"), *values = cmi_json_get(o, "values");
	const struct cmi_jval *apiv = cmi_json_get(o, "api");
	scorm_version v = cmi_version_parse(ver && ver->type == CMI_J_STRING ? ver->str : NULL);
	if (!fmt || fmt->type != CMI_J_INT || fmt->num != 1) {
		say(err, errlen, "not a CMI state (format 1)");
		goto cleanup;
	}
	if (v == SCORM_UNKNOWN) {
		say(err, errlen, "unknown version");
		goto cleanup;
	}
	for (int i = 0; i < 3; i++)
		if (apiv && apiv->type == CMI_J_STRING && !strcmp(apiv->str, api_names[i]))
			api = i;
	if (api < 0 || get_count(o, "session", &session) || get_count(o, "seq", &seq) ||
	    get_count(o, "applied", &applied) || !seed || seed->type != CMI_J_OBJECT || !values ||
	    values->type != CMI_J_OBJECT) {
		say(err, errlen, "a CMI state needs api, session, seq, applied, seed and values");
		goto cleanup;
	}
	if ((rc = cmi_state_new(&st, v)) != 0)
		goto cleanup;
	/* seeds are checked on a scratch state, then kept as given */
	if ((rc = cmi_state_new(&scratch, v)) != 0 || (rc = load_object(scratch, seed, 1, err, errlen)) != 0)
		goto cleanup;
	st->seeds = scratch->seeds;
	scratch->seeds = (struct cmi_store){0}; /* now owned by st */
	if ((rc = load_object(st, values, 0, err, errlen)) != 0)
		goto cleanup;
	st->api = api;
	st->session = session;
	st->seq = seq;
	st->applied = applied;
	st->active = is_true(cmi_json_get(o, "active"));
	st->ended = is_true(cmi_json_get(o, "ended"));
	st->attempt_ended = is_true(cmi_json_get(o, "attemptEnded"));
	if (st->ended)
		cmi_report_fill(st, &st->report); /* for idempotent answers about the ended session */
	*out = st;
	st = NULL;
	rc = 0;
cleanup:
	cmi_state_free(st);
	cmi_state_free(scratch);
	cmi_json_free(&doc);
	return rc;
}

int cmi_state_relaunch(cmi_state **out, int *new_attempt, const cmi_state *st, char *err,
		       size_t errlen)
{
	PC_ASSERT(out != NULL && st != NULL);
	*out = NULL;
	buf b = BUF_INIT;
	cmi_state *next = NULL;
	int rc = cmi_state_to_json(st, &b);
	if (rc == 0)
		rc = cmi_state_from_json(&next, b.data, b.len, err, errlen);
	if (rc == 0)
		rc = cmi_session_begin(next, new_attempt);
	buf_free(&b);
	if (rc != 0) {
		cmi_state_free(next);
		return rc;
	}
	*out = next;
	return 0;
}
