/* The application context (app.h): opens the data folder and the store, loads every current
 * package version into the catalogue, starts the commit queue, and answers "which learner is
 * this request for". */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include <sodium.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "app.h"
#include "common.h"
#include "datalock.h"
#include "quota.h"

static int mkdir_p(const char *path)
{
	char tmp[4096];
	if (strlen(path) >= sizeof tmp)
		return PC_ELIMIT;
	strcpy(tmp, path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
			return PC_EIO;
		*p = '/';
	}
	if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
		return PC_EIO;
	return 0;
}

static void pkg_free_one(rt_pkg *p)
{
	if (!p)
		return;
	free(p->id);
	free(p->zip_path);
	if (p->scos)
		pkginfo_free(p);
	sco_list_free(p->scos);
	sn_tree_free(p->tree);
	free(p);
}

const rt_pkg *app_find_package(rt_app *app, const char *id)
{
	const rt_pkg *found = NULL;
	pthread_rwlock_rdlock(&app->lock);
	for (size_t i = 0; i < app->ncurrent && !found; i++)
		if (strcmp(app->current[i]->id, id) == 0)
			found = app->current[i];
	pthread_rwlock_unlock(&app->lock);
	return found;
}

const rt_pkg *app_find_version(rt_app *app, const char *hash)
{
	const rt_pkg *found = NULL;
	pthread_rwlock_rdlock(&app->lock);
	for (size_t i = 0; i < app->nall && !found; i++)
		if (strcmp(app->all[i]->hash, hash) == 0)
			found = app->all[i];
	pthread_rwlock_unlock(&app->lock);
	return found;
}

int app_packages(rt_app *app, const rt_pkg ***out, size_t *n)
{
	pthread_rwlock_rdlock(&app->lock);
	*n = app->ncurrent;
	*out = calloc(app->ncurrent ? app->ncurrent : 1, sizeof **out);
	if (*out && app->ncurrent)
		memcpy(*out, app->current, app->ncurrent * sizeof **out);
	pthread_rwlock_unlock(&app->lock);
	return *out ? 0 : PC_ENOMEM;
}

/* Publishes `p` as the current version of its package (replacing any other), lock held. */
static int publish_current(rt_app *app, rt_pkg *p)
{
	for (size_t i = 0; i < app->ncurrent; i++)
		if (strcmp(app->current[i]->id, p->id) == 0) {
			app->current[i] = p;
			return 0;
		}
	rt_pkg **c = realloc(app->current, (app->ncurrent + 1) * sizeof *c);
	if (!c)
		return PC_ENOMEM;
	app->current = c;
	app->current[app->ncurrent++] = p;
	return 0;
}

