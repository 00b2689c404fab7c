/* Commits from the browser adapter (wire format: top of runtime/web/scorm-api.js): every
 * SetValue the SCO made is replayed through the model, exactly once per journal index, so the
 * stored state is what the C rules say, whatever the browser claims. Requests may repeat
 * (retries, a pagehide beacon after a normal commit) and arrive out of order; only entries at or
 * past the number already applied change anything. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmi_int.h"
#include "cmi_json_read.h"

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

/* The start of every answer: {"result":..,"errorCode":..,"seq":..,"applied":.. (not closed). */
static void answer_head(buf *out, int result, int code, unsigned long long seq, size_t applied)
{
	buf_printf(out, "{\"result\":%s,\"errorCode\":%d,\"seq\":%llu,\"applied\":%zu",
		   result ? "true" : "false", code, seq, applied);
}

static int answer_end(buf *out)
{
	buf_putc(out, '}');
	return buf_error(out) ? PC_ENOMEM : 0;
}

/* A refusal of the whole request. `bad` says whether the body was not a commit at all. */
static int refuse(cmi_state *st, buf *out, cmi_commit_result *res, int bad, const char *why)
{
	res->error_code = commit_code(st);
	answer_head(out, 0, res->error_code, res->seq, st->applied);
	buf_puts(out, ",\"error\":");
	buf_put_json_string(out, why);
	int rc = answer_end(out);
	return rc ? rc : bad ? PC_EFORMAT : 0;
}

static int uint_member(const struct cmi_jval *o, const char *name, unsigned long long *out)
{
	const struct cmi_jval *v = cmi_json_get(o, name);
	if (!v || v->type != CMI_J_INT || v->num < 0)
		return -1;
	*out = (unsigned long long)v->num;
	return 0;
}

struct cmi_commit_req {
	struct cmi_json doc;
	int ok;        /* doc holds the body */
	char why[200]; /* when not ok: why the body is not JSON */
};

int cmi_commit_parse(cmi_commit_req **out, const char *body, size_t len)
{
	char why[160];
	cmi_commit_req *r = calloc(1, sizeof *r);
	*out = NULL;
	if (!r)
		return PC_ENOMEM;
	int rc = cmi_json_parse(&r->doc, body, len, why, sizeof why);
	if (rc == PC_ENOMEM) {
		cmi_commit_req_free(r);
		return rc;
	}
	r->ok = rc == 0;
	if (!r->ok)
		snprintf(r->why, sizeof r->why, "the body is not a JSON object: %s", why);
	*out = r;
	return 0;
}

