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

/* {"element": "value"} of a store, counts left out. NULL on allocation failure. */
static json_t *store_object(const struct cmi_store *s)
{
	json_t *o = json_object();
	for (size_t i = 0; o && i < s->cap; i++) {
		const struct cmi_slot *sl = &s->slots[i];
		if (!sl->key || is_count_key(sl->key, sl->klen))
			continue;
		if (json_object_set_new(o, sl->key, json_stringn(sl->val, sl->vlen)) != 0) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

/* Appends the object's JSON text with < > & U+2028 U+2029 escaped (they can only occur inside
 * strings), so the text is also safe inside an HTML <script>. */
static int dump(json_t *o, buf *out)
{
	char *text = o ? json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT) : NULL;
	json_decref(o);
	if (!text)
		return PC_ENOMEM;
	for (const char *p = text; *p; p++) {
		if (*p == '<' || *p == '>' || *p == '&')
			buf_printf(out, "\\u%04x", (unsigned)*p);
		else if ((unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 &&
			 ((unsigned char)p[2] == 0xA8 || (unsigned char)p[2] == 0xA9)) {
			buf_printf(out, "\\u%04x", (unsigned)(0x2000 + ((unsigned char)p[2] - 0x80)));
			p += 2;
		} else
			buf_putc(out, *p);
	}
	free(text);
	return buf_error(out);
}

int cmi_state_initial_json(const cmi_state *st, buf *out)
{
	return dump(store_object(&st->values), out);
}

int cmi_state_to_json(const cmi_state *st, buf *out)
{
	json_t *o = json_pack("{s:i, s:s, s:I, s:s, s:b, s:b, s:b, s:I, s:I, s:o*, s:o*}", "format", 1,
			      "version", cmi_version_string(st->version), "session",
			      (json_int_t)st->session, "api", api_names[st->api], "active", st->active,
			      "ended", st->ended, "attemptEnded", st->attempt_ended, "seq",
			      (json_int_t)st->seq, "applied", (json_int_t)st->applied, "seed",
			      store_object(&st->seeds), "values", store_object(&st->values));
	return dump(o, out);
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