int app_load_version(rt_app *app, const char *package, const char *hash, int make_current,
		     const rt_pkg **out)
{
	if (out)
		*out = NULL;
	const rt_pkg *have = app_find_version(app, hash);
	int rc = 0;
	rt_pkg *p = NULL;
	char *manifest = NULL;
	size_t len = 0;
	if (have) {
		if (make_current) {
			pthread_rwlock_wrlock(&app->lock);
			rc = publish_current(app, (rt_pkg *)(uintptr_t)have);
			pthread_rwlock_unlock(&app->lock);
		}
		if (out)
			*out = have;
		return rc;
	}
	p = calloc(1, sizeof *p);
	if (!p || !(p->id = strdup(package))) {
		rc = PC_ENOMEM;
		goto cleanup;
	}
	memcpy(p->hash, hash, 64);
	p->hash[64] = '\0';
	origin_label(p->id, p->label);
	size_t plen = strlen(app->data_dir) + 100;
	if (!(p->zip_path = malloc(plen))) {
		rc = PC_ENOMEM;
		goto cleanup;
	}
	snprintf(p->zip_path, plen, "%s/packages/%s.zip", app->data_dir, p->hash);
	/* A node of a shared store may not have this file yet: the store has every package. */
	if (access(p->zip_path, F_OK) != 0 && app->shared_store &&
	    (rc = app_fetch_package(app, p->hash, p->zip_path)))
		goto cleanup;
	if ((rc = zipserve_add(app->zs, p->hash, p->zip_path)))
		goto cleanup;
	if ((rc = zipserve_read(app->zs, p->hash, "imsmanifest.xml", &manifest, &len)))
		goto cleanup;
	if ((rc = sco_list_parse(&p->scos, manifest, len)))
		goto cleanup;
	if ((rc = pkginfo_load(app, p)))
		goto cleanup;
	/* SCORM 2004 with sequencing (imsss:sequencing anywhere) plays under the engine; without
	 * any it keeps the package list's choice and flow, as before sequencing was wired. A
	 * manifest the engine refuses (the validator accepted it) plays by the package list, and
	 * the player says why. */
	if (p->scos->version != SCORM_12 &&
	    sn_tree_parse(&p->tree, manifest, len, NULL, p->sn_error, sizeof p->sn_error) == PC_ENOMEM) {
		rc = PC_ENOMEM;
		goto cleanup;
	}
	if (p->tree && !sn_tree_sequenced(p->tree)) {
		sn_tree_free(p->tree);
		p->tree = NULL;
	}
	pthread_rwlock_wrlock(&app->lock);
	if (app->nall == app->capall) {
		size_t cap = app->capall ? app->capall * 2 : 8;
		rt_pkg **all = realloc(app->all, cap * sizeof *all);
		if (!all) {
			pthread_rwlock_unlock(&app->lock);
			rc = PC_ENOMEM;
			goto cleanup;
		}
		app->all = all;
		app->capall = cap;
	}
	app->all[app->nall++] = p;
	if (make_current)
		rc = publish_current(app, p);
	pthread_rwlock_unlock(&app->lock);
	if (out)
		*out = p;
	p = NULL; /* now owned by app->all */
cleanup:
	free(manifest);
	pkg_free_one(p);
	return rc;
}

int app_learner_cookie(const char *cookies, char *out, size_t size)
{
	char v[65];
	if (http_cookie(cookies, "pc_learner", v, sizeof v) != 1 || !v[0] || strlen(v) >= size)
		return 0;
	for (const char *c = v; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
		      *c == '.' || *c == '_' || *c == '@' || *c == '-'))
			return 0;
	memcpy(out, v, strlen(v) + 1);
	return 1;
}

/* A direct-mapped cache of learner keys: a collision only costs a store lookup. */
#define LEARNER_CACHE 1024
struct learner_slot {
	uint64_t gen; /* app->learner_gen when filled */
	char ident[65];
	int64_t id;
};

static size_t learner_hash(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h % LEARNER_CACHE;
}

int64_t app_request_learner(rt_app *app, const http_request *req, char *ident, size_t size,
			    int create)
{
	if (app->accounts) {
		/* Team mode: the signed-in person, never anything the client names. */
		const app_session *s = req->session;
		snprintf(ident, size, "%s", s ? s->ident : "");
		return s ? s->user_id : 0;
	}
	if (!app->simulate_learners ||
	    !app_learner_cookie(http_req_header(req, "Cookie"), ident, size)) {
		snprintf(ident, size, "%s", app->learner);
		return app->learner_id;
	}
	if (strcmp(ident, app->learner) == 0)
		return app->learner_id;
	struct learner_slot *slot = &app->learner_cache[learner_hash(ident)];
	int64_t id = -1;
	pthread_mutex_lock(&app->learner_lock);
	if (slot->gen == app->learner_gen && strcmp(slot->ident, ident) == 0)
		id = slot->id;
	pthread_mutex_unlock(&app->learner_lock);
	if (id >= 0)
		return id;
	int rc = create ? app->st->ops->learner_ensure(app->st, ident, ident, &id)
			: app->st->ops->learner_find(app->st, ident, &id);
	if (rc == PC_ENOTFOUND)
		return 0;
	if (rc != 0)
		return -1;
	pthread_mutex_lock(&app->learner_lock);
	slot->gen = app->learner_gen;
	snprintf(slot->ident, sizeof slot->ident, "%s", ident);
	slot->id = id;
	pthread_mutex_unlock(&app->learner_lock);
	return id;
}