void cmi_commit_req_free(cmi_commit_req *r)
{
	if (!r)
		return;
	cmi_json_free(&r->doc);
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

/* A change is [element, value], both strings. */
static int is_change(const struct cmi_jval *c)
{
	if (c->type != CMI_J_ARRAY || c->count != 2)
		return 0;
	const struct cmi_jval *el = cmi_json_first(c), *v = cmi_json_next(c, el);
	return el->type == CMI_J_STRING && v->type == CMI_J_STRING;
}

int cmi_commit_apply(cmi_state *st, const cmi_commit_req *req, buf *response,
		     cmi_commit_result *res)
{
	PC_ASSERT(st != NULL && req != NULL && response != NULL && res != NULL);
	const struct cmi_jval *o = req->ok ? cmi_json_root(&req->doc) : NULL;
	unsigned long long protocol, seq = 0, from, session = 0;
	buf rejected = BUF_INIT;
	int rc = 0;
	memset(res, 0, sizeof *res);
	if (!o || o->type != CMI_J_OBJECT) {
		rc = refuse(st, response, res, 1, o ? "the body is not a JSON object: another value" : req->why);
		goto cleanup;
	}
	const struct cmi_jval *changes = cmi_json_get(o, "changes"), *term = cmi_json_get(o, "terminate");
	const struct cmi_jval *version = cmi_json_get(o, "version");
	if (uint_member(o, "protocol", &protocol) || protocol != 1 || uint_member(o, "seq", &seq) ||
	    seq == 0 || uint_member(o, "from", &from) || !changes || changes->type != CMI_J_ARRAY ||
	    (term && term->type != CMI_J_TRUE && term->type != CMI_J_FALSE)) {
		res->seq = (unsigned long)seq;
		rc = refuse(st, response, res, 1,
			    "a commit needs protocol 1, seq >= 1, from >= 0, changes and a boolean terminate");
		goto cleanup;
	}
	res->seq = (unsigned long)seq;
	size_t n = changes->count;
	if (n > CMI_COMMIT_MAX_CHANGES) {
		rc = refuse(st, response, res, 1, "too many changes in one commit");
		goto cleanup;
	}
	for (const struct cmi_jval *c = cmi_json_first(changes); c; c = cmi_json_next(changes, c)) {
		if (!is_change(c)) {
			rc = refuse(st, response, res, 1, "each change is [element, value], both strings");
			goto cleanup;
		}
	}
	if (cmi_version_parse(version && version->type == CMI_J_STRING ? version->str : NULL) != st->version) {
		rc = refuse(st, response, res, 1, "the commit is for another SCORM version");
		goto cleanup;
	}
	int no_session = uint_member(o, "session", &session);
	if (no_session || session != st->session) {
		rc = refuse(st, response, res, 0, "the commit belongs to another session of this SCO");
		/* An older session: a newer launch (another tab, another device) took the SCO over.
		 * Said in the answer, so the adapter keeps the older page's changes and tells it
		 * instead of counting them as acknowledged. */
		if (rc == 0 && !no_session && session < st->session && response->len) {
			response->len--; /* reopen the answer's object */
			buf_puts(response, ",\"superseded\":true}");
			rc = buf_error(response) ? PC_ENOMEM : 0;
		}
		goto cleanup;
	}
	if (seq > st->seq)
		st->seq = (unsigned long)seq;
	if (st->ended) {
		if (from + n <= st->applied) {
			res->duplicate = 1;
			res->applied = st->applied;
			res->report = st->report;
			answer_head(response, 1, 0, seq, st->applied);
			rc = answer_end(response);
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
	const char *fn = cmi_is12(st) ? "LMSSetValue" : "SetValue";
	res->duplicate = (from + n <= st->applied);
	size_t i = 0;
	for (const struct cmi_jval *c = cmi_json_first(changes); c; c = cmi_json_next(changes, c), i++) {
		if (from + i < st->applied)
			continue;
		const struct cmi_jval *el = cmi_json_first(c), *val = cmi_json_next(c, el);
		note_row(res, el->str);
		int r = cmi_model_set(st, el->str, val->str, val->len, fn);
		if (r == PC_ENOMEM) {
			rc = r;
			goto cleanup;
		}
		if (r != 1) {
			buf_printf(&rejected, "%s{\"index\":%llu,\"element\":", res->nrejected ? "," : "", from + i);
			buf_put_json_string(&rejected, el->str);
			buf_printf(&rejected, ",\"errorCode\":%d,\"diagnostic\":", st->last_error);
			buf_put_json_string(&rejected, st->diag);
			buf_putc(&rejected, '}');
			res->nrejected++;
		}
	}
	if (buf_error(&rejected)) {
		rc = PC_ENOMEM;
		goto cleanup;
	}
	if (from + n > st->applied)
		st->applied = (size_t)(from + n);
	res->applied = st->applied;
	if (term && term->type == CMI_J_TRUE) {
		if ((rc = cmi_session_end(st, &res->report)) != 0)
			goto cleanup;
		res->terminated = 1;
	}
	res->error_code = res->nrejected ? commit_code(st) : 0;
	answer_head(response, !res->nrejected, res->error_code, seq, st->applied);
	if (res->nrejected) {
		buf_puts(response, ",\"rejected\":[");
		buf_put(response, rejected.data, rejected.len);
		buf_putc(response, ']');
	}
	rc = answer_end(response);
cleanup:
	buf_free(&rejected);
	return rc;
}
