/* store_sqlite_accounts.c: the team-mode operations of the store (launch tokens, learners looked
 * up without being created), on :memory: and on a file. */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_server.h"

static store *open_at(const char *path)
{
	store *s = NULL;
	char err[256];
	assert_int_equal(store_sqlite_open(&s, path, err, sizeof err), 0);
	return s;
}

static void learners_found_not_made(void **state)
{
	(void)state;
	store *s = open_at(":memory:");
	int64_t id = 0, found = 0;
	assert_int_equal(s->ops->learner_find(s, "ann", &found), PC_ENOTFOUND);
	assert_int_equal(s->ops->learner_ensure(s, "ann", "Ann Example", &id), 0);
	assert_int_equal(s->ops->learner_find(s, "ann", &found), 0);
	assert_int_equal(found, id);
	char *ident = NULL, *name = NULL;
	assert_int_equal(s->ops->learner_get(s, id, &ident, &name), 0);
	assert_string_equal(ident, "ann");
	assert_string_equal(name, "Ann Example");
	free(ident);
	free(name);
	assert_int_equal(s->ops->learner_get(s, id + 1, &ident, &name), PC_ENOTFOUND);
	assert_null(ident);
	assert_null(name);
	store_close(s);
}

static void launch_tokens(void **state)
{
	(void)state;
	char *dir = test_tmpdir();
	char path[512];
	snprintf(path, sizeof path, "%s/t.db", dir);
	store *s = open_at(path);
	int64_t ann;
	assert_int_equal(s->ops->learner_ensure(s, "ann", "Ann", &ann), 0);
	char h1[65], h2[65];
	memset(h1, 'a', 64);
	memset(h2, 'b', 64);
	h1[64] = h2[64] = '\0';
	store_launch l = {.token_hash = h1, .learner_id = ann, .package = (char *)"pkg",
			  .item = (char *)"i1", .version_hash = (char *)"v1", .expires = 1000};
	assert_int_equal(s->ops->launch_put(s, &l), 0);
	assert_int_equal(s->ops->launch_put(s, &l), PC_EIO); /* one row per token */
	l.token_hash = h2;
	l.expires = 3000;
	assert_int_equal(s->ops->launch_put(s, &l), 0);
	store_launch got;
	assert_int_equal(s->ops->launch_get(s, h1, &got), 0);
	assert_int_equal(got.learner_id, ann);
	assert_string_equal(got.package, "pkg");
	assert_string_equal(got.item, "i1");
	assert_string_equal(got.version_hash, "v1");
	assert_int_equal(got.attempt_id, 0); /* not started */
	assert_int_equal(got.session, 0);
	assert_int_equal(got.expires, 1000);
	store_launch_clear(&got);
	/* Started inside a batch: bound to the attempt, session and the version it plays. */
	assert_int_equal(s->ops->batch_begin(s), 0);
	assert_int_equal(s->ops->launch_start(s, h1, 42, "v0", 3), 0);
	assert_int_equal(s->ops->launch_start(s, "nope", 42, "v0", 3), PC_ENOTFOUND);
	assert_int_equal(s->ops->batch_end(s, 1), 0);
	store_close(s);
	s = open_at(path); /* durable */
	assert_int_equal(s->ops->launch_get(s, h1, &got), 0);
	assert_int_equal(got.attempt_id, 42);
	assert_int_equal(got.session, 3);
	assert_string_equal(got.version_hash, "v0");
	store_launch_clear(&got);
	/* Expired tokens are pruned; the others stay. */
	assert_int_equal(s->ops->launch_prune(s, 2000), 0);
	assert_int_equal(s->ops->launch_get(s, h1, &got), PC_ENOTFOUND);
	assert_null(got.token_hash);
	assert_int_equal(s->ops->launch_get(s, h2, &got), 0);
	store_launch_clear(&got);
	store_close(s);
	fstree_remove(dir);
	free(dir);
}

int test_store_accounts(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(learners_found_not_made),
		cmocka_unit_test(launch_tokens),
	};
	return cmocka_run_group_tests_name("store_accounts", tests, NULL, NULL);
}
