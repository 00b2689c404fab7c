/* Commits from the browser adapter (wire format: top of runtime/web/scorm-api.js): every
 * SetValue the SCO made is replayed through the model, exactly once per journal index, so the
 * stored state is what the C rules say, whatever the browser claims. Requests may repeat
 * (retries, a pagehide beacon after a normal commit) and arrive out of order; only entries at or
 * past the number already applied change anything. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cmi_int.h"

int cmi_apply_changes(cmi_state *st, const cmi_change *changes, size_t n, cmi_rejection *rejected,
		      size_t *nrejected)
{
	const char *fn = cmi_is12(st) ? "LMSSetValue" : "SetValue";
	*nrejected = 0;
	for (size_t i = 0; i < n; i++) {
		const char *el = changes[i].element ? changes[i].element : "";
		const char *v = changes[i].value ? changes[i].value : "";
		int rc = cmi_model_set(st, el, v, strlen(v), fn);
		if (rc == PC_ENOMEM)
			return rc;
		if (rc != 1)
			rejected[(*nrejected)++] = (cmi_rejection){i, st->last_error};
	}
	if (n)
		st->active = 1;
	return 0;
}

/* The commit failure code of the state's version. */
static int commit_code(const cmi_state *st) { return cmi_is12(st) ? 101 : 391; }

static int answer(json_t *o, buf *out)
{
	char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (!text)
		return PC_ENOMEM;
	int rc = buf_puts(out, text);
	free(text);
	return rc;
}

/* A refusal of the whole request. `bad` says whether the body was not a commit at all. */
static int refuse(cmi_state *st, buf *out, cmi_commit_result *res, int bad, const char *why)
{
	res->error_code = commit_code(st);
	json_t *o = json_pack("{s:b, s:i, s:I, s:I, s:s}", "result", 0, "errorCode", res->error_code,
			      "seq", (json_int_t)res->seq, "applied", (json_int_t)st->applied, "error", why);
	int rc = answer(o, out);
	return rc ? rc : bad ? PC_EFORMAT : 0;
}

static int uint_member(json_t *o, const char *name, unsigned long long *out)
{
	json_t *v = json_object_get(o, name);
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return -1;
	*out = (unsigned long long)json_integer_value(v);
	return 0;
}

struct cmi_commit_req {
	json_t *o;
	char why[200]; /* when o is NULL: why the body is not JSON */
};

int cmi_commit_parse(cmi_commit_req **out, const char *body, size_t len)
{
	json_error_t je;
	cmi_commit_req *r = calloc(1, sizeof *r);
	*out = NULL;
	if (!r)
		return PC_ENOMEM;
	r->o = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (!r->o)
		snprintf(r->why, sizeof r->why, "the body is not a JSON object: %s", je.text);
	*out = r;
	return 0;
}

void cmi_commit_req_free(cmi_commit_req *r)
{
	if (!r)
		return;
	json_decref(r->o);
	free(r);
}

/* Marks an interactions row a change touched (see cmi_commit_result.rows). */
static void note_row(cmi_commit_result *res, const char *el)
{
	if (strncmp(el, "cmi.interactions.", 17) != 0 || el[17] < '0' || el[17] > '9')
		return;
	char *end;
	unsigned long n = strtoul(el + 17, &end, 10);
	if (n < CMI_COMMIT_ROWS)
		res->rows[n / 8] |= (unsigned char)(1u << (n % 8));
	else
		res->rows_beyond = 1;
}

int cmi_commit_handle(cmi_state *st, const char *body, size_t len, buf *response,
		      cmi_commit_result *res)
{
	cmi_commit_req *r = NULL;
	int rc = cmi_commit_parse(&r, body, len);
	if (rc == 0)
		rc = cmi_commit_apply(st, r, response, res);
	cmi_commit_req_free(r);
	return rc;
}

