/* What a content origin serves (origin.c): everything one launch of a package needs, each
 * request addressed by its launch token and authorised by launch_authorize:
 *   GET  /l/<token>/          the player frame: hosts the SCORM API and frames the content
 *   POST /l/<token>/launch    starts the SCO's session; answers what the adapter needs
 *   POST /l/<token>/commit    the adapter's commits
 *   POST /l/<token>/nav       a SCORM 2004 SCO's navigation request (sequencing.c)
 *   GET  /l/<token>/c/<path>  the package version's files, straight from its zip
 * plus the player frame's own scripts under /static/ (routes.c). No cookie is read here. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "cmi.h"
#include "common.h"

enum { C_GET = 1, C_POST = 2 };

typedef void (*content_fn)(rt_app *app, const http_request *req, const char *token,
			   const char *rest, http_response *resp);

static void c_frame(rt_app *app, const http_request *req, const char *token, const char *rest,
		    http_response *resp);
static void c_start(rt_app *app, const http_request *req, const char *token, const char *rest,
		    http_response *resp);
static void c_commit(rt_app *app, const http_request *req, const char *token, const char *rest,
		     http_response *resp);
static void c_file(rt_app *app, const http_request *req, const char *token, const char *rest,
		   http_response *resp);
static void c_nav(rt_app *app, const http_request *req, const char *token, const char *rest,
		  http_response *resp);

/* What follows "/l/<token>/": exact names, or a prefix ending in '/'. */
static const struct content_route {
	unsigned methods;
	const char *sub;
	content_fn handler;
	size_t max_body;
} content_routes[] = {
	{C_GET, "", c_frame, HTTP_MAX_SMALL_BODY},
	{C_POST, "launch", c_start, HTTP_MAX_SMALL_BODY},
	{C_POST, "commit", c_commit, HTTP_MAX_BODY},
	{C_POST, "nav", c_nav, HTTP_MAX_SMALL_BODY},
	{C_GET, "c/", c_file, HTTP_MAX_SMALL_BODY},
};

static const struct content_route *find(const char *sub, unsigned *allowed, unsigned method)
{
	*allowed = 0;
	for (size_t i = 0; i < PC_ARRAY_LEN(content_routes); i++) {
		const struct content_route *r = &content_routes[i];
		size_t n = strlen(r->sub);
		int hit = n && r->sub[n - 1] == '/' ? strncmp(sub, r->sub, n) == 0 : strcmp(sub, r->sub) == 0;
		if (!hit)
			continue;
		*allowed |= r->methods;
		if (r->methods & method)
			return r;
	}
	return NULL;
}

static unsigned method_of(const char *m)
{
	if (strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0)
		return C_GET;
	return strcmp(m, "POST") == 0 ? C_POST : 0;
}

size_t content_body_limit(const char *method, const char *path)
{
	char token[LAUNCH_TOKEN_LEN + 1];
	const char *sub = NULL;
	if (strncmp(path, "/l/", 3) != 0 || http_launch_target(path + 3, token, &sub) != 0)
		sub = NULL;
	unsigned allowed;
	const struct content_route *r = sub ? find(sub, &allowed, method_of(method)) : NULL;
	return r ? r->max_body : HTTP_MAX_SMALL_BODY;
}

void content_launch_route(rt_app *app, const http_request *req, http_response *resp)
{
	char token[LAUNCH_TOKEN_LEN + 1];
	const char *sub = NULL;
	if (http_launch_target(req->rest, token, &sub) != 0)
		sub = NULL;
	unsigned allowed = 0;
	const struct content_route *r = sub ? find(sub, &allowed, method_of(req->method)) : NULL;
	if (!r && !allowed) {
		http_error(resp, 404, "there is nothing at this address");
		return;
	}
	if (!r) {
		http_errorf(resp, 405, "%s is not allowed here", req->method);
		http_header_add(resp, "Allow", "%s", allowed & C_GET ? "GET, HEAD" : "POST");
		return;
	}
	if (req->body_len > r->max_body) {
		http_errorf(resp, 413, "request bodies here are limited to %zu bytes", r->max_body);
		return;
	}
	r->handler(app, req, token, sub + strlen(r->sub), resp);
}

