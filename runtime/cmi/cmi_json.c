/* A CMI state as JSON (jansson): the stored form the server keeps per SCO attempt, the flat
 * `initial` object the browser adapter starts from, and loading both back. Loading re-checks
 * every value through the model, so a stored state cannot smuggle in what SetValue refuses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmi_int.h"

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

int cmi_seed_json(cmi_state *st, const char *json, size_t len, char *err, size_t errlen)
{
	json_error_t je;
	json_t *o = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
	if (!o) {
		if (err && errlen)
			snprintf(err, errlen, "not JSON: %s (line %d)", je.text, je.line);
		return PC_EFORMAT;
	}
	int rc = cmi_model_load(st, o, 1, err, errlen);
	json_decref(o);
	return rc;
}

static int get_count(json_t *o, const char *name, unsigned long *out)
{
	json_t *v = json_object_get(o, name);
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return -1;
	*out = (unsigned long)json_integer_value(v);
	return 0;
}

int cmi_state_from_json(cmi_state **out, const char *json, size_t len, char *err, size_t errlen)
{
	json_error_t je;
	cmi_state *st = NULL, *scratch = NULL;
	int rc = PC_EFORMAT, api = -1;
	unsigned long session = 0, seq = 0, applied = 0;
	*out = NULL;
	json_t *o = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
	if (!o) {
		if (err && errlen)
			snprintf(err, errlen, "not JSON: %s (line %d)", je.text, je.line);
		return PC_EFORMAT;
	}
	json_t *fmt = json_object_get(o, "format"), *ver = json_object_get(o, "version");
	json_t *seed = json_object_get(o, "seed"), *values = json_object_get(o, "values");
	json_t *apiv = json_object_get(o, "api");
	scorm_version v = cmi_version_parse(json_string_value(ver));
	if (!json_is_integer(fmt) || json_integer_value(fmt) != 1) {
		say(err, errlen, "not a CMI state (format 1)");
		goto cleanup;
	}
	if (v == SCORM_UNKNOWN) {
		say(err, errlen, "unknown version");
		goto cleanup;
	}
	for (int i = 0; i < 3; i++)
		if (json_is_string(apiv) && !strcmp(json_string_value(apiv), api_names[i]))
			api = i;
	if (api < 0 || get_count(o, "session", &session) || get_count(o, "seq", &seq) ||
	    get_count(o, "applied", &applied) || !json_is_object(seed) || !json_is_object(values)) {
		say(err, errlen, "a CMI state needs api, session, seq, applied, seed and values");
		goto cleanup;
	}
	if ((rc = cmi_state_new(&st, v)) != 0)
		goto cleanup;
	/* seeds are checked on a scratch state, then kept as given */
	if ((rc = cmi_state_new(&scratch, v)) != 0 || (rc = cmi_model_load(scratch, seed, 1, err, errlen)) != 0)
		goto cleanup;
	st->seeds = scratch->seeds;
	scratch->seeds = (struct cmi_store){0}; /* now owned by st */
	if ((rc = cmi_model_load(st, values, 0, err, errlen)) != 0)
		goto cleanup;
	st->api = api;
	st->session = session;
	st->seq = seq;
	st->applied = applied;
	st->active = json_is_true(json_object_get(o, "active"));
	st->ended = json_is_true(json_object_get(o, "ended"));
	st->attempt_ended = json_is_true(json_object_get(o, "attemptEnded"));
	if (st->ended)
		cmi_report_fill(st, &st->report); /* for idempotent answers about the ended session */
	*out = st;
	st = NULL;
	rc = 0;
cleanup:
	cmi_state_free(st);
	cmi_state_free(scratch);
	json_decref(o);
	return rc;
}
