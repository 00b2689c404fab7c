/* The store contract for sequencing (store_*_seq.c): an attempt's tracking state fenced by its
 * revision, the rolled-up result that records show as the package-level row (with the records'
 * filters, the SCOs' time summed), the learner's global objectives, inside batches (seen, rolled
 * back), across two handles and a reopened store, and gone with an erased learner. */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends.h"
#include "common.h"

struct seqfx {
	int64_t ann, bob;
	int64_t a1; /* ann's first attempt on p */
};

static store *seq_store(void **state, char **where, struct seqfx *f)
{
	backend *b = *state;
	char *w = b->fresh(b);
	store *s = backend_open(w);
	if (where)
		*where = w;
	else
		free(w);
	char *prev = NULL;
	store_version v = {.package = (char *)"p", .hash = (char *)"h1", .title = (char *)"Course P",
			   .scorm = (char *)"2004-4th", .size = 10};
	assert_int_equal(s->ops->version_put(s, &v, &prev), 0);
	assert_null(prev);
	assert_int_equal(s->ops->learner_ensure(s, "ann", "Ann", &f->ann), 0);
	assert_int_equal(s->ops->learner_ensure(s, "bob", "Bob", &f->bob), 0);
	store_attempt a;
	int created;
	assert_int_equal(s->ops->attempt_launch(s, f->ann, "p", "h1", &a, &created), 0);
	f->a1 = a.id;
	store_attempt_clear(&a);
	return s;
}

static size_t count_rows(store *s, const store_filter *f)
{
	store_seq_record *r = NULL;
	size_t n = 0;
	assert_int_equal(s->ops->seq_records(s, f, &r, &n), 0);
	store_seq_records_free(r, n);
	return n;
}