void app_store_failed(rt_app *app, int rc, const char *what, char *detail, size_t size)
{
	char why[200] = "";
	if (rc == PC_ENOSPC)
		snprintf(why, sizeof why, "%s", app->shared_store ? "no space left on the database server"
								  : "no space left on the data folder");
	else if (rc == PC_ECONFLICT)
		snprintf(why, sizeof why, "another server was writing this attempt at the same time; "
					  "send it again");
	else
		app->st->ops->last_error(app->st, why, sizeof why);
	if (!why[0])
		snprintf(why, sizeof why, "%s", pc_strerror(rc));
	snprintf(detail, size, "%s: %s", what, why);
	if (rc == PC_ECONFLICT)
		return; /* the store works: two nodes raced */
	pthread_mutex_lock(&app->health_lock);
	app->health_rc = rc;
	snprintf(app->health_why, sizeof app->health_why, "%s", why);
	pthread_mutex_unlock(&app->health_lock);
	if (app->warn) {
		char line[512];
		snprintf(line, sizeof line, "postcard: %s", detail);
		app->warn(app->log_ctx, line);
	}
}

void app_store_ok(rt_app *app)
{
	pthread_mutex_lock(&app->health_lock);
	app->health_rc = 0;
	app->health_why[0] = '\0';
	pthread_mutex_unlock(&app->health_lock);
}

/* Free space under which the data folder counts as full: SQLite needs room for a WAL frame
 * per page written and a little for the shared-memory index. */
#define HEALTH_MIN_FREE (256 * 1024)

int app_store_health(rt_app *app, char *why, size_t size)
{
	pthread_mutex_lock(&app->health_lock);
	int rc = app->health_rc;
	snprintf(why, size, "%s", app->health_why);
	pthread_mutex_unlock(&app->health_lock);
	struct statvfs vfs;
	int full = !app->shared_store && statvfs(app->data_dir, &vfs) == 0 &&
		   (unsigned long long)vfs.f_bavail * vfs.f_frsize < HEALTH_MIN_FREE;
	if (full) {
		snprintf(why, size, "no space left on the data folder");
		return PC_ENOSPC;
	}
	/* After a full disk, free space again means the next write will go through. */
	if (rc == PC_ENOSPC && !app->shared_store)
		rc = 0;
	if (rc)
		return rc;
	char reason[200] = "";
	rc = app->st->ops->check(app->st, 0, reason, sizeof reason);
	if (rc)
		snprintf(why, size, "the store does not answer: %s", reason);
	return rc;
}

int app_refresh(rt_app *app)
{
	store_version *v = NULL;
	size_t n = 0;
	int rc = app->st->ops->version_list(app->st, &v, &n);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const rt_pkg *cur = app_find_package(app, v[i].package);
		if (!cur || strcmp(cur->hash, v[i].hash) != 0)
			rc = app_load_version(app, v[i].package, v[i].hash, 1, NULL);
	}
	store_versions_free(v, n);
	return rc;
}

void app_forget(rt_app *app)
{
	commitq_forget(app->cq);
	launch_cache_clear(app->launches);
	session_cache_clear(app->sessions);
	quota_clear(app->quota);
	pthread_mutex_lock(&app->learner_lock);
	app->learner_gen++; /* every slot empty, without writing 80 KiB after each fuzz input */
	pthread_mutex_unlock(&app->learner_lock);
	atomic_ullong *counters[] = {&app->requests,	 &app->responses_2xx, &app->responses_3xx,
				     &app->responses_4xx, &app->responses_5xx, &app->commits_ok,
				     &app->commits_failed, &app->commit_batches};
	for (size_t i = 0; i < PC_ARRAY_LEN(counters); i++)
		atomic_store(counters[i], 0);
	app_store_ok(app);
}

int rt_package_check(rt_app *app, const char *id, char *out, size_t size)
{
	store_version *v = NULL;
	size_t n = 0;
	int rc = app->st->ops->version_list(app->st, &v, &n);
	if (rc)
		return rc;
	rc = PC_ENOTFOUND;
	for (size_t i = 0; i < n && rc != 1; i++)
		if (strcmp(v[i].package, id) == 0)
			rc = 1;
	for (size_t i = 0; i < n && rc == PC_ENOTFOUND; i++) {
		if (v[i].title && strcasecmp(v[i].title, id) == 0) {
			snprintf(out, size, "%s", v[i].package);
			rc = 0;
		}
	}
	store_versions_free(v, n);
	return rc;
}

int rt_app_accounts(const rt_app *app)
{
	return app->accounts;
}