static void esc(buf *b, const char *s)
{
	buf_put_xml(b, s ? s : "", s ? strlen(s) : 0);
}

/* The player frame: an iframe for the content and the two scripts. It is framed only by the
 * app's pages (frame-ancestors); its script starts the session (c_start). */
static void c_frame(rt_app *app, const http_request *req, const char *token, const char *rest,
		    http_response *resp)
{
	(void)rest;
	launch_grant g;
	if (launch_authorize(app, req, token, LAUNCH_FRAME, &g, resp) != 0)
		return;
	const sco_item *it = sco_list_find(g.pkg->scos, g.item);
	buf *b = &resp->body;
	buf_puts(b, "<!doctype html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	esc(b, it ? it->title : g.item);
	/* The data model is asked for while the head is read, not once frame.js runs: the preload
	 * matches the adapter's fetch (same URL, CORS mode, same-origin credentials), so it is
	 * fetched once. */
	buf_puts(b, "</title>\n<link rel=\"stylesheet\" href=\"/static/frame.css\">\n"
		    "<link rel=\"preload\" href=\"/static/cmi.wasm\" as=\"fetch\" "
		    "type=\"application/wasm\" crossorigin>\n</head>\n<body>\n"
		    "<iframe id=\"content-frame\" title=\"");
	esc(b, it ? it->title : g.item);
	buf_puts(b, "\"></iframe>\n<p id=\"frame-status\" role=\"status\"></p>\n"
		    "<script src=\"/static/scorm-api.js\"></script>\n"
		    "<script src=\"/static/frame.js\"></script>\n</body>\n</html>\n");
	resp->content_type = "text/html; charset=utf-8";
	http_header_add(resp, "Cache-Control", "no-store");
	http_header_add(resp, "X-Content-Type-Options", "nosniff");
	http_header_add(resp, "Referrer-Policy", "no-referrer");
	http_header_add(resp, "Content-Security-Policy", "frame-ancestors %s",
			origin_frame_ancestors(app));
}

/* Percent-encodes a relative URL's path characters that cannot appear raw (spaces, non-ASCII),
 * keeping '/', '?', '&', '=', '#' and '%' escapes the manifest already wrote. */
static void url_path(buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p <= 0x20 || *p >= 0x7f || *p == '"' || *p == '<' || *p == '>' || *p == '\\')
			buf_printf(b, "%%%c%c", hex[*p >> 4], hex[*p & 15]);
		else
			buf_putc(b, (char)*p);
	}
}

/* POST /l/<token>/launch: starts (or resumes) the learner's session on the SCO, binds the token
 * to it, and answers what the adapter needs. The player frame asks once it has sent what earlier
 * pages stashed, so those reach the session they belong to first. */
static void c_start(rt_app *app, const http_request *req, const char *token, const char *rest,
		    http_response *resp)
{
	(void)rest;
	launch_grant g;
	if (launch_authorize(app, req, token, LAUNCH_START, &g, resp) != 0)
		return;
	char *ident = NULL, *name = NULL;
	if (app->st->ops->learner_get(app->st, g.learner_id, &ident, &name) != 0) {
		http_error(resp, 503, "the store does not answer");
		return;
	}
	tracking_launch_result lr;
	if (tracking_launch(app, g.pkg, g.item, g.learner_id, ident, name, g.token_hash, &lr) != 0) {
		http_error(resp, lr.status ? lr.status : 500, lr.detail);
		goto cleanup;
	}
	g.pkg = lr.pkg;
	g.attempt_id = lr.attempt.id;
	g.session = lr.session;
	launch_started(app, token, &g);
	const sco_item *it = sco_list_find(lr.pkg->scos, g.item);
	buf *b = &resp->body;
	buf_printf(b, "{\"version\":\"%s\",\"session\":%lu,\"initial\":",
		   cmi_version_string(lr.pkg->scos->version), lr.session);
	buf_puts(b, lr.initial);
	buf_printf(b, ",\"commitUrl\":\"/l/%s/commit\",\"contentUrl\":", token);
	buf tmp;
	buf_init(&tmp, 0);
	buf_printf(&tmp, "/l/%s/c/", token);
	url_path(&tmp, it->href);
	buf_put_json_string(b, buf_cstr(&tmp));
	buf_free(&tmp);
	buf_puts(b, ",\"title\":");
	buf_put_json_string(b, it->title);
	buf_puts(b, ",\"item\":"); /* what the frame keeps a superseded page's changes under */
	buf_put_json_string(b, g.item);
	if (lr.valid) {
		buf_puts(b, ",\"requestValid\":");
		buf_puts(b, lr.valid);
	}
	buf_puts(b, "}");
	resp->content_type = "application/json";
	http_header_add(resp, "Cache-Control", "no-store");
	if (buf_error(b))
		http_error(resp, 500, "the launch data is too large");
cleanup:
	tracking_launch_clear(&lr);
	free(ident);
	free(name);
}

