/* Signing in and out (team mode), and the one-time links with which a person sets their password
 * (an invitation, or a reset an admin made). Passwords are checked and hashed on the password
 * thread (pwq.c): the request is parked meanwhile, so the server's threads keep serving.
 *
 * Sign-in attempts are limited (the store's throttle, shared by every node): LOGIN_EMAIL_MAX
 * failures per email address and LOGIN_ADDRESS_MAX per client address in LOGIN_WINDOW seconds;
 * past either the form answers 429 without checking the password. The same limits and the same
 * messages apply whether or not an account exists, so the answers do not tell which addresses
 * have one. The forms carry a token that must match a cookie of this site (double submit), on
 * top of the Fetch Metadata and Origin checks every write gets (routes.c). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "common.h"

#define LOGIN_WINDOW 900     /* 15 minutes */
#define LOGIN_EMAIL_MAX 5    /* failures per email address in the window */
#define LOGIN_ADDRESS_MAX 30 /* failures per client address in the window (a shared office) */
#define LOGIN_COOKIE "pc_form"

/* The client address for throttling: the peer, or behind a proxy on this machine (team mode
 * with a public address) the X-Real-IP it sets. */
static void client_key(const rt_app *app, const http_request *req, char *out, size_t size)
{
	char addr[INET6_ADDRSTRLEN] = "unknown";
	const struct sockaddr *sa = req->peer;
	int loopback = 1;
	if (sa && sa->sa_family == AF_INET) {
		const struct sockaddr_in *v4 = (const struct sockaddr_in *)(const void *)sa;
		inet_ntop(AF_INET, &v4->sin_addr, addr, sizeof addr);
		loopback = (ntohl(v4->sin_addr.s_addr) >> 24) == 127;
	} else if (sa && sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)(const void *)sa;
		inet_ntop(AF_INET6, &v6->sin6_addr, addr, sizeof addr);
		loopback = IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr);
	}
	const char *real = http_req_header(req, "X-Real-IP");
	if (app->public_origin && loopback && real && strlen(real) < 64 &&
	    strspn(real, "0123456789abcdefABCDEF.:") == strlen(real))
		snprintf(out, size, "address:%s", real);
	else
		snprintf(out, size, "address:%s", addr);
}

/* A safe place to go after signing in: a path of this site ("/..." but not "//..."). */
static void safe_next(const char *in, char *out, size_t size)
{
	if (in[0] == '/' && in[1] != '/' && in[1] != '\\' && !strpbrk(in, "\r\n") && strlen(in) < size)
		snprintf(out, size, "%s", in);
	else
		snprintf(out, size, "/");
}

/* The form token: a cookie of this site and the same value in the form (double submit). A new
 * one per form shown; reading it back needs both. */
static void form_token(rt_app *app, http_response *resp, char token[HTTP_TOKEN_LEN + 1])
{
	accounts_token(token, NULL);
	http_header_add(resp, "Set-Cookie", "%s=%s; Path=/; HttpOnly; SameSite=Strict%s",
			LOGIN_COOKIE, token, app->https ? "; Secure" : "");
}

static int form_token_ok(const http_request *req)
{
	char cookie[HTTP_TOKEN_LEN + 2], field[HTTP_TOKEN_LEN + 2];
	return http_cookie(http_req_header(req, "Cookie"), LOGIN_COOKIE, cookie, sizeof cookie) == 1 &&
	       http_form_field(req->body, req->body_len, "form", field, sizeof field) == 1 &&
	       strlen(cookie) == HTTP_TOKEN_LEN && strcmp(cookie, field) == 0;
}

static void sign_in_page(rt_app *app, http_response *resp, int status, const char *error,
			 const char *email, const char *next)
{
	char token[HTTP_TOKEN_LEN + 1];
	buf *b = &resp->body;
	buf_reset(b);
	resp->status = status;
	form_token(app, resp, token);
	layout_head(app, NULL, b, "Sign in", NAV_NONE, "login");
	buf_puts(b, "<main id=\"main\">\n<h1>Sign in</h1>\n");
	if (error) {
		buf_puts(b, "<div class=\"error-summary\" role=\"alert\"><p>");
		html_text(b, error);
		buf_puts(b, "</p></div>\n");
	}
	buf_printf(b, "<form class=\"form\" method=\"post\" action=\"/login\">\n"
		      "<input type=\"hidden\" name=\"form\" value=\"%s\">\n"
		      "<input type=\"hidden\" name=\"next\" value=\"",
		   token);
	html_text(b, next);
	buf_puts(b, "\">\n<div class=\"field\"><label for=\"email\">Email address</label>\n"
		    "<input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\" "
		    "spellcheck=\"false\" required value=\"");
	html_text(b, email ? email : "");
	buf_puts(b, "\"></div>\n<div class=\"field\"><label for=\"password\">Password</label>\n"
		    "<input id=\"password\" name=\"password\" type=\"password\" "
		    "autocomplete=\"current-password\" required></div>\n"
		    "<button type=\"submit\" class=\"button\">Sign in</button>\n</form>\n"
		    "<p>Forgotten your password, or no account yet? Ask an administrator of this site "
		    "for a link to set one.</p>\n</main>\n");
	layout_foot(app, b);
	layout_finish(app, resp);
}