int cmi_commit_apply(cmi_state *st, const cmi_commit_req *req, buf *response,
		     cmi_commit_result *res)
{
	json_t *o = req->o, *rejected = NULL;
	unsigned long long protocol, seq = 0, from, session;
	int rc = 0;
	memset(res, 0, sizeof *res);
	if (!json_is_object(o)) {
		rc = refuse(st, response, res, 1,
			    o ? "the body is not a JSON object: another value" : req->why);
		goto cleanup;
	}
	json_t *changes = json_object_get(o, "changes"), *term = json_object_get(o, "terminate");
	const char *version = json_string_value(json_object_get(o, "version"));
	if (uint_member(o, "protocol", &protocol) || protocol != 1 || uint_member(o, "seq", &seq) ||
	    seq == 0 || uint_member(o, "from", &from) || !json_is_array(changes) ||
	    (term && !json_is_boolean(term))) {
		res->seq = (unsigned long)seq;
		rc = refuse(st, response, res, 1,
			    "a commit needs protocol 1, seq >= 1, from >= 0, changes and a boolean terminate");
		goto cleanup;
	}
	res->seq = (unsigned long)seq;
	size_t n = json_array_size(changes);
	if (n > CMI_COMMIT_MAX_CHANGES) {
		rc = refuse(st, response, res, 1, "too many changes in one commit");
		goto cleanup;
	}
	for (size_t i = 0; i < n; i++) {
		json_t *c = json_array_get(changes, i);
		if (!json_is_array(c) || json_array_size(c) != 2 || !json_is_string(json_array_get(c, 0)) ||
		    !json_is_string(json_array_get(c, 1))) {
			rc = refuse(st, response, res, 1, "each change is [element, value], both strings");
			goto cleanup;
		}
	}
	if (cmi_version_parse(version) != st->version) {
		rc = refuse(st, response, res, 1, "the commit is for another SCORM version");
		goto cleanup;
	}
	if (uint_member(o, "session", &session) || session != st->session) {
		rc = refuse(st, response, res, 0, "the commit belongs to another session of this SCO");
		goto cleanup;
	}
	if (seq > st->seq)
		st->seq = (unsigned long)seq;
	if (st->ended) {
		if (from + n <= st->applied) {
			res->duplicate = 1;
			res->applied = st->applied;
			res->report = st->report;
			rc = answer(json_pack("{s:b, s:i, s:I, s:I}", "result", 1, "errorCode", 0, "seq",
					      (json_int_t)seq, "applied", (json_int_t)st->applied),
				    response);
		} else {
			rc = refuse(st, response, res, 0, "the session has ended");
		}
		goto cleanup;
	}
	if (from > st->applied) {
		rc = refuse(st, response, res, 0, "changes are missing before this commit: resend from applied");
		goto cleanup;
	}
	if (st->api == CMI_API_NOT_INITIALIZED)
		st->api = CMI_API_RUNNING; /* the browser initialized */
	st->active = 1;
	rejected = json_array();
	if (!rejected) {
		rc = PC_ENOMEM;
		goto cleanup;
	}
	const char *fn = cmi_is12(st) ? "LMSSetValue" : "SetValue";
	res->duplicate = (from + n <= st->applied);
	for (size_t i = (size_t)(st->applied - from); i < n; i++) {
		json_t *c = json_array_get(changes, i);
		const char *el = json_string_value(json_array_get(c, 0));
		json_t *val = json_array_get(c, 1);
		note_row(res, el);
		int r = cmi_model_set(st, el, json_string_value(val), json_string_length(val), fn);
		if (r == PC_ENOMEM) {
			rc = r;
			goto cleanup;
		}
		if (r != 1) {
			res->nrejected++;
			if (json_array_append_new(rejected, json_pack("{s:I, s:s, s:i, s:s}", "index",
								      (json_int_t)(from + i), "element", el,
								      "errorCode", st->last_error,
								      "diagnostic", st->diag)) != 0) {
				rc = PC_ENOMEM;
				goto cleanup;
			}
		}
	}
	if (from + n > st->applied)
		st->applied = (size_t)(from + n);
	res->applied = st->applied;
	if (json_is_true(term)) {
		if ((rc = cmi_session_end(st, &res->report)) != 0)
			goto cleanup;
		res->terminated = 1;
	}
	res->error_code = res->nrejected ? commit_code(st) : 0;
	json_t *a = json_pack("{s:b, s:i, s:I, s:I}", "result", !res->nrejected, "errorCode",
			      res->error_code, "seq", (json_int_t)seq, "applied", (json_int_t)st->applied);
	if (a && res->nrejected) {
		json_object_set(a, "rejected", rejected);
	}
	rc = answer(a, response);
cleanup:
	json_decref(rejected);
	return rc;
}