static void c_commit(rt_app *app, const http_request *req, const char *token, const char *rest,
		     http_response *resp)
{
	(void)rest;
	launch_grant g;
	if (launch_authorize(app, req, token, LAUNCH_COMMIT, &g, resp) != 0)
		return;
	commit_request(app, req, g.attempt_id, g.item, g.learner_id, resp);
}

static void c_file(rt_app *app, const http_request *req, const char *token, const char *rest,
		   http_response *resp)
{
	launch_grant g;
	if (launch_authorize(app, req, token, LAUNCH_FILES, &g, resp) != 0)
		return;
	zipserve_respond(app->zs, g.pkg->hash, rest, req, resp);
	/* Framed by its own player frame only (in an app page: frame-ancestors checks every
	 * ancestor), and never embedded by another origin. */
	http_header_add(resp, "Content-Security-Policy", "frame-ancestors 'self' %s",
			origin_frame_ancestors(app));
	http_header_add(resp, "Cross-Origin-Resource-Policy", "same-origin");
}

/* POST /l/<token>/nav: the navigation request the launch's SCO ended with (the text of its
 * adl.nav.request, e.g. "continue" or "{target=ID}choice": at most HTTP_MAX_SMALL_BODY bytes,
 * read by sn_nav_parse). It runs only while the launch's part is the current activity (else
 * nothing changes: "moved"). Answers {"outcome": "deliver"|"wait"|"ended"|"refused", "moved":
 * bool, "exception": code|null, "message": text|null}; the player then asks the app for the
 * launch that follows. */
static void c_nav(rt_app *app, const http_request *req, const char *token, const char *rest,
		  http_response *resp)
{
	(void)rest;
	launch_grant g;
	if (launch_authorize(app, req, token, LAUNCH_NAV, &g, resp) != 0)
		return;
	if (!g.pkg->tree) {
		http_error(resp, 404, "this package does not run sequencing");
		return;
	}
	char text[HTTP_MAX_SMALL_BODY + 1];
	if (!req->body_len || req->body_len >= sizeof text || memchr(req->body, 0, req->body_len)) {
		http_error(resp, 400, "the body is the navigation request, as adl.nav.request holds it");
		return;
	}
	memcpy(text, req->body, req->body_len);
	text[req->body_len] = '\0';
	char *ident = NULL, *name = NULL;
	if (app->st->ops->learner_get(app->st, g.learner_id, &ident, &name) != 0) {
		http_error(resp, 503, "the store does not answer");
		return;
	}
	seq_nav_result r;
	if (seq_navigate(app, g.pkg, g.learner_id, ident, name, g.attempt_id, NULL, text, g.item, &r) != 0) {
		http_error(resp, r.status ? r.status : 500, r.detail);
		goto cleanup;
	}
	buf *b = &resp->body;
	buf_printf(b, "{\"outcome\":\"%s\",\"moved\":%s,\"exception\":", seq_outcome_name(r.outcome),
		   r.moved ? "true" : "false");
	if (r.exception[0]) {
		buf_put_json_string(b, r.exception);
		buf_puts(b, ",\"message\":");
		buf_put_json_string(b, sn_exception_text(r.exception));
	} else {
		buf_puts(b, "null,\"message\":null");
	}
	buf_puts(b, "}");
	resp->content_type = "application/json";
	http_header_add(resp, "Cache-Control", "no-store");
cleanup:
	seq_nav_result_clear(&r);
	free(ident);
	free(name);
}
