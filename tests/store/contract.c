/* The store contract: every operation of store.h, with the behaviour the runtime relies on,
 * run against every back end (backends.h). A new operation comes with its cases here. */
#include "cmocka_all.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backends.h"
#include "common.h"

/* A fresh store of the case's back end; *where (may be NULL) keeps its location. */
static store *fresh(void **state, char **where)
{
	backend *b = *state;
	char *w = b->fresh(b);
	store *s = backend_open(w);
	if (where)
		*where = w;
	else
		free(w);
	return s;
}

static void put_version(store *s, const char *pkg, const char *hash, char **prev)
{
	store_version v = {.package = (char *)pkg, .hash = (char *)hash, .title = (char *)"T",
			   .scorm = (char *)"1.2", .size = 10};
	assert_int_equal(s->ops->version_put(s, &v, prev), 0);
}

static store_sco_write write_for(int64_t attempt, const char *item, int64_t seq, const char *exit,
				 int terminated, const char *status)
{
	store_sco_write w = {.attempt_id = attempt, .item = item, .seq = seq, .state = "{}",
			     .completion = status, .exit = exit, .terminated = terminated,
			     .request = "{\"seq\":1}", .response = "{}"};
	return w;
}

/* A store with package p (version h1), learner ann and her first attempt. */
static store *with_attempt(void **state, char **where, int64_t *learner, int64_t *attempt)
{
	store *s = fresh(state, where);
	char *prev = NULL;
	put_version(s, "p", "h1", &prev);
	assert_int_equal(s->ops->learner_ensure(s, "ann", "Ann", learner), 0);
	store_attempt a;
	int created;
	assert_int_equal(s->ops->attempt_launch(s, *learner, "p", "h1", &a, &created), 0);
	*attempt = a.id;
	store_attempt_clear(&a);
	return s;
}

static void versions_replace_and_keep(void **state)
{
	store *s = fresh(state, NULL);
	char *prev = NULL;
	store_version *v;
	size_t n;
	assert_int_equal(s->ops->version_list(s, &v, &n), 0);
	assert_int_equal(n, 0);
	store_versions_free(v, n);
	put_version(s, "p", "h1", &prev);
	assert_null(prev);
	put_version(s, "p", "h1", &prev); /* same again: nothing replaced */
	assert_null(prev);
	put_version(s, "p", "h2", &prev);
	assert_string_equal(prev, "h1");
	free(prev);
	store_version b = {.package = "b", .hash = "hb", .title = "Another", .scorm = "2004-4th",
			   .version_attr = "1.0", .size = 99};
	assert_int_equal(s->ops->version_put(s, &b, &prev), 0);
	assert_null(prev);
	assert_int_equal(s->ops->version_list(s, &v, &n), 0);
	assert_int_equal(n, 2);
	/* Ordered by title. */
	assert_string_equal(v[0].package, "b");
	assert_string_equal(v[0].title, "Another");
	assert_string_equal(v[0].scorm, "2004-4th");
	assert_string_equal(v[0].version_attr, "1.0");
	assert_int_equal(v[0].size, 99);
	assert_string_equal(v[1].hash, "h2");
	assert_null(v[1].version_attr);
	assert_non_null(v[1].imported_at);
	assert_int_equal(strlen(v[1].imported_at), 24); /* 2026-01-01T10:00:00.000Z */
	assert_int_equal(v[1].imported_at[23], 'Z');
	store_versions_free(v, n);
	store_close(s);
}

static void learners_are_found_or_made(void **state)
{
	store *s = fresh(state, NULL);
	int64_t ann, again, bob;
	assert_int_equal(s->ops->learner_ensure(s, "ann", "Ann", &ann), 0);
	assert_int_equal(s->ops->learner_ensure(s, "ann", "Someone else", &again), 0);
	assert_int_equal(ann, again);
	assert_int_equal(s->ops->learner_ensure(s, "bob", NULL, &bob), 0);
	assert_int_not_equal(ann, bob);
	assert_true(ann > 0 && bob > 0);
	store_close(s);
}