void page_login(rt_app *app, const http_request *req, http_response *resp)
{
	char next[512] = "/", raw[512];
	if (http_query_param(req, "next", raw, sizeof raw))
		safe_next(raw, next, sizeof next);
	if (req->session) {
		resp->status = 303;
		http_header_add(resp, "Location", "%s", next);
		return;
	}
	sign_in_page(app, resp, 200, NULL, NULL, next);
}

/* A sign-in parked on the password thread. */
typedef struct login_wait {
	http_deferred base;
	rt_app *app;
	pw_job job;
	int64_t user_id;
	char email[ACCOUNTS_EMAIL_MAX + 1], next[512], address[80], email_key[ACCOUNTS_EMAIL_MAX + 8];
} login_wait;

static void login_answer(login_wait *w, http_response *resp)
{
	rt_app *app = w->app;
	int64_t now = (int64_t)time(NULL), count;
	if (w->job.ok && w->user_id) {
		app->st->ops->throttle_clear(app->st, w->email_key);
		if (session_start(app, w->user_id, resp) != 0) {
			http_error(resp, 503, "the store does not answer");
			return;
		}
		resp->status = 303;
		http_header_add(resp, "Location", "%s", w->next);
		return;
	}
	app->st->ops->throttle_hit(app->st, w->email_key, now, LOGIN_WINDOW, &count);
	app->st->ops->throttle_hit(app->st, w->address, now, LOGIN_WINDOW, &count);
	sign_in_page(app, resp, 401, "The email address or the password is not right.", w->email,
		     w->next);
}

static void login_start(http_deferred *d, void (*done)(void *), void *ctx)
{
	login_wait *w = (login_wait *)d;
	w->job.notify = done;
	w->job.notify_ctx = ctx;
	if (pwq_submit(w->app->pw, &w->job) != 0)
		done(ctx); /* full: answered 503 in finish */
}

static void login_finish(http_deferred *d, http_response *resp)
{
	login_wait *w = (login_wait *)d;
	if (!w->job.done) {
		http_error(resp, 503, "too many sign-ins at once; try again in a moment");
		http_header_add(resp, "Retry-After", "1");
	} else {
		login_answer(w, resp);
	}
	free(w);
}

