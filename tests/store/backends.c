/* The back ends of the store contract (backends.h). */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>
#ifdef POSTCARD_WITH_PG
#include <libpq-fe.h>
#endif

#include "backends.h"
#include "fstree.h"

store *backend_open(const char *where)
{
	store *s = NULL;
	char err[512] = "";
	int rc = store_open(&s, where, err, sizeof err);
	if (rc)
		fail_msg("store_open(%s): %d %s", where, rc, err);
	return s;
}

static char *mem_fresh(backend *b)
{
	(void)b;
	return strdup(":memory:");
}

static char *file_fresh(backend *b)
{
	char path[600];
	snprintf(path, sizeof path, "%s/t%d.db", b->dir, ++b->counter);
	return strdup(path);
}

static int file_raw(backend *b, const char *where, const char *sql)
{
	(void)b;
	sqlite3 *db = NULL;
	int rc = sqlite3_open(where, &db) == SQLITE_OK &&
			 sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK
		 ? 0
		 : -1;
	sqlite3_close(db);
	return rc;
}

static void file_set_schema(backend *b, const char *where, int version)
{
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", version);
	assert_int_equal(file_raw(b, where, sql), 0);
}

#ifdef POSTCARD_WITH_PG
static int pg_raw(backend *b, const char *where, const char *sql)
{
	(void)b;
	PGconn *c = PQconnectdb(where);
	int rc = -1;
	if (PQstatus(c) == CONNECTION_OK) {
		PGresult *r = PQexec(c, sql);
		rc = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK ? 0 : -1;
		PQclear(r);
	}
	PQfinish(c);
	return rc;
}

/* A new database in the test cluster for each store. */
static char *pg_fresh(backend *b)
{
	char name[64], sql[128];
	snprintf(name, sizeof name, "contract_%ld_%d", (long)getpid(), ++b->counter);
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
	if (pg_raw(b, b->base, sql) != 0)
		fail_msg("cannot create database %s on %s", name, b->base);
	const char *slash = strrchr(b->base, '/');
	size_t keep = (size_t)(slash - b->base) + 1;
	char *url = malloc(keep + strlen(name) + 1);
	memcpy(url, b->base, keep);
	strcpy(url + keep, name);
	return url;
}

static void pg_set_schema(backend *b, const char *where, int version)
{
	char sql[96];
	snprintf(sql, sizeof sql, "UPDATE schema_version SET version = %d", version);
	assert_int_equal(pg_raw(b, where, sql), 0);
}
#endif

static backend all[3];
static size_t nall;

size_t backends_get(backend **out, int only_pg)
{
	nall = 0;
	if (!only_pg) {
		all[nall++] = (backend){.name = "sqlite-memory", .fresh = mem_fresh};
		char *dir = strdup("/tmp/postcard-store-XXXXXX");
		assert_non_null(mkdtemp(dir));
		all[nall++] = (backend){.name = "sqlite-file", .persistent = 1, .fresh = file_fresh,
					.set_schema = file_set_schema, .raw = file_raw, .dir = dir};
	}
#ifdef POSTCARD_WITH_PG
	const char *pg = getenv("POSTCARD_TEST_PG");
	if (pg && *pg)
		all[nall++] = (backend){.name = "postgresql", .persistent = 1, .fresh = pg_fresh,
					.set_schema = pg_set_schema, .raw = pg_raw, .base = pg};
#endif
	*out = all;
	return nall;
}

void backends_cleanup(void)
{
	for (size_t i = 0; i < nall; i++)
		if (all[i].dir) {
			fstree_remove(all[i].dir, NULL, 0);
			free(all[i].dir);
		}
}
