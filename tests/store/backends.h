/* The back ends the store contract runs against: SQLite in memory, SQLite in a file, and
 * PostgreSQL when a cluster is up (POSTCARD_TEST_PG, set by tests/store/pg-cluster.sh). Each
 * gives fresh, empty stores by name, so a case can open the same store twice (two nodes, or a
 * restart). */
#ifndef TEST_STORE_BACKENDS_H
#define TEST_STORE_BACKENDS_H

#include "store.h"

typedef struct backend {
	const char *name;
	int persistent; /* reopening a location finds what was written (not :memory:) */
	/* A location (path or URL) of a new, empty store; the caller frees it. */
	char *(*fresh)(struct backend *b);
	/* Sets the stored schema version behind the store's back (a newer binary's store). */
	void (*set_schema)(struct backend *b, const char *where, int version);
	/* Runs raw SQL on the store behind its back; returns 0 when the statement succeeded. */
	int (*raw)(struct backend *b, const char *where, const char *sql);
	char *dir; /* scratch folder (SQLite files) */
	const char *base; /* PostgreSQL: the cluster's maintenance database URL */
	int counter;
} backend;

/* The back ends available in this run (PostgreSQL only when POSTCARD_TEST_PG is set, and then
 * `only_pg` leaves out the others). */
size_t backends_get(backend **out, int only_pg);
void backends_cleanup(void);

/* Opens the store at `where`, failing the test when it cannot. */
store *backend_open(const char *where);

/* Contract cases (contract.c), each run with the backend as its state. */
extern const struct CMUnitTest contract_cases[];
extern const size_t contract_ncases;

/* Sequencing's cases (contract_seq.c), listed in contract_cases. */
void seq_state_fenced_and_reported(void **state);
void seq_globals_per_learner(void **state);
void seq_batches_nodes_and_restarts(void **state);

/* SQLite only (sqlite_only.c): WAL, the schema version in user_version, migration from schema 1. */
int test_sqlite_only(void);

#endif