void page_login_post(rt_app *app, const http_request *req, http_response *resp)
{
	char raw_email[ACCOUNTS_EMAIL_MAX + 16], raw_next[512];
	login_wait *w = calloc(1, sizeof *w);
	if (!w) {
		http_error(resp, 503, "out of memory");
		return;
	}
	w->base.start = login_start;
	w->base.finish = login_finish;
	w->app = app;
	w->job.kind = PW_VERIFY;
	if (http_form_field(req->body, req->body_len, "next", raw_next, sizeof raw_next) != 1)
		raw_next[0] = '\0';
	safe_next(raw_next, w->next, sizeof w->next);
	if (!form_token_ok(req)) {
		sign_in_page(app, resp, 403, "This form has expired: please sign in again.", NULL, w->next);
		free(w);
		return;
	}
	int got_email = http_form_field(req->body, req->body_len, "email", raw_email, sizeof raw_email);
	int got_pw = http_form_field(req->body, req->body_len, "password", w->job.password,
				     sizeof w->job.password);
	if (got_email != 1 || got_pw != 1 || accounts_email(raw_email, w->email, sizeof w->email) != 0) {
		sign_in_page(app, resp, 400, "Enter your email address and your password.",
			     got_email == 1 ? raw_email : NULL, w->next);
		free(w);
		return;
	}
	/* Limits first, before any work on the password. */
	int64_t now = (int64_t)time(NULL), by_address = 0, by_email = 0;
	client_key(app, req, w->address, sizeof w->address);
	snprintf(w->email_key, sizeof w->email_key, "email:%s", w->email);
	if (app->st->ops->throttle_count(app->st, w->address, now, LOGIN_WINDOW, &by_address) != 0 ||
	    app->st->ops->throttle_count(app->st, w->email_key, now, LOGIN_WINDOW, &by_email) != 0) {
		http_error(resp, 503, "the store does not answer");
		free(w);
		return;
	}
	if (by_email >= LOGIN_EMAIL_MAX || by_address >= LOGIN_ADDRESS_MAX) {
		sign_in_page(app, resp, 429,
			     by_email >= LOGIN_EMAIL_MAX
				     ? "Too many failed sign-ins for this email address. Wait 15 minutes, "
				       "or ask an administrator for a link to set a new password."
				     : "Too many failed sign-ins from your network. Wait 15 minutes.",
			     w->email, w->next);
		http_header_add(resp, "Retry-After", "%d", LOGIN_WINDOW);
		free(w);
		return;
	}
	store_user u;
	if (app->st->ops->user_get(app->st, 0, w->email, &u) == 0) {
		w->user_id = u.id;
		snprintf(w->job.hash, sizeof w->job.hash, "%s", u.password_hash ? u.password_hash : "");
		store_user_clear(&u);
	}
	if (req->can_defer) {
		resp->deferred = &w->base;
		return;
	}
	if (pwq_submit(app->pw, &w->job) != 0)
		w->job.done = 0;
	login_finish(&w->base, resp);
}

void page_logout(rt_app *app, const http_request *req, http_response *resp)
{
	session_end(app, req, resp);
	resp->status = 303;
	http_header_add(resp, "Location", "/login");
}

/* ---- One-time links: /invite/<token> -------------------------------------------------------- */

/* The person a link is for: 1 with *u filled (the caller clears it), 0 when the link is unknown,
 * used or expired, -1 when the store does not answer. */
