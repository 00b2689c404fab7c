/* Server-side sessions (team mode). Signing in makes a random token (32 bytes): the browser keeps
 * it in an HttpOnly, SameSite=Lax cookie (Secure and __Host- prefixed over https, so a content
 * origin can neither read nor plant it), the store keeps its SHA-256 with the person and a
 * per-session CSRF token that every form and script of the app sends back. A session lasts
 * SESSION_TTL from sign-in and is never extended, so a request never writes to learn who it is.
 * Sessions looked up are cached in memory for SESSION_CACHE_TTL seconds (the store is asked again
 * after, so a sign-out or an erasure on another node is seen within that time). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "app.h"
#include "common.h"

#define SESSION_CACHE 1024
#define SESSION_CACHE_TTL 30.0

struct session_slot {
	uint64_t gen; /* as in launch_auth.c's cache */
	char token_hash[65];
	app_session s;
	int64_t expires;
	double at;
};

struct session_cache {
	pthread_mutex_t lock;
	uint64_t gen; /* from 1; a clear moves it on */
	struct session_slot slots[SESSION_CACHE];
};

static double mono(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int session_cache_new(session_cache **out)
{
	*out = calloc(1, sizeof **out);
	if (!*out)
		return PC_ENOMEM;
	pthread_mutex_init(&(*out)->lock, NULL);
	(*out)->gen = 1;
	return 0;
}

void session_cache_free(session_cache *c)
{
	if (!c)
		return;
	pthread_mutex_destroy(&c->lock);
	free(c);
}

void session_cache_clear(session_cache *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	c->gen++; /* every slot empty at once (see launch_cache_clear) */
	pthread_mutex_unlock(&c->lock);
}

static struct session_slot *slot_of(session_cache *c, const char *hash)
{
	/* The hash is random already: its first bytes pick the slot. */
	unsigned v = 0;
	for (int i = 0; i < 6; i++)
		v = v * 16 + (unsigned)(hash[i] <= '9' ? hash[i] - '0' : hash[i] - 'a' + 10);
	return &c->slots[v % SESSION_CACHE];
}

const char *session_cookie_name(const rt_app *app)
{
	return app->https ? "__Host-pc_session" : "pc_session";
}

/* Reads the session row and its person from the store: 1, 0 (none), -1 (store error). */
static int from_store(rt_app *app, const char *hash, app_session *out, int64_t *expires)
{
	int64_t uid;
	char *csrf = NULL;
	int rc = app->st->ops->session_get(app->st, hash, &uid, &csrf, expires);
	if (rc == PC_ENOTFOUND)
		return 0;
	if (rc)
		return -1;
	store_user u;
	rc = app->st->ops->user_get(app->st, uid, NULL, &u);
	if (rc == 0 && u.email) {
		memset(out, 0, sizeof *out);
		out->user_id = uid;
		int role = accounts_role(u.role);
		out->role = role < 0 ? ROLE_LEARNER : (app_role)role;
		snprintf(out->ident, sizeof out->ident, "%s", u.ident);
		snprintf(out->email, sizeof out->email, "%s", u.email);
		snprintf(out->name, sizeof out->name, "%s", u.name);
		snprintf(out->csrf, sizeof out->csrf, "%s", csrf);
		memcpy(out->token_hash, hash, 65);
	}
	int found = rc == 0 && u.email;
	free(csrf);
	store_user_clear(&u);
	if (rc == PC_ENOTFOUND || (rc == 0 && !found))
		return 0; /* the person is gone, or is no account */
	return rc ? -1 : 1;
}

int session_of(rt_app *app, const http_request *req, app_session *out)
{
	char token[HTTP_TOKEN_LEN + 2], hash[65];
	if (http_cookie(http_req_header(req, "Cookie"), session_cookie_name(app), token,
			sizeof token) != 1 ||
	    strlen(token) != HTTP_TOKEN_LEN)
		return 0;
	accounts_token_hash(token, hash);
	int64_t now = (int64_t)time(NULL);
	struct session_slot *slot = slot_of(app->sessions, hash);
	double m = mono();
	int found = 0;
	pthread_mutex_lock(&app->sessions->lock);
	if (slot->gen == app->sessions->gen && strcmp(slot->token_hash, hash) == 0 &&
	    m - slot->at < SESSION_CACHE_TTL && slot->expires > now) {
		*out = slot->s;
		found = 1;
	}
	pthread_mutex_unlock(&app->sessions->lock);
	if (found)
		return 1;
	int64_t expires = 0;
	int rc = from_store(app, hash, out, &expires);
	if (rc != 1)
		return rc;
	if (expires <= now)
		return 0;
	pthread_mutex_lock(&app->sessions->lock);
	slot->gen = app->sessions->gen;
	memcpy(slot->token_hash, hash, 65);
	slot->s = *out;
	slot->expires = expires;
	slot->at = m;
	pthread_mutex_unlock(&app->sessions->lock);
	return 1;
}

int session_start(rt_app *app, int64_t user_id, http_response *resp)
{
	char token[HTTP_TOKEN_LEN + 1], hash[65], csrf[HTTP_TOKEN_LEN + 1];
	accounts_token(token, hash);
	accounts_token(csrf, NULL);
	int rc = app->st->ops->session_put(app->st, hash, user_id, csrf,
					   (int64_t)time(NULL) + SESSION_TTL);
	if (rc)
		return rc;
	http_header_add(resp, "Set-Cookie", "%s=%s; Path=/; Max-Age=%lld; HttpOnly; SameSite=Lax%s",
			session_cookie_name(app), token, (long long)SESSION_TTL,
			app->https ? "; Secure" : "");
	return 0;
}

void session_end(rt_app *app, const http_request *req, http_response *resp)
{
	if (req->session) {
		app->st->ops->session_delete(app->st, req->session->token_hash, 0);
		struct session_slot *slot = slot_of(app->sessions, req->session->token_hash);
		pthread_mutex_lock(&app->sessions->lock);
		if (strcmp(slot->token_hash, req->session->token_hash) == 0)
			memset(slot, 0, sizeof *slot);
		pthread_mutex_unlock(&app->sessions->lock);
	}
	http_header_add(resp, "Set-Cookie", "%s=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax%s",
			session_cookie_name(app), app->https ? "; Secure" : "");
}

int session_csrf_ok(const app_session *s, const http_request *req)
{
	char got[HTTP_TOKEN_LEN + 2] = "";
	const char *h = http_req_header(req, "X-CSRF-Token");
	if (h && strlen(h) < sizeof got)
		snprintf(got, sizeof got, "%s", h);
	else if (http_form_field(req->body, req->body_len, "csrf", got, sizeof got) != 1)
		return 0;
	return strlen(got) == HTTP_TOKEN_LEN && s->csrf[0] &&
	       sodium_memcmp(got, s->csrf, HTTP_TOKEN_LEN) == 0;
}
