/* The store tests: the contract (contract.c) against every back end available, then the
 * SQLite-only checks. `test_store --pg-only` runs the contract on PostgreSQL alone (the run
 * inside tests/store/pg-cluster.sh, so SQLite is not tested twice). */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends.h"

int main(int argc, char **argv)
{
	int only_pg = argc > 1 && strcmp(argv[1], "--pg-only") == 0;
	backend *b;
	size_t n = backends_get(&b, only_pg);
	if (only_pg && n == 0) {
		fprintf(stderr, "test_store: --pg-only without a PostgreSQL cluster (POSTCARD_TEST_PG)\n");
		return 1;
	}
	int failed = 0;
	struct CMUnitTest *cases = malloc(contract_ncases * sizeof *cases);
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < contract_ncases; k++) {
			cases[k] = contract_cases[k];
			cases[k].initial_state = &b[i];
		}
		char name[64];
		snprintf(name, sizeof name, "store contract: %s", b[i].name);
		failed += _cmocka_run_group_tests(name, cases, contract_ncases, NULL, NULL);
	}
	free(cases);
	if (!only_pg)
		failed += test_sqlite_only();
	backends_cleanup();
	return failed ? 1 : 0;
}