void seq_state_fenced_and_reported(void **state)
{
	struct seqfx f;
	store *s = seq_store(state, NULL, &f);
	char *text = (char *)"x";
	int64_t rev = 7;
	assert_int_equal(s->ops->seq_get(s, f.a1, &text, &rev), 0);
	assert_null(text); /* nothing stored yet */
	assert_int_equal(rev, 0);
	store_seq_write w = {.attempt_id = f.a1, .expect_rev = -1, .state = "{\"v\":1}",
			     .completion = "incomplete"};
	assert_int_equal(s->ops->seq_put(s, &w), 0);
	assert_int_equal(s->ops->seq_put(s, &w), PC_ECONFLICT); /* a row exists now */
	w.expect_rev = 1;
	w.state = "{\"v\":2}";
	w.completion = "completed";
	w.success = "passed";
	w.score_scaled = "0.8";
	assert_int_equal(s->ops->seq_put(s, &w), 0); /* replaces, revision 2 */
	w.state = "{\"v\":3}";
	assert_int_equal(s->ops->seq_put(s, &w), PC_ECONFLICT); /* revision 1 is gone */
	assert_int_equal(s->ops->seq_get(s, f.a1, &text, &rev), 0);
	assert_string_equal(text, "{\"v\":2}");
	assert_int_equal(rev, 2);
	free(text);
	/* The SCOs' time is summed into the package row. */
	store_sco_write sw = {.attempt_id = f.a1, .item = "i1", .seq = 1, .state = "{}",
			      .total_seconds = 30};
	assert_int_equal(s->ops->sco_put(s, &sw), 0);
	sw.item = "i2";
	sw.total_seconds = 12.5;
	assert_int_equal(s->ops->sco_put(s, &sw), 0);
	/* A second attempt, after the first was closed. */
	assert_int_equal(s->ops->attempt_close(s, f.a1), 0);
	store_attempt a;
	int created;
	assert_int_equal(s->ops->attempt_launch(s, f.ann, "p", "h1", &a, &created), 0);
	assert_true(created);
	store_seq_write w2 = {.attempt_id = a.id, .expect_rev = -1, .state = "{}"};
	assert_int_equal(s->ops->seq_put(s, &w2), 0);
	store_attempt_clear(&a);

	store_seq_record *r = NULL;
	size_t n = 0;
	store_filter all = {0};
	assert_int_equal(s->ops->seq_records(s, &all, &r, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(r[0].learner, "ann");
	assert_string_equal(r[0].learner_name, "Ann");
	assert_string_equal(r[0].package, "p");
	assert_string_equal(r[0].package_title, "Course P");
	assert_int_equal(r[0].attempt, 1);
	assert_true(r[0].closed);
	assert_string_equal(r[0].completion, "completed");
	assert_string_equal(r[0].success, "passed");
	assert_string_equal(r[0].score_scaled, "0.8");
	assert_true(r[0].total_seconds > 42.4 && r[0].total_seconds < 42.6);
	assert_non_null(r[0].updated_at);
	assert_int_equal(r[1].attempt, 2);
	assert_false(r[1].closed);
	assert_null(r[1].completion); /* unknown */
	assert_null(r[1].success);
	assert_true(r[1].total_seconds == 0);
	store_seq_records_free(r, n);
	/* The filters of the records report. */
	store_filter latest = {.latest_only = 1};
	assert_int_equal(s->ops->seq_records(s, &latest, &r, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].attempt, 2);
	store_seq_records_free(r, n);
	store_filter one = {.attempt = f.a1};
	assert_int_equal(count_rows(s, &one), 1);
	store_filter passed = {.status = "passed"};
	assert_int_equal(count_rows(s, &passed), 1);
	store_filter completed = {.status = "completed", .latest_only = 1};
	assert_int_equal(count_rows(s, &completed), 0);
	store_filter other = {.learner = "bob"};
	assert_int_equal(count_rows(s, &other), 0);
	store_filter nopkg = {.package = "q"};
	assert_int_equal(count_rows(s, &nopkg), 0);
	store_filter later = {.since = "9999"};
	assert_int_equal(count_rows(s, &later), 0);
	store_filter earlier = {.until = "9999"};
	assert_int_equal(count_rows(s, &earlier), 2);
	/* A manager sees the package rows of their groups' members only. */
	int64_t g;
	assert_int_equal(s->ops->group_add(s, "team", &g), 0);
	assert_int_equal(s->ops->member_set(s, g, f.bob, 1), 0);
	store_filter managed = {.manager = f.bob};
	assert_int_equal(count_rows(s, &managed), 0);
	assert_int_equal(s->ops->member_set(s, g, f.ann, 0), 0);
	assert_int_equal(count_rows(s, &managed), 2);
	store_filter group = {.group = g};
	assert_int_equal(count_rows(s, &group), 2);
	store_close(s);
}

void seq_globals_per_learner(void **state)
{
	struct seqfx f;
	store *s = seq_store(state, NULL, &f);
	char *g = (char *)"x";
	assert_int_equal(s->ops->seq_globals_get(s, f.ann, &g), 0);
	assert_null(g);
	assert_int_equal(s->ops->seq_globals_put(s, f.ann, "{\"obj\":1}"), 0);
	assert_int_equal(s->ops->seq_globals_put(s, f.ann, "{\"obj\":2}"), 0);
	assert_int_equal(s->ops->seq_globals_get(s, f.ann, &g), 0);
	assert_string_equal(g, "{\"obj\":2}");
	free(g);
	assert_int_equal(s->ops->seq_globals_get(s, f.bob, &g), 0);
	assert_null(g); /* each learner their own */
	/* Erasing a learner takes their sequencing state and global objectives with them. */
	store_seq_write w = {.attempt_id = f.a1, .expect_rev = -1, .state = "{}"};
	assert_int_equal(s->ops->seq_put(s, &w), 0);
	assert_int_equal(s->ops->seq_globals_put(s, f.bob, "{\"b\":1}"), 0);
	assert_int_equal(s->ops->learner_erase(s, f.ann), 0);
	int64_t rev;
	assert_int_equal(s->ops->seq_get(s, f.a1, &g, &rev), 0);
	assert_null(g);
	assert_int_equal(s->ops->seq_globals_get(s, f.ann, &g), 0);
	assert_null(g);
	store_filter all = {0};
	assert_int_equal(count_rows(s, &all), 0);
	assert_int_equal(s->ops->seq_globals_get(s, f.bob, &g), 0);
	assert_string_equal(g, "{\"b\":1}"); /* someone else's stay */
	free(g);
	store_close(s);
}

/* Inside the commit queue's batch: the batch sees its own writes; a rolled-back batch leaves
 * nothing; a reopened store keeps what was committed (a restart mid-course); a second handle
 * (another node) sees it and the fence holds between the two. */
void seq_batches_nodes_and_restarts(void **state)
{
	backend *b = *state;
	char *where = NULL;
	struct seqfx f;
	store *s = seq_store(state, &where, &f);
	assert_int_equal(s->ops->batch_begin(s), 0);
	store_seq_write w = {.attempt_id = f.a1, .expect_rev = -1, .state = "rolled back"};
	assert_int_equal(s->ops->seq_put(s, &w), 0);
	assert_int_equal(s->ops->seq_globals_put(s, f.ann, "rolled back"), 0);
	char *t = NULL;
	int64_t rev;
	assert_int_equal(s->ops->seq_get(s, f.a1, &t, &rev), 0);
	assert_string_equal(t, "rolled back");
	free(t);
	store_filter one = {.attempt = f.a1};
	assert_int_equal(count_rows(s, &one), 1); /* the writer sees the batch */
	assert_int_equal(s->ops->batch_end(s, 0), 0);
	assert_int_equal(s->ops->seq_get(s, f.a1, &t, &rev), 0);
	assert_null(t);
	assert_int_equal(s->ops->seq_globals_get(s, f.ann, &t), 0);
	assert_null(t);
	assert_int_equal(s->ops->batch_begin(s), 0);
	w.state = "kept";
	w.completion = "completed";
	assert_int_equal(s->ops->seq_put(s, &w), 0);
	assert_int_equal(s->ops->seq_globals_put(s, f.ann, "kept too"), 0);
	assert_int_equal(s->ops->batch_end(s, 1), 0);
	if (!b->persistent) {
		store_close(s);
		free(where);
		return;
	}
	store *two = backend_open(where);
	assert_int_equal(two->ops->seq_get(two, f.a1, &t, &rev), 0);
	assert_string_equal(t, "kept");
	assert_int_equal(rev, 1);
	free(t);
	/* Node two moves the attempt on; node one, at the same revision, loses. */
	w.expect_rev = 1;
	w.state = "two";
	assert_int_equal(two->ops->seq_put(two, &w), 0);
	w.state = "one";
	assert_int_equal(s->ops->batch_begin(s), 0);
	assert_int_equal(s->ops->seq_put(s, &w), PC_ECONFLICT);
	assert_int_equal(s->ops->batch_end(s, 1), 0);
	store_close(two);
	store_close(s);
	s = backend_open(where);
	assert_int_equal(s->ops->seq_get(s, f.a1, &t, &rev), 0);
	assert_string_equal(t, "two");
	assert_int_equal(rev, 2);
	free(t);
	assert_int_equal(s->ops->seq_globals_get(s, f.ann, &t), 0);
	assert_string_equal(t, "kept too");
	free(t);
	store_filter all = {0};
	store_seq_record *r = NULL;
	size_t n = 0;
	assert_int_equal(s->ops->seq_records(s, &all, &r, &n), 0); /* the reader, after reopening */
	assert_int_equal(n, 1);
	assert_string_equal(r[0].completion, "completed");
	store_seq_records_free(r, n);
	store_close(s);
	free(where);
}
