/* records_fill DATA_DIR PACKAGE_ID LEARNER ITEMS PER_ITEM RESPONSE_LEN: gives LEARNER an attempt
 * on an imported package with ITEMS x PER_ITEM interactions whose responses are RESPONSE_LEN
 * characters, so records.test.js can list a store larger than the server's response limit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "test_server.h"

int main(int argc, char **argv)
{
	if (argc != 7) {
		fprintf(stderr, "usage: records_fill DATA_DIR PACKAGE_ID LEARNER ITEMS PER_ITEM RESPONSE_LEN\n");
		return 2;
	}
	rt_config cfg = {.data_dir = argv[1], .learner = "local"};
	char err[512] = "";
	rt_app *app = NULL;
	if (rt_app_new(&app, &cfg, err, sizeof err) != 0) {
		fprintf(stderr, "records_fill: %s\n", err);
		return 1;
	}
	store *st = app->st;
	store_version *v = NULL;
	size_t nv = 0;
	const char *hash = NULL;
	int64_t learner = 0;
	store_attempt a = {0};
	int created = 0, rc = st->ops->version_list(st, &v, &nv);
	for (size_t i = 0; !rc && i < nv; i++)
		if (strcmp(v[i].package, argv[2]) == 0)
			hash = v[i].hash;
	if (!rc && !hash)
		rc = PC_ENOTFOUND;
	if (!rc)
		rc = st->ops->learner_ensure(st, argv[3], argv[3], &learner);
	if (!rc)
		rc = st->ops->attempt_launch(st, learner, argv[2], hash, &a, &created);
	if (!rc)
		rc = test_fill_interactions(st, a.id, strtoul(argv[4], NULL, 10),
					    strtoul(argv[5], NULL, 10), strtoul(argv[6], NULL, 10));
	if (rc)
		fprintf(stderr, "records_fill: %s\n", pc_strerror(rc));
	store_attempt_clear(&a);
	store_versions_free(v, nv);
	rt_app_free(app);
	return rc ? 1 : 0;
}