static void attempts_and_history(void **state)
{
	int64_t learner, first;
	store *s = with_attempt(state, NULL, &learner, &first);
	store_attempt a;
	int created;
	assert_int_equal(s->ops->attempt_latest(s, learner, "p", &a), 0);
	assert_int_equal(a.id, first);
	assert_int_equal(a.number, 1);
	assert_false(a.closed);
	assert_string_equal(a.version_hash, "h1");
	assert_non_null(a.started_at);
	assert_non_null(a.updated_at);
	store_attempt_clear(&a);
	/* Relaunching an open attempt resumes it. */
	assert_int_equal(s->ops->attempt_launch(s, learner, "p", "h2", &a, &created), 0);
	assert_false(created);
	assert_int_equal(a.id, first);
	assert_string_equal(a.version_hash, "h1"); /* the version it started with */
	store_attempt_clear(&a);
	int64_t owner;
	char *package, *hash;
	assert_int_equal(s->ops->attempt_owner(s, first, &owner, &package, &hash), 0);
	assert_int_equal(owner, learner);
	assert_string_equal(package, "p");
	assert_string_equal(hash, "h1");
	free(package);
	free(hash);
	assert_int_equal(s->ops->attempt_owner(s, first + 1000, &owner, &package, &hash), PC_ENOTFOUND);
	store_sco_write w = write_for(first, "i1", 1, "", 1, "failed");
	assert_int_equal(s->ops->sco_put(s, &w), 0);
	assert_int_equal(s->ops->attempt_close(s, first), 0);
	assert_int_equal(s->ops->attempt_latest(s, learner, "p", &a), 0);
	assert_true(a.closed);
	store_attempt_clear(&a);
	/* After a closed attempt, a launch starts attempt 2; attempt 1 stays in the history. */
	assert_int_equal(s->ops->attempt_launch(s, learner, "p", "h1", &a, &created), 0);
	assert_true(created);
	assert_int_equal(a.number, 2);
	int64_t second = a.id;
	store_attempt_clear(&a);
	w = write_for(second, "i1", 1, "suspend", 1, "incomplete");
	assert_int_equal(s->ops->sco_put(s, &w), 0);
	store_record *r;
	size_t n;
	store_filter all = {0};
	assert_int_equal(s->ops->records(s, &all, &r, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(r[0].learner, "ann");
	assert_string_equal(r[0].learner_name, "Ann");
	assert_string_equal(r[0].package, "p");
	assert_string_equal(r[0].package_title, "T");
	assert_string_equal(r[0].item, "i1");
	assert_int_equal(r[0].attempt, 1);
	assert_true(r[0].closed);
	assert_true(r[0].ended);
	assert_string_equal(r[0].completion, "failed");
	assert_int_equal(r[0].commits, 1);
	assert_int_equal(r[1].attempt, 2);
	assert_false(r[1].ended); /* suspended */
	assert_string_equal(r[1].exit, "suspend");
	store_records_free(r, n);
	store_filter latest = {.latest_only = 1};
	assert_int_equal(s->ops->records(s, &latest, &r, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].attempt, 2);
	store_records_free(r, n);
	store_filter one = {.attempt = first};
	assert_int_equal(s->ops->records(s, &one, &r, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].attempt, 1);
	store_records_free(r, n);
	store_filter nobody = {.learner = "zed"}, other = {.package = "q"};
	assert_int_equal(s->ops->records(s, &nobody, &r, &n), 0);
	assert_int_equal(n, 0);
	store_records_free(r, n);
	assert_int_equal(s->ops->records(s, &other, &r, &n), 0);
	assert_int_equal(n, 0);
	store_records_free(r, n);
	/* Unknown package: no attempt. */
	assert_int_equal(s->ops->attempt_launch(s, learner, "nope", "h1", &a, &created), PC_ENOTFOUND);
	assert_int_equal(s->ops->attempt_latest(s, learner, "nope", &a), PC_ENOTFOUND);
	store_close(s);
}

static void state_interactions_and_journal(void **state)
{
	int64_t learner, attempt;
	store *s = with_attempt(state, NULL, &learner, &attempt);
	char *st;
	int64_t seq, rev;
	assert_int_equal(s->ops->sco_get(s, attempt, "i1", &st, &seq, &rev), 0);
	assert_null(st);
	assert_int_equal(seq, -1);
	assert_int_equal(rev, 0);
	store_interaction its[] = {{.n = 0, .id = "q1", .type = "choice", .result = "correct",
				    .learner_response = "a", .correct_responses = "a",
				    .weighting = "1", .latency = "PT1S", .timestamp = "2026-01-01T00:00:00",
				    .description = "Which?"},
				   {.n = 1, .id = "q2", .type = "numeric", .result = "wrong"}};
	store_sco_write w = write_for(attempt, "i1", 3, NULL, 0, "incomplete");
	w.state = "{\"x\":1}";
	w.score_raw = "80";
	w.score_scaled = "0.8";
	w.total_time = "PT1M";
	w.total_seconds = 60;
	w.location = "card-2";
	w.success = "passed";
	w.interactions = its;
	w.ninteractions = 2;
	assert_int_equal(s->ops->sco_put(s, &w), 0);
	its[1].result = "correct"; /* answered again: the row is replaced */
	w.seq = 4;
	assert_int_equal(s->ops->sco_put(s, &w), 0);
	assert_int_equal(s->ops->sco_get(s, attempt, "i1", &st, &seq, &rev), 0);
	assert_string_equal(st, "{\"x\":1}");
	assert_int_equal(seq, 4);
	assert_int_equal(rev, 2);
	free(st);
	store_interaction_row *ir;
	size_t n;
	store_filter f = {.package = "p"};
	assert_int_equal(s->ops->interactions(s, &f, &ir, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(ir[0].learner, "ann");
	assert_string_equal(ir[0].item, "i1");
	assert_int_equal(ir[0].attempt, 1);
	assert_string_equal(ir[0].id, "q1");
	assert_string_equal(ir[0].description, "Which?");
	assert_string_equal(ir[0].correct_responses, "a");
	assert_string_equal(ir[0].latency, "PT1S");
	assert_string_equal(ir[1].id, "q2");
	assert_string_equal(ir[1].result, "correct");
	assert_null(ir[1].learner_response);
	store_interaction_rows_free(ir, n);
	store_record *r;
	assert_int_equal(s->ops->records(s, &f, &r, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(r[0].score_raw, "80");
	assert_string_equal(r[0].score_scaled, "0.8");
	assert_string_equal(r[0].success, "passed");
	assert_string_equal(r[0].location, "card-2");
	assert_string_equal(r[0].total_time, "PT1M");
	assert_true(r[0].total_seconds > 59.9 && r[0].total_seconds < 60.1);
	assert_int_equal(r[0].commits, 2);
	assert_null(r[0].exit);
	store_records_free(r, n);
	int64_t commits, attempts, learners;
	assert_int_equal(s->ops->counts(s, &commits, &attempts, &learners), 0);
	assert_int_equal(commits, 2);
	assert_int_equal(attempts, 1);
	assert_int_equal(learners, 1);
	/* A launch writes state, not a journal row; a later exit of NULL keeps the last one. */
	w.request = NULL;
	assert_int_equal(s->ops->sco_put(s, &w), 0);
	s->ops->counts(s, &commits, &attempts, &learners);
	assert_int_equal(commits, 2);
	store_close(s);
}

static void batches_commit_or_roll_back(void **state)
{
	int64_t learner, attempt;
	store *s = with_attempt(state, NULL, &learner, &attempt);
	assert_int_equal(s->ops->batch_begin(s), 0);
	store_sco_write w = write_for(attempt, "i1", 1, NULL, 0, "incomplete");
	assert_int_equal(s->ops->sco_put(s, &w), 0);
	w.item = "i2";
	assert_int_equal(s->ops->sco_put(s, &w), 0);
	/* Reads inside the batch see the batch. */
	char *st;
	int64_t seq, rev;
	assert_int_equal(s->ops->sco_get(s, attempt, "i2", &st, &seq, &rev), 0);
	assert_non_null(st);
	free(st);
	store_filter one = {.attempt = attempt};
	store_record *r;
	size_t n;
	assert_int_equal(s->ops->records(s, &one, &r, &n), 0);
	assert_int_equal(n, 2);
	store_records_free(r, n);
	assert_int_equal(s->ops->batch_end(s, 0), 0); /* roll back */
	int64_t commits, attempts, learners;
	s->ops->counts(s, &commits, &attempts, &learners);
	assert_int_equal(commits, 0);
	/* One write failing inside a batch (here: its fence) leaves the others. */
	assert_int_equal(s->ops->batch_begin(s), 0);
	assert_int_equal(s->ops->sco_put(s, &w), 0);
	store_sco_write bad = write_for(attempt, "i2", 2, NULL, 0, "incomplete");
	bad.expect_rev = -1; /* "no row yet": there is one now */
	assert_int_equal(s->ops->sco_put(s, &bad), PC_ECONFLICT);
	w.item = "i3";
	assert_int_equal(s->ops->sco_put(s, &w), 0);
	assert_int_equal(s->ops->shared_put(s, learner, "p", 0, "t", "v"), 0);
	assert_int_equal(s->ops->batch_end(s, 1), 0);
	s->ops->counts(s, &commits, &attempts, &learners);
	assert_int_equal(commits, 2);
	assert_int_equal(s->ops->sco_get(s, attempt, "i2", &st, &seq, &rev), 0);
	assert_int_equal(seq, 1); /* the refused write left nothing */
	free(st);
	char *v = NULL;
	assert_int_equal(s->ops->shared_get(s, learner, "p", 0, "t", &v), 0);
	assert_string_equal(v, "v");
	free(v);
	store_close(s);
}

/* The fence: a write names the revision it read; a lost check writes nothing. */
static void fenced_writes(void **state)
{
	int64_t learner, attempt;
	store *s = with_attempt(state, NULL, &learner, &attempt);
	store_sco_write w = write_for(attempt, "i1", 1, NULL, 0, "incomplete");
	w.expect_rev = -1;
	assert_int_equal(s->ops->sco_put(s, &w), 0);
	assert_int_equal(s->ops->sco_put(s, &w), PC_ECONFLICT); /* a row exists now */
	w.expect_rev = 1;
	w.seq = 2;
	assert_int_equal(s->ops->sco_put(s, &w), 0);
	w.seq = 3;
	w.location = "lost";
	assert_int_equal(s->ops->sco_put(s, &w), PC_ECONFLICT); /* revision 1 is gone */
	char *st;
	int64_t seq, rev;
	assert_int_equal(s->ops->sco_get(s, attempt, "i1", &st, &seq, &rev), 0);
	assert_int_equal(seq, 2);
	assert_int_equal(rev, 2);
	free(st);
	int64_t commits, attempts, learners;
	s->ops->counts(s, &commits, &attempts, &learners);
	assert_int_equal(commits, 2); /* no journal row for the refused write */
	w.expect_rev = 0; /* unfenced */
	assert_int_equal(s->ops->sco_put(s, &w), 0);
	assert_int_equal(s->ops->sco_get(s, attempt, "i1", &st, &seq, &rev), 0);
	assert_int_equal(rev, 3);
	free(st);
	store_close(s);
}

/* Two handles on one store (two server nodes, or two processes): each sees the other's
 * committed writes, and the fence holds between them. */
static void two_writers_fence_each_other(void **state)
{
	backend *b = *state;
	if (!b->persistent)
		skip();
	char *where;
	int64_t learner, attempt;
	store *one = with_attempt(state, &where, &learner, &attempt);
	store *two = backend_open(where);
	store_sco_write w = write_for(attempt, "i1", 1, NULL, 0, "incomplete");
	w.expect_rev = -1;
	assert_int_equal(one->ops->sco_put(one, &w), 0);
	char *st;
	int64_t seq, rev1, rev2;
	assert_int_equal(one->ops->sco_get(one, attempt, "i1", &st, &seq, &rev1), 0);
	free(st);
	assert_int_equal(two->ops->sco_get(two, attempt, "i1", &st, &seq, &rev2), 0);
	free(st);
	assert_int_equal(rev1, rev2);
	/* Node two writes first; node one's write, based on the same revision, loses. */
	w.expect_rev = rev2;
	w.seq = 2;
	assert_int_equal(two->ops->sco_put(two, &w), 0);
	w.seq = 3;
	assert_int_equal(one->ops->sco_put(one, &w), PC_ECONFLICT);
	/* Inside batches as well (the commit queue's way). */
	assert_int_equal(one->ops->batch_begin(one), 0);
	w.expect_rev = rev2 + 1;
	assert_int_equal(one->ops->sco_put(one, &w), 0);
	assert_int_equal(one->ops->batch_end(one, 1), 0);
	assert_int_equal(two->ops->batch_begin(two), 0);
	w.seq = 4;
	assert_int_equal(two->ops->sco_put(two, &w), PC_ECONFLICT);
	assert_int_equal(two->ops->batch_end(two, 1), 0);
	assert_int_equal(two->ops->sco_get(two, attempt, "i1", &st, &seq, &rev2), 0);
	free(st);
	assert_int_equal(seq, 3);
	/* Both see the same learner and attempt, whoever made them. */
	int64_t again;
	assert_int_equal(two->ops->learner_ensure(two, "ann", "Ann", &again), 0);
	assert_int_equal(again, learner);
	store_attempt a;
	int created;
	assert_int_equal(two->ops->attempt_launch(two, learner, "p", "h1", &a, &created), 0);
	assert_false(created);
	assert_int_equal(a.id, attempt);
	store_attempt_clear(&a);
	store_close(one);
	store_close(two);
	free(where);
}

static void shared_data(void **state)
{
	store *s = fresh(state, NULL);
	char *prev = NULL, *v = NULL;
	put_version(s, "p", "h1", &prev);
	int64_t ann, bob;
	s->ops->learner_ensure(s, "ann", "Ann", &ann);
	s->ops->learner_ensure(s, "bob", "Bob", &bob);
	assert_int_equal(s->ops->shared_get(s, ann, "p", 0, "urn:x:t", &v), 0);
	assert_null(v);
	assert_int_equal(s->ops->shared_put(s, ann, "p", 0, "urn:x:t", "one"), 0);
	assert_int_equal(s->ops->shared_put(s, ann, "p", 0, "urn:x:t", "two"), 0);
	assert_int_equal(s->ops->shared_put(s, ann, "p", 7, "urn:x:t", "attempt 7"), 0);
	assert_int_equal(s->ops->shared_put(s, ann, "nope", 0, "urn:x:t", "x"), PC_ENOTFOUND);
	assert_int_equal(s->ops->shared_get(s, ann, "p", 0, "urn:x:t", &v), 0);
	assert_string_equal(v, "two");
	free(v);
	assert_int_equal(s->ops->shared_get(s, ann, "p", 7, "urn:x:t", &v), 0);
	assert_string_equal(v, "attempt 7");
	free(v);
	assert_int_equal(s->ops->shared_get(s, bob, "p", 0, "urn:x:t", &v), 0); /* per learner */
	assert_null(v);
	store_close(s);
}

/* Package files: a shared store gives back the exact bytes; a local one keeps none. */
static void package_files(void **state)
{
	backend *b = *state;
	store *s = fresh(state, NULL);
	char dir[] = "/tmp/postcard-pkgfile-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char src[64], dst[64], dst2[64];
	snprintf(src, sizeof src, "%s/in.zip", dir);
	snprintf(dst, sizeof dst, "%s/out.zip", dir);
	snprintf(dst2, sizeof dst2, "%s/none.zip", dir);
	/* Larger than one chunk of any sensible chunked layout, and not a repeating pattern. */
	size_t size = 3 * 1024 * 1024 + 12345;
	unsigned char *data = malloc(size);
	uint32_t x = 12345;
	for (size_t i = 0; i < size; i++) {
		x = x * 1103515245u + 12345u;
		data[i] = (unsigned char)(x >> 16);
	}
	FILE *f = fopen(src, "wb");
	assert_int_equal(fwrite(data, 1, size, f), size);
	fclose(f);
	assert_int_equal(s->ops->package_file_put(s, "abc", src), 0);
	assert_int_equal(s->ops->package_file_put(s, "abc", src), 0); /* known: nothing to do */
	int rc = s->ops->package_file_get(s, "abc", dst);
	if (b->base) {
		assert_int_equal(rc, 0);
		struct stat sb;
		assert_int_equal(stat(dst, &sb), 0);
		assert_int_equal((size_t)sb.st_size, size);
		unsigned char *back = malloc(size);
		f = fopen(dst, "rb");
		assert_int_equal(fread(back, 1, size, f), size);
		fclose(f);
		assert_memory_equal(back, data, size);
		free(back);
	} else {
		assert_int_equal(rc, PC_ENOTFOUND);
	}
	assert_int_equal(s->ops->package_file_get(s, "unknown", dst2), PC_ENOTFOUND);
	assert_int_not_equal(access(dst2, F_OK), 0); /* nothing left behind */
	unlink(src);
	unlink(dst);
	rmdir(dir);
	free(data);
	store_close(s);
}

static void checks_and_errors(void **state)
{
	store *s = fresh(state, NULL);
	char why[256] = "x";
	assert_int_equal(s->ops->check(s, 0, why, sizeof why), 0);
	assert_int_equal(s->ops->check(s, 1, why, sizeof why), 0);
	char last[256];
	s->ops->last_error(s, last, sizeof last);
	assert_string_equal(last, "");
	store_close(s);
}

/* What is written is there after closing and opening again (a restart). */
static void reopened_store_keeps_everything(void **state)
{
	backend *b = *state;
	if (!b->persistent)
		skip();
	char *where;
	int64_t learner, attempt;
	store *s = with_attempt(state, &where, &learner, &attempt);
	store_sco_write w = write_for(attempt, "i1", 5, NULL, 0, "completed");
	w.expect_rev = -1;
	assert_int_equal(s->ops->sco_put(s, &w), 0);
	store_close(s);
	s = backend_open(where);
	char *st;
	int64_t seq, rev;
	assert_int_equal(s->ops->sco_get(s, attempt, "i1", &st, &seq, &rev), 0);
	assert_string_equal(st, "{}");
	assert_int_equal(seq, 5);
	assert_int_equal(rev, 1);
	free(st);
	int64_t again;
	assert_int_equal(s->ops->learner_ensure(s, "ann", "Ann", &again), 0);
	assert_int_equal(again, learner);
	store_close(s);
	/* A store written by a newer postcard (a later schema) is refused, not downgraded. */
	b->set_schema(b, where, 999);
	store *newer = NULL;
	char err[512] = "";
	assert_int_equal(store_open(&newer, where, err, sizeof err), PC_EFORMAT);
	assert_non_null(strstr(err, "999"));
	assert_null(newer);
	free(where);
}

/* The journal is append-only whatever writes to the database. */
static void journal_is_append_only(void **state)
{
	backend *b = *state;
	if (!b->raw)
		skip();
	char *where;
	int64_t learner, attempt;
	store *s = with_attempt(state, &where, &learner, &attempt);
	store_sco_write w = write_for(attempt, "i1", 1, NULL, 0, "incomplete");
	assert_int_equal(s->ops->sco_put(s, &w), 0);
	store_close(s);
	assert_int_not_equal(b->raw(b, where, "UPDATE commits SET seq = 9"), 0);
	assert_int_not_equal(b->raw(b, where, "DELETE FROM commits"), 0);
	assert_int_equal(b->raw(b, where, "SELECT count(*) FROM commits"), 0);
	free(where);
}

/* Learners looked up without being created (requests that only read). */
static void learners_found_not_made(void **state)
{
	store *s = fresh(state, NULL);
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

static int64_t add_user(store *s, const char *ident, const char *email, const char *name,
			const char *role)
{
	store_user u = {.ident = (char *)ident, .email = (char *)email, .name = (char *)name,
			.role = (char *)role};
	int64_t id = 0;
	assert_int_equal(s->ops->user_add(s, &u, &id), 0);
	assert_true(id > 0);
	return id;
}

/* Accounts, sessions and one-time links, groups and assignments, sign-in throttling, the audit
 * log (team mode). */
static void accounts(void **state)
{
	store *s = fresh(state, NULL);
	int64_t local;
	assert_int_equal(s->ops->learner_ensure(s, "local", "Local", &local), 0);
	int64_t ann = add_user(s, "u1", "ann@example.org", "Ann", "admin");
	int64_t bob = add_user(s, "u2", "bob@example.org", "Bob", "learner");
	store_user dup = {.ident = (char *)"u3", .email = (char *)"ann@example.org", .name = (char *)"X",
			  .role = (char *)"learner"};
	int64_t id;
	assert_int_equal(s->ops->user_add(s, &dup, &id), PC_EINVAL); /* the email is taken */
	dup.ident = (char *)"u1";
	dup.email = (char *)"new@example.org";
	assert_int_equal(s->ops->user_add(s, &dup, &id), PC_EINVAL); /* so is the ident */
	store_user u;
	assert_int_equal(s->ops->user_get(s, 0, "bob@example.org", &u), 0);
	assert_int_equal(u.id, bob);
	assert_string_equal(u.ident, "u2");
	assert_string_equal(u.role, "learner");
	assert_null(u.password_hash);
	store_user_clear(&u);
	assert_int_equal(s->ops->user_get(s, 0, "nobody@example.org", &u), PC_ENOTFOUND);
	assert_int_equal(s->ops->user_update(s, bob, "$argon2id$x", "manager", NULL), 0);
	assert_int_equal(s->ops->user_update(s, 999, NULL, NULL, "Y"), PC_ENOTFOUND);
	assert_int_equal(s->ops->user_get(s, bob, NULL, &u), 0);
	assert_string_equal(u.password_hash, "$argon2id$x");
	assert_string_equal(u.role, "manager");
	assert_string_equal(u.name, "Bob");
	store_user_clear(&u);
	/* The list holds accounts only (not the local learner), by name. */
	store_user *all;
	size_t n;
	assert_int_equal(s->ops->user_list(s, &all, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(all[0].id, ann);
	assert_int_equal(all[1].id, bob);
	store_users_free(all, n);

	/* Sessions and one-time links by token hash. */
	char *csrf = NULL;
	int64_t who = 0, exp = 0;
	assert_int_equal(s->ops->session_put(s, "s1", ann, "c1", 100), 0);
	assert_int_equal(s->ops->session_put(s, "s2", ann, "c2", 200), 0);
	assert_int_equal(s->ops->session_put(s, "s3", bob, "c3", 300), 0);
	assert_int_equal(s->ops->session_get(s, "s2", &who, &csrf, &exp), 0);
	assert_int_equal(who, ann);
	assert_string_equal(csrf, "c2");
	assert_int_equal(exp, 200);
	free(csrf);
	assert_int_equal(s->ops->session_delete(s, "s2", 0), 0);
	assert_int_equal(s->ops->session_get(s, "s2", &who, &csrf, &exp), PC_ENOTFOUND);
	assert_int_equal(s->ops->session_delete(s, NULL, ann), 0); /* every session of ann */
	assert_int_equal(s->ops->session_get(s, "s1", &who, &csrf, &exp), PC_ENOTFOUND);
	assert_int_equal(s->ops->session_get(s, "s3", &who, &csrf, &exp), 0);
	free(csrf);
	assert_int_equal(s->ops->invite_put(s, "i1", bob, 150), 0);
	assert_int_equal(s->ops->invite_get(s, "i1", &who, &exp), 0);
	assert_int_equal(who, bob);
	assert_int_equal(exp, 150);
	assert_int_equal(s->ops->invite_put(s, "i2", bob, 500), 0);
	/* Expired ones go: sessions, links (and launch tokens, above). */
	assert_int_equal(s->ops->prune_expired(s, 160), 0);
	assert_int_equal(s->ops->invite_get(s, "i1", &who, &exp), PC_ENOTFOUND);
	assert_int_equal(s->ops->invite_get(s, "i2", &who, &exp), 0);
	assert_int_equal(s->ops->session_get(s, "s3", &who, &csrf, &exp), 0);
	free(csrf);
	assert_int_equal(s->ops->invite_delete(s, NULL, bob), 0);
	assert_int_equal(s->ops->invite_get(s, "i2", &who, &exp), PC_ENOTFOUND);

	/* Groups, members and managers, assignments. */
	char *prev = NULL;
	store_version v = {.package = (char *)"pkg", .hash = (char *)"h1", .title = (char *)"P",
			   .scorm = (char *)"1.2", .size = 1};
	assert_int_equal(s->ops->version_put(s, &v, &prev), 0);
	int64_t ward, wing;
	assert_int_equal(s->ops->group_add(s, "Ward 7", &ward), 0);
	assert_int_equal(s->ops->group_add(s, "Library", &wing), 0);
	assert_int_equal(s->ops->group_add(s, "Ward 7", &id), PC_EINVAL);
	assert_int_equal(s->ops->member_set(s, ward, bob, 0), 0);
	assert_int_equal(s->ops->member_set(s, ward, ann, 1), 0);
	assert_int_equal(s->ops->member_set(s, wing, bob, 0), 0);
	assert_int_equal(s->ops->member_set(s, ward, bob, 0), 0); /* again: no change */
	assert_int_equal(s->ops->member_set(s, 999, bob, 0), PC_ENOTFOUND);
	assert_int_equal(s->ops->member_set(s, ward, 999, 0), PC_ENOTFOUND);
	store_group *g;
	assert_int_equal(s->ops->group_list(s, &g, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(g[0].name, "Library");
	assert_int_equal(g[1].members, 1);
	assert_int_equal(g[1].managers, 1);
	store_groups_free(g, n);
	store_member *m;
	assert_int_equal(s->ops->member_list(s, ward, 0, &m, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(m[0].user_id, ann); /* managers first */
	assert_true(m[0].manager);
	assert_string_equal(m[1].email, "bob@example.org");
	assert_string_equal(m[1].group_name, "Ward 7");
	store_members_free(m, n);
	assert_int_equal(s->ops->member_list(s, 0, bob, &m, &n), 0);
	assert_int_equal(n, 2);
	store_members_free(m, n);
	assert_int_equal(s->ops->assignment_set(s, ward, "pkg", 1), 0);
	assert_int_equal(s->ops->assignment_set(s, ward, "pkg", 1), 0); /* again: kept once */
	store_assignment *as;
	assert_int_equal(s->ops->assignment_list(s, bob, &as, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(as[0].package, "pkg");
	assert_string_equal(as[0].group_name, "Ward 7");
	store_assignments_free(as, n);
	assert_int_equal(s->ops->assignment_list(s, local, &as, &n), 0);
	assert_int_equal(n, 0);
	store_assignments_free(as, n);
	assert_int_equal(s->ops->member_remove(s, ward, bob), 0);
	assert_int_equal(s->ops->assignment_list(s, bob, &as, &n), 0);
	assert_int_equal(n, 0);
	store_assignments_free(as, n);
	assert_int_equal(s->ops->assignment_set(s, ward, "pkg", 0), 0);
	assert_int_equal(s->ops->assignment_list(s, 0, &as, &n), 0);
	assert_int_equal(n, 0);
	store_assignments_free(as, n);

	/* Sign-in failures counted in a window; a new window starts the count again. */
	int64_t count = -1;
	assert_int_equal(s->ops->throttle_count(s, "email:x", 1000, 60, &count), 0);
	assert_int_equal(count, 0);
	for (int i = 1; i <= 3; i++) {
		assert_int_equal(s->ops->throttle_hit(s, "email:x", 1000 + i, 60, &count), 0);
		assert_int_equal(count, i);
	}
	assert_int_equal(s->ops->throttle_count(s, "email:x", 1030, 60, &count), 0);
	assert_int_equal(count, 3);
	assert_int_equal(s->ops->throttle_count(s, "email:x", 1062, 60, &count), 0);
	assert_int_equal(count, 0); /* the window is over */
	assert_int_equal(s->ops->throttle_hit(s, "email:x", 1062, 60, &count), 0);
	assert_int_equal(count, 1);
	assert_int_equal(s->ops->throttle_clear(s, "email:x"), 0);
	assert_int_equal(s->ops->throttle_count(s, "email:x", 1063, 60, &count), 0);
	assert_int_equal(count, 0);

	/* The audit log, newest first. */
	assert_int_equal(s->ops->audit_add(s, "ann@example.org", "user add", "bob@example.org", NULL), 0);
	assert_int_equal(s->ops->audit_add(s, "ann@example.org", "role", "bob@example.org", "manager"), 0);
	store_audit *log;
	assert_int_equal(s->ops->audit_list(s, 10, &log, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(log[0].action, "role");
	assert_string_equal(log[0].detail, "manager");
	assert_null(log[1].detail);
	store_audit_free(log, n);
	store_close(s);
}

/* One commit of a learner: state, an interaction and a journal row of `req` bytes. */
static void commit_one(store *s, int64_t attempt, int64_t seq, const char *req)
{
	store_interaction it = {.n = 0, .id = "q1", .type = "choice", .result = "correct"};
	store_sco_write w = {.attempt_id = attempt, .item = "i", .seq = seq, .state = "{}",
			     .interactions = &it, .ninteractions = 1, .request = req, .response = "ok"};
	assert_int_equal(s->ops->sco_put(s, &w), 0);
}

/* Erasing a learner takes everything of theirs, the journal included, and nothing of others;
 * outside that (and pruning) the journal stays append-only. Stored bytes follow the journal. */
static void erase_usage_and_retention(void **state)
{
	backend *b = *state;
	char *where;
	store *s = fresh(state, &where);
	char *prev = NULL;
	put_version(s, "pkg", "h1", &prev);
	int64_t ann = add_user(s, "u1", "ann@example.org", "Ann", "learner");
	int64_t bob = add_user(s, "u2", "bob@example.org", "Bob", "learner");
	store_attempt a1, a2;
	int created;
	assert_int_equal(s->ops->attempt_launch(s, ann, "pkg", "h1", &a1, &created), 0);
	assert_int_equal(s->ops->attempt_launch(s, bob, "pkg", "h1", &a2, &created), 0);
	commit_one(s, a1.id, 1, "0123456789");
	commit_one(s, a1.id, 2, "01234");
	commit_one(s, a2.id, 1, "abc");
	assert_int_equal(s->ops->shared_put(s, ann, "pkg", 0, "urn:x", "v"), 0);
	assert_int_equal(s->ops->session_put(s, "sa", ann, "c", 999999), 0);
	assert_int_equal(s->ops->invite_put(s, "ia", ann, 999999), 0);
	int64_t ward;
	assert_int_equal(s->ops->group_add(s, "Ward", &ward), 0);
	assert_int_equal(s->ops->member_set(s, ward, ann, 0), 0);
	char h[65];
	memset(h, 'c', 64);
	h[64] = '\0';
	store_launch l = {.token_hash = h, .learner_id = ann, .package = (char *)"pkg", .item = (char *)"i",
			  .version_hash = (char *)"h1", .expires = 999999};
	assert_int_equal(s->ops->launch_put(s, &l), 0);
	int64_t bytes;
	assert_int_equal(s->ops->learner_usage(s, ann, &bytes), 0);
	assert_int_equal(bytes, 10 + 2 + 5 + 2); /* request and response of each journal row */
	assert_int_equal(s->ops->learner_usage(s, bob, &bytes), 0);
	assert_int_equal(bytes, 5);
	if (b->raw && b->persistent) {
		/* Nobody else may delete from the journal. */
		store_close(s);
		assert_int_not_equal(b->raw(b, where, "DELETE FROM commits"), 0);
		s = backend_open(where);
	}
	assert_int_equal(s->ops->learner_erase(s, ann), 0);
	assert_int_equal(s->ops->learner_erase(s, ann), PC_ENOTFOUND);
	/* Nothing of ann's is left; bob's is all there. */
	store_user u;
	char *csrf = NULL, *v = NULL;
	int64_t who, exp;
	store_launch got;
	store_member *m;
	size_t n;
	assert_int_equal(s->ops->user_get(s, ann, NULL, &u), PC_ENOTFOUND);
	assert_int_equal(s->ops->learner_usage(s, ann, &bytes), PC_ENOTFOUND);
	assert_int_equal(s->ops->session_get(s, "sa", &who, &csrf, &exp), PC_ENOTFOUND);
	assert_int_equal(s->ops->invite_get(s, "ia", &who, &exp), PC_ENOTFOUND);
	assert_int_equal(s->ops->launch_get(s, h, &got), PC_ENOTFOUND);
	assert_int_equal(s->ops->shared_get(s, ann, "pkg", 0, "urn:x", &v), 0);
	assert_null(v);
	assert_int_equal(s->ops->member_list(s, 0, ann, &m, &n), 0);
	assert_int_equal(n, 0);
	store_members_free(m, n);
	store_filter all = {0};
	store_record *r;
	store_interaction_row *ir;
	assert_int_equal(s->ops->records(s, &all, &r, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(r[0].learner, "u2");
	store_records_free(r, n);
	assert_int_equal(s->ops->interactions(s, &all, &ir, &n), 0);
	assert_int_equal(n, 1);
	store_interaction_rows_free(ir, n);
	int64_t commits, attempts, learners;
	assert_int_equal(s->ops->counts(s, &commits, &attempts, &learners), 0);
	assert_int_equal(commits, 1);
	assert_int_equal(attempts, 1);
	assert_int_equal(learners, 1);
	/* Retention: journal rows older than a date go; bob's bytes with them, his state stays. */
	int64_t deleted = -1;
	assert_int_equal(s->ops->journal_prune(s, "2000-01-01T00:00:00Z", &deleted), 0);
	assert_int_equal(deleted, 0);
	assert_int_equal(s->ops->journal_prune(s, "9999-01-01T00:00:00Z", &deleted), 0);
	assert_int_equal(deleted, 1);
	assert_int_equal(s->ops->learner_usage(s, bob, &bytes), 0);
	assert_int_equal(bytes, 0);
	assert_int_equal(s->ops->counts(s, &commits, &attempts, &learners), 0);
	assert_int_equal(commits, 0);
	store_filter f = {.learner = "u2"};
	assert_int_equal(s->ops->records(s, &f, &r, &n), 0);
	assert_int_equal(n, 1);
	store_records_free(r, n);
	/* The filters managers use: a group's members, a manager's people, status, dates. */
	int64_t manny = add_user(s, "u3", "manny@example.org", "Manny", "manager");
	assert_int_equal(s->ops->member_set(s, ward, bob, 0), 0);
	assert_int_equal(s->ops->member_set(s, ward, manny, 1), 0);
	store_sco_write w = {.attempt_id = a2.id, .item = "i", .seq = 2, .state = "{}",
			     .completion = "completed", .success = "passed"};
	assert_int_equal(s->ops->sco_put(s, &w), 0);
	store_filter by[] = {{.group = ward}, {.manager = manny}, {.status = "passed"},
			     {.status = "completed", .since = "2000-01-01", .until = "9999"},
			     {.manager = bob}, {.status = "failed"}, {.until = "2000"}};
	size_t want[] = {1, 1, 1, 1, 0, 0, 0};
	for (size_t i = 0; i < PC_ARRAY_LEN(by); i++) {
		assert_int_equal(s->ops->records(s, &by[i], &r, &n), 0);
		assert_int_equal(n, want[i]);
		if (n) {
			assert_string_equal(r[0].learner_email, "bob@example.org");
			assert_int_equal(r[0].attempt_id, a2.id);
		}
		store_records_free(r, n);
	}
	store_attempt_clear(&a1);
	store_attempt_clear(&a2);
	free(prev);
	store_close(s);
	free(where);
}

/* Launch tokens: stored once, read back, bound inside a batch, pruned when expired. */
static void launch_tokens(void **state)
{
	backend *b = *state;
	char *where;
	store *s = fresh(state, &where);
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
	assert_int_equal(got.attempt_id, 0);
	assert_int_equal(got.session, 0);
	assert_int_equal(got.expires, 1000);
	store_launch_clear(&got);
	assert_int_equal(s->ops->batch_begin(s), 0);
	assert_int_equal(s->ops->launch_start(s, h1, 42, "v0", 3), 0);
	assert_int_equal(s->ops->launch_start(s, "nope", 42, "v0", 3), PC_ENOTFOUND);
	assert_int_equal(s->ops->batch_end(s, 1), 0);
	if (b->persistent) {
		store_close(s);
		s = backend_open(where); /* durable */
	}
	assert_int_equal(s->ops->launch_get(s, h1, &got), 0);
	assert_int_equal(got.attempt_id, 42);
	assert_int_equal(got.session, 3);
	assert_string_equal(got.version_hash, "v0");
	store_launch_clear(&got);
	assert_int_equal(s->ops->prune_expired(s, 2000), 0);
	assert_int_equal(s->ops->launch_get(s, h1, &got), PC_ENOTFOUND);
	assert_null(got.token_hash);
	assert_int_equal(s->ops->launch_get(s, h2, &got), 0);
	store_launch_clear(&got);
	store_close(s);
	free(where);
}

const struct CMUnitTest contract_cases[] = {
	cmocka_unit_test(versions_replace_and_keep),
	cmocka_unit_test(learners_are_found_or_made),
	cmocka_unit_test(attempts_and_history),
	cmocka_unit_test(state_interactions_and_journal),
	cmocka_unit_test(batches_commit_or_roll_back),
	cmocka_unit_test(fenced_writes),
	cmocka_unit_test(two_writers_fence_each_other),
	cmocka_unit_test(shared_data),
	cmocka_unit_test(package_files),
	cmocka_unit_test(checks_and_errors),
	cmocka_unit_test(reopened_store_keeps_everything),
	cmocka_unit_test(journal_is_append_only),
	cmocka_unit_test(learners_found_not_made),
	cmocka_unit_test(launch_tokens),
	cmocka_unit_test(accounts),
	cmocka_unit_test(erase_usage_and_retention),
	cmocka_unit_test(seq_state_fenced_and_reported),
	cmocka_unit_test(seq_globals_per_learner),
	cmocka_unit_test(seq_batches_nodes_and_restarts),
};
const size_t contract_ncases = PC_ARRAY_LEN(contract_cases);
