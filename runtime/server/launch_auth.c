/* Launch tokens and launch_authorize, the one place that decides what a request on a content
 * origin may do (docs/seams.md §3, §4). The app origin makes a token when a learner opens a part
 * (POST /api/launch); the player frame on the package's content origin then carries it in every
 * URL it uses. A token allows exactly one launch: starting that SCO's session once, that
 * attempt's commits (and, later, its navigation), and that package version's files, on that
 * package's origin only. Cookies are never read there.
 *
 * A token is 32 random bytes (base64url, 43 characters); the store keeps its SHA-256 only.
 * Started launches are cached in memory, so serving a package file costs a table lookup, not a
 * database read; an entry is trusted for LAUNCH_CACHE_TTL seconds, after which the store is asked
 * again (a token revoked on another node is refused within that time). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "app.h"
#include "common.h"

/* A launch stays usable this long: a learner may leave a tab open for days, and what a page
 * could not send when it went away is sent with its token by the next launch of the package. */
#define LAUNCH_TTL ((int64_t)7 * 24 * 3600)
/* Cached grants, direct-mapped by the token's hash: a collision costs a store read. */
#define LAUNCH_CACHE 1024
#define LAUNCH_CACHE_TTL 60.0

struct launch_slot {
	uint64_t gen; /* the cache's generation when filled: any other is an empty slot */
	char token[LAUNCH_TOKEN_LEN + 1];
	launch_grant g;
	int64_t expires;
	double at; /* when cached (monotonic seconds) */
};

struct launch_cache {
	pthread_mutex_t lock;
	uint64_t gen; /* from 1; a clear moves it on, which empties every slot at once */
	struct launch_slot slots[LAUNCH_CACHE];
};

static double mono(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int launch_cache_new(launch_cache **out)
{
	*out = calloc(1, sizeof **out);
	if (!*out)
		return PC_ENOMEM;
	pthread_mutex_init(&(*out)->lock, NULL);
	(*out)->gen = 1;
	return 0;
}

void launch_cache_free(launch_cache *c)
{
	if (!c)
		return;
	pthread_mutex_destroy(&c->lock);
	free(c);
}

void launch_cache_clear(launch_cache *c)
{
	/* no scan of the table (about 1 MiB): app_forget runs after every input of fuzz_request,
	 * where scanning it and the session cache cost 2% */
	pthread_mutex_lock(&c->lock);
	c->gen++;
	pthread_mutex_unlock(&c->lock);
}

static struct launch_slot *slot_of(launch_cache *c, const char *token)
{
	uint32_t h = 2166136261u; /* FNV-1a: tokens are random already */
	for (const char *s = token; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return &c->slots[h % LAUNCH_CACHE];
}

int launch_token_valid(const char *token)
{
	size_t n = strspn(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
	return n == LAUNCH_TOKEN_LEN && token[n] == '\0';
}

static void token_hash(const char *token, char out[65])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(d, (const unsigned char *)token, strlen(token));
	sodium_bin2hex(out, 65, d, sizeof d);
}

int launch_token_new(rt_app *app, int64_t learner_id, const rt_pkg *pkg, const char *item,
		     char token[LAUNCH_TOKEN_LEN + 1])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(token, LAUNCH_TOKEN_LEN + 1, raw, sizeof raw,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char hash[65];
	token_hash(token, hash);
	store_launch l = {
		.token_hash = hash,
		.learner_id = learner_id,
		.package = pkg->id,
		.item = (char *)(uintptr_t)item,
		.version_hash = (char *)(uintptr_t)pkg->hash,
		.expires = (int64_t)time(NULL) + LAUNCH_TTL,
	};
	return app->st->ops->launch_put(app->st, &l);
}

void launch_started(rt_app *app, const char *token, const launch_grant *g)
{
	struct launch_slot *s = slot_of(app->launches, token);
	pthread_mutex_lock(&app->launches->lock);
	s->gen = app->launches->gen;
	snprintf(s->token, sizeof s->token, "%s", token);
	s->g = *g;
	s->expires = (int64_t)time(NULL) + LAUNCH_TTL;
	s->at = mono();
	pthread_mutex_unlock(&app->launches->lock);
}

/* The grant of a token from the store: 0, PC_ENOTFOUND (unknown, expired, or its package
 * version is gone), or the store's error. */
static int grant_from_store(rt_app *app, const char *token, launch_grant *g, int64_t *expires)
{
	store_launch l;
	char hash[65];
	token_hash(token, hash);
	int rc = app->st->ops->launch_get(app->st, hash, &l);
	if (rc)
		return rc;
	const rt_pkg *pkg = NULL;
	if (l.expires < (int64_t)time(NULL) || strlen(l.item) >= sizeof g->item)
		rc = PC_ENOTFOUND;
	else
		rc = app_load_version(app, l.package, l.version_hash, 0, &pkg);
	if (rc == 0) {
		memset(g, 0, sizeof *g);
		g->learner_id = l.learner_id;
		g->pkg = pkg;
		memcpy(g->item, l.item, strlen(l.item) + 1);
		g->attempt_id = l.attempt_id;
		g->session = (unsigned long)l.session;
		memcpy(g->token_hash, hash, sizeof hash);
		*expires = l.expires;
	}
	store_launch_clear(&l);
	return rc;
}

int launch_authorize(rt_app *app, const http_request *req, const char *token, launch_action what,
		     launch_grant *g, http_response *resp)
{
	if (!launch_token_valid(token)) {
		http_error(resp, 404, "no such launch");
		return -1;
	}
	/* Started launches come from the cache; anything else is read fresh, so a launch cannot
	 * start twice and a node sees another node's start. */
	int found = 0;
	struct launch_slot *s = slot_of(app->launches, token);
	double now = mono();
	pthread_mutex_lock(&app->launches->lock);
	if (s->gen == app->launches->gen && strcmp(s->token, token) == 0 &&
	    now - s->at < LAUNCH_CACHE_TTL && s->expires >= (int64_t)time(NULL)) {
		*g = s->g;
		found = 1;
	}
	pthread_mutex_unlock(&app->launches->lock);
	if (!found) {
		int64_t expires;
		int rc = grant_from_store(app, token, g, &expires);
		if (rc == PC_ENOTFOUND) {
			http_error(resp, 404, "no such launch (it may have expired): open the part again");
			return -1;
		}
		if (rc) {
			http_error(resp, 503, "the store does not answer");
			return -1;
		}
		if (g->attempt_id) {
			pthread_mutex_lock(&app->launches->lock);
			s->gen = app->launches->gen;
			snprintf(s->token, sizeof s->token, "%s", token);
			s->g = *g;
			s->expires = expires;
			s->at = now;
			pthread_mutex_unlock(&app->launches->lock);
		}
	}
	/* The token belongs to its package's origin: nowhere else does it open anything. */
	if (!req->content_label || strcmp(req->content_label, g->pkg->label) != 0) {
		http_error(resp, 404, "no such launch");
		return -1;
	}
	int started = g->attempt_id != 0;
	switch (what) {
	case LAUNCH_FRAME:
		return 0;
	case LAUNCH_START:
		if (started) {
			http_error(resp, 409, "this launch has already started: open the part again");
			return -1;
		}
		return 0;
	case LAUNCH_COMMIT:
	case LAUNCH_FILES:
	case LAUNCH_NAV:
		if (!started) {
			http_error(resp, 409, "this launch has not started yet");
			return -1;
		}
		return 0;
	}
	http_error(resp, 500, "unknown launch action");
	return -1;
}