static int link_person(rt_app *app, const char *rest, char hash[65], store_user *u)
{
	if (strlen(rest) != HTTP_TOKEN_LEN ||
	    strspn(rest, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") !=
		    HTTP_TOKEN_LEN)
		return 0;
	accounts_token_hash(rest, hash);
	int64_t uid, expires;
	int rc = app->st->ops->invite_get(app->st, hash, &uid, &expires);
	if (rc == PC_ENOTFOUND || (rc == 0 && expires < (int64_t)time(NULL)))
		return 0;
	if (rc)
		return -1;
	rc = app->st->ops->user_get(app->st, uid, NULL, u);
	return rc == 0 ? 1 : rc == PC_ENOTFOUND ? 0 : -1;
}

static void link_page(rt_app *app, const http_request *req, http_response *resp, int status,
		      const store_user *u, const char *error)
{
	char token[HTTP_TOKEN_LEN + 1];
	buf *b = &resp->body;
	buf_reset(b);
	resp->status = status;
	form_token(app, resp, token);
	layout_head(app, NULL, b, "Set your password", NAV_NONE, "login");
	buf_puts(b, "<main id=\"main\">\n<h1>Set your password</h1>\n");
	if (error) {
		buf_puts(b, "<div class=\"error-summary\" role=\"alert\"><p>");
		html_text(b, error);
		buf_puts(b, "</p></div>\n");
	}
	buf_puts(b, "<p>For <strong>");
	html_text(b, u->name);
	buf_puts(b, "</strong> (");
	html_text(b, u->email);
	buf_printf(b, "). Choose a password of at least %d characters; a few unrelated words make a "
		      "good one.</p>\n<form class=\"form\" method=\"post\" action=\"/invite/",
		   ACCOUNTS_PASSWORD_MIN);
	buf_puts(b, req->rest);
	buf_printf(b, "\">\n<input type=\"hidden\" name=\"form\" value=\"%s\">\n"
		      "<input type=\"hidden\" name=\"email\" autocomplete=\"username\" value=\"",
		   token);
	html_text(b, u->email);
	buf_puts(b, "\">\n<div class=\"field\"><label for=\"password\">New password</label>\n"
		    "<input id=\"password\" name=\"password\" type=\"password\" "
		    "autocomplete=\"new-password\" required minlength=\"10\"></div>\n"
		    "<div class=\"field\"><label for=\"again\">The same password again</label>\n"
		    "<input id=\"again\" name=\"again\" type=\"password\" autocomplete=\"new-password\" "
		    "required></div>\n<button type=\"submit\" class=\"button\">Set password and sign "
		    "in</button>\n</form>\n</main>\n");
	layout_foot(app, b);
	layout_finish(app, resp);
}

static void link_gone(rt_app *app, http_response *resp)
{
	buf *b = &resp->body;
	buf_reset(b);
	resp->status = 404;
	layout_head(app, NULL, b, "This link cannot be used", NAV_NONE, "login");
	buf_puts(b, "<main id=\"main\">\n<h1>This link cannot be used</h1>\n<p>It has been used "
		    "already, or it is more than a week old. Ask an administrator for a new one, or "
		    "<a href=\"/login\">sign in</a>.</p>\n</main>\n");
	layout_foot(app, b);
	layout_finish(app, resp);
}

void page_invite(rt_app *app, const http_request *req, http_response *resp)
{
	char hash[65];
	store_user u;
	int rc = link_person(app, req->rest, hash, &u);
	if (rc < 0) {
		http_error(resp, 503, "the store does not answer");
		return;
	}
	if (rc == 0) {
		link_gone(app, resp);
		return;
	}
	link_page(app, req, resp, 200, &u, NULL);
	store_user_clear(&u);
}

typedef struct link_wait {
	http_deferred base;
	rt_app *app;
	pw_job job;
	int64_t user_id;
	char hash[65], email[ACCOUNTS_EMAIL_MAX + 1];
} link_wait;

static void link_start(http_deferred *d, void (*done)(void *), void *ctx)
{
	link_wait *w = (link_wait *)d;
	w->job.notify = done;
	w->job.notify_ctx = ctx;
	if (pwq_submit(w->app->pw, &w->job) != 0)
		done(ctx);
}

static void link_finish(http_deferred *d, http_response *resp)
{
	link_wait *w = (link_wait *)d;
	rt_app *app = w->app;
	if (!w->job.done || !w->job.ok) {
		http_error(resp, 503, "too many sign-ins at once; try again in a moment");
		http_header_add(resp, "Retry-After", "1");
		free(w);
		return;
	}
	/* The link is used up, and every other session of the person ends (a reset). */
	int rc = app->st->ops->user_update(app->st, w->user_id, w->job.hash, NULL, NULL);
	if (rc == 0)
		rc = app->st->ops->invite_delete(app->st, w->hash, 0);
	if (rc == 0)
		rc = app->st->ops->session_delete(app->st, NULL, w->user_id);
	if (rc == 0)
		rc = app->st->ops->audit_add(app->st, w->email, "password set", w->email, "one-time link");
	session_cache_clear(app->sessions);
	if (rc == 0)
		rc = session_start(app, w->user_id, resp);
	if (rc) {
		http_error(resp, 503, "the store does not answer");
	} else {
		resp->status = 303;
		http_header_add(resp, "Location", "/");
	}
	free(w);
}

void page_invite_post(rt_app *app, const http_request *req, http_response *resp)
{
	char again[ACCOUNTS_PASSWORD_MAX + 1];
	store_user u;
	link_wait *w = calloc(1, sizeof *w);
	if (!w) {
		http_error(resp, 503, "out of memory");
		return;
	}
	int rc = link_person(app, req->rest, w->hash, &u);
	if (rc <= 0) {
		free(w);
		if (rc < 0)
			http_error(resp, 503, "the store does not answer");
		else
			link_gone(app, resp);
		return;
	}
	const char *problem = NULL;
	if (!form_token_ok(req))
		problem = "This form has expired: please enter the password again.";
	else if (http_form_field(req->body, req->body_len, "password", w->job.password,
				 sizeof w->job.password) != 1 ||
		 http_form_field(req->body, req->body_len, "again", again, sizeof again) != 1)
		problem = "Enter the password twice.";
	else if ((problem = accounts_password_problem(w->job.password)) != NULL)
		;
	else if (strcmp(w->job.password, again) != 0)
		problem = "The two passwords are not the same.";
	if (problem) {
		link_page(app, req, resp, 400, &u, problem);
		store_user_clear(&u);
		free(w);
		return;
	}
	w->base.start = link_start;
	w->base.finish = link_finish;
	w->app = app;
	w->job.kind = PW_HASH;
	w->user_id = u.id;
	snprintf(w->email, sizeof w->email, "%s", u.email);
	store_user_clear(&u);
	if (req->can_defer) {
		resp->deferred = &w->base;
		return;
	}
	if (pwq_submit(app->pw, &w->job) != 0)
		w->job.done = 0;
	link_finish(&w->base, resp);
}