void rt_preview_set(rt_app *app, const char *error, const char *warnings)
{
	pthread_mutex_lock(&app->preview_lock);
	free(app->preview_error);
	free(app->preview_warnings);
	app->preview_error = error ? strdup(error) : NULL;
	app->preview_warnings = warnings && *warnings ? strdup(warnings) : NULL;
	pthread_mutex_unlock(&app->preview_lock);
	atomic_fetch_add(&app->preview_generation, 1);
}

/* A store that opens but fails its check, or that SQLite cannot read at all: nothing is changed
 * and the operator is told what to do. */
static void damaged(const rt_app *app, const char *why, char *err, size_t errsize)
{
	snprintf(err, errsize,
		 app->shared_store ? "the database %s fails its check (%s): fix the database before "
				     "starting"
				   : "the database %s is damaged (%s). Nothing was changed. Restore it "
				     "from a backup, or save what is readable with 'sqlite3 DB .recover "
				     "| sqlite3 NEW.db' and start with --db NEW.db",
		 app->db_path, why);
}

/* A learner's stored bytes, for the quotas. */
static int app_usage(void *ctx, int64_t learner_id, int64_t *bytes)
{
	rt_app *app = ctx;
	return app->st->ops->learner_usage(app->st, learner_id, bytes);
}

int rt_app_new(rt_app **out, const rt_config *cfg, char *err, size_t errsize)
{
	PC_ASSERT(out != NULL && cfg != NULL);
	*out = NULL;
	store_version *vers = NULL;
	size_t nvers = 0;
	int rc = PC_ENOMEM;
	if (sodium_init() < 0) {
		snprintf(err, errsize, "cannot initialise libsodium");
		return PC_EIO;
	}
	rt_app *app = calloc(1, sizeof *app);
	if (!app)
		return PC_ENOMEM;
	pthread_rwlock_init(&app->lock, NULL);
	pthread_mutex_init(&app->preview_lock, NULL);
	pthread_mutex_init(&app->learner_lock, NULL);
	pthread_mutex_init(&app->health_lock, NULL);
	app->serve_lock = -1;
	int open_lock = -1;
	app->warn = cfg->warn;
	app->threads = cfg->threads;
	app->header_timeout = cfg->header_timeout;
	app->log = cfg->log;
	app->log_ctx = cfg->log_ctx;
	app->preview = cfg->preview;
	app->simulate_learners = cfg->simulate_learners;
	app->pw_cost = cfg->pw_cost;
	app->data_dir = strdup(cfg->data_dir ? cfg->data_dir : "postcard-data");
	app->learner = strdup(cfg->learner ? cfg->learner : "local");
	app->learner_name = strdup(cfg->learner_name ? cfg->learner_name : "Local learner");
	app->learner_cache = calloc(LEARNER_CACHE, sizeof *app->learner_cache);
	app->learner_gen = 1;
	if (!app->data_dir || !app->learner || !app->learner_name || !app->learner_cache ||
	    launch_cache_new(&app->launches) != 0)
		goto fail;
	if (cfg->db_path) {
		app->db_path = strdup(cfg->db_path);
	} else {
		size_t n = strlen(app->data_dir) + 16;
		if ((app->db_path = malloc(n)))
			snprintf(app->db_path, n, "%s/postcard.db", app->data_dir);
	}
	if (!app->db_path)
		goto fail;
	char pkgdir[4200];
	snprintf(pkgdir, sizeof pkgdir, "%s/packages", app->data_dir);
	if (mkdir_p(pkgdir) != 0) {
		snprintf(err, errsize, "cannot create %s", pkgdir);
		rc = PC_EIO;
		goto fail;
	}
	app->shared_store = store_is_pg(app->db_path);
	/* One process at a time opens (and maybe migrates) the store and cleans the folder. */
	if ((rc = datalock_open_begin(&open_lock, app->data_dir, err, errsize)))
		goto fail;
	if (cfg->serve && !app->shared_store && strcmp(app->db_path, ":memory:") != 0 &&
	    (rc = datalock_serve(&app->serve_lock, app->data_dir, err, errsize)))
		goto fail;
	int removed;
	datalock_clean_temp(pkgdir, &removed);
	char why[600];
	if ((rc = store_open(&app->st, app->db_path, why, sizeof why))) {
		if (rc == PC_EDAMAGED)
			damaged(app, why, err, errsize);
		else
			snprintf(err, errsize, "%s", why);
		goto fail;
	}
	if (cfg->serve && app->st->ops->check(app->st, 1, why, sizeof why) != 0) {
		damaged(app, why, err, errsize);
		rc = PC_EFORMAT;
		goto fail;
	}
	datalock_open_end(open_lock);
	open_lock = -1;
	if ((rc = zipserve_new(&app->zs, 0)))
		goto fail;
	if ((rc = origin_setup(app, cfg->public_url, cfg->content_url, err, errsize)))
		goto fail;
	/* Team mode once an account exists: then pages need a signed-in person. */
	store_user *users = NULL;
	size_t nusers = 0;
	if ((rc = app->st->ops->user_list(app->st, &users, &nusers))) {
		snprintf(err, errsize, "cannot read the accounts from %s", app->db_path);
		goto fail;
	}
	store_users_free(users, nusers);
	app->accounts = nusers > 0;
	if (app->accounts &&
	    ((rc = session_cache_new(&app->sessions)) || (rc = pwq_new(&app->pw, app->pw_cost)) ||
	     (rc = quota_new(&app->quota,
			     cfg->commits_per_minute ? cfg->commits_per_minute : RT_COMMITS_PER_MINUTE,
			     cfg->learner_bytes ? cfg->learner_bytes : RT_LEARNER_BYTES, app_usage,
			     app))))
		goto fail;
	/* import and records never write a learner (they run beside a server, or on a full disk). */
	app->learner_id = -1;
	if (!cfg->no_learner &&
	    (rc = app->st->ops->learner_ensure(app->st, app->learner, app->learner_name,
					       &app->learner_id))) {
		snprintf(err, errsize, "cannot write to %s", app->db_path);
		goto fail;
	}
	/* Launch tokens, sessions and links past their time are of no use to anyone. */
	if ((rc = app->st->ops->prune_expired(app->st, (int64_t)time(NULL)))) {
		snprintf(err, errsize, "cannot write to %s", app->db_path);
		goto fail;
	}
	if ((rc = app->st->ops->version_list(app->st, &vers, &nvers))) {
		snprintf(err, errsize, "cannot read the package list from %s", app->db_path);
		goto fail;
	}
	for (size_t i = 0; i < nvers; i++) {
		rc = app_load_version(app, vers[i].package, vers[i].hash, 1, NULL);
		if (rc) {
			snprintf(err, errsize, "cannot load package %s (%s/packages/%s.zip): %s",
				 vers[i].package, app->data_dir, vers[i].hash, pc_strerror(rc));
			goto fail;
		}
	}
	if ((rc = commitq_new(&app->cq, app))) {
		snprintf(err, errsize, "cannot start the commit queue");
		goto fail;
	}
	store_versions_free(vers, nvers);
	*out = app;
	return 0;
fail:
	datalock_open_end(open_lock);
	if (rc == PC_ENOMEM && err && !*err)
		snprintf(err, errsize, "out of memory");
	store_versions_free(vers, nvers);
	rt_app_free(app);
	return rc;
}

void rt_app_free(rt_app *app)
{
	if (!app)
		return;
	commitq_free(app->cq); /* drains: every queued commit is written first */
	store_close(app->st);
	zipserve_free(app->zs);
	for (size_t i = 0; i < app->nall; i++)
		pkg_free_one(app->all[i]);
	free(app->all);
	free(app->current);
	free(app->data_dir);
	free(app->db_path);
	free(app->learner);
	free(app->learner_name);
	free(app->preview_error);
	free(app->preview_warnings);
	pthread_rwlock_destroy(&app->lock);
	pthread_mutex_destroy(&app->preview_lock);
	pthread_mutex_destroy(&app->learner_lock);
	pthread_mutex_destroy(&app->health_lock);
	datalock_release(app->serve_lock);
	free(app->learner_cache);
	launch_cache_free(app->launches);
	pwq_free(app->pw);
	quota_free(app->quota);
	session_cache_free(app->sessions);
	free(app->public_origin);
	free(app->public_host);
	free(app->content_origin);
	free(app->content_suffix);
	free(app->csp_ancestors);
	free(app->csp_frames);
	free(app);
}
