/* Unit tests of compiler parts with exact answers: the zip writer (read back with libzip), the
 * suspend_data budget formula, the fixed shuffles, the page template rules, module reading. */
#include "../unit/cmocka_all.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zip.h>

#include "author.h"
#include "model.h"
#include "page.h"
#include "zipwrite.h"

static zip_t *open_zip(const unsigned char *data, size_t len, zip_source_t **src)
{
	zip_error_t err;
	zip_error_init(&err);
	*src = zip_source_buffer_create(data, len, 0, &err);
	assert_non_null(*src);
	zip_t *z = zip_open_from_source(*src, ZIP_CHECKCONS, &err);
	assert_non_null(z);
	return z;
}

static void zip_round_trip(void **state)
{
	(void)state;
	zipw *w = NULL;
	assert_int_equal(zipw_new(&w, 1700000000, NULL), 0);
	char big[5000];
	memset(big, 'a', sizeof big);
	assert_int_equal(zipw_add(w, "imsmanifest.xml", "<manifest/>", 11), 0);
	assert_int_equal(zipw_add(w, "big.txt", big, sizeof big), 0);
	assert_int_equal(zipw_add(w, "empty.txt", "", 0), 0);
	assert_int_equal(zipw_add(w, "caf\xc3\xa9.txt", "x", 1), 0);
	unsigned char *data = NULL;
	size_t len = 0;
	assert_int_equal(zipw_finish(w, &data, &len), 0);
	zipw_free(w);

	zip_source_t *src;
	zip_t *z = open_zip(data, len, &src);
	assert_int_equal(zip_get_num_entries(z, 0), 4);
	assert_string_equal(zip_get_name(z, 0, 0), "imsmanifest.xml");
	assert_string_equal(zip_get_name(z, 3, 0), "caf\xc3\xa9.txt");
	zip_stat_t st;
	assert_int_equal(zip_stat_index(z, 1, 0, &st), 0);
	assert_int_equal(st.size, sizeof big);
	assert_int_equal(st.comp_method, ZIP_CM_DEFLATE);
	assert_true(st.comp_size < 100);
	assert_int_equal(zip_stat_index(z, 0, 0, &st), 0);
	assert_int_equal(st.comp_method, ZIP_CM_STORE); /* too small to shrink */
	/* no extra fields at all: they would carry times and uids */
	for (zip_uint64_t i = 0; i < 4; i++)
		assert_int_equal(zip_file_extra_fields_count(z, i, ZIP_FL_LOCAL | ZIP_FL_CENTRAL), 0);
	zip_uint8_t os;
	zip_uint32_t attr;
	assert_int_equal(zip_file_get_external_attributes(z, 1, 0, &os, &attr), 0);
	assert_int_equal(os, ZIP_OPSYS_UNIX);
	assert_int_equal(attr >> 16, 0100644);
	zip_file_t *f = zip_fopen_index(z, 1, 0);
	assert_non_null(f);
	char back[sizeof big];
	assert_int_equal(zip_fread(f, back, sizeof back), sizeof back);
	assert_memory_equal(back, big, sizeof big);
	zip_fclose(f);
	zip_close(z);
	free(data);
}

/* libzip turns the DOS time into a time_t through the local zone: read it in UTC. */
static void zip_times_in_utc(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	const int64_t cases[][2] = {
		{1700000000, 1700000000}, /* 2023-11-14T22:13:20Z */
		{1700000001, 1700000000}, /* two-second steps */
		{0, 315532800},           /* before 1980: clamped to 1980-01-01 */
		{951782400, 951782400},   /* 2000-02-29 */
	};
	for (size_t i = 0; i < PC_ARRAY_LEN(cases); i++) {
		zipw *w = NULL;
		assert_int_equal(zipw_new(&w, cases[i][0], NULL), 0);
		assert_int_equal(zipw_add(w, "a", "b", 1), 0);
		unsigned char *data = NULL;
		size_t len = 0;
		assert_int_equal(zipw_finish(w, &data, &len), 0);
		zipw_free(w);
		zip_source_t *src;
		zip_t *z = open_zip(data, len, &src);
		zip_stat_t st;
		assert_int_equal(zip_stat_index(z, 0, 0, &st), 0);
		assert_int_equal((int64_t)st.mtime, cases[i][1]);
		zip_close(z);
		free(data);
	}
}

static unsigned char *find_bytes(unsigned char *hay, size_t n, const char *needle, size_t m)
{
	for (size_t i = 0; i + m <= n; i++)
		if (memcmp(hay + i, needle, m) == 0)
			return hay + i;
	return NULL;
}

/* The same files give the same bytes: with a fresh deflate state, with one reused across entries
 * in another order first, and with the build-wide cache primed by an earlier archive. */
static void zip_same_input_same_bytes(void **state)
{
	(void)state;
	static char big[20000], other[9000];
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (char)("abcdefgh"[i % 8] + (char)(i % 13 == 0));
	memset(other, 'z', sizeof other);
	unsigned char *d[3];
	size_t l[3];
	zcache *cache = NULL;
	assert_int_equal(zcache_new(&cache), 0);
	for (int k = 0; k < 3; k++) {
		zipw *w = NULL;
		if (k == 2) { /* prime the cache with another archive holding the same big file */
			assert_int_equal(zipw_new(&w, 0, cache), 0);
			assert_int_equal(zipw_add(w, "other", other, sizeof other), 0);
			assert_int_equal(zipw_add(w, "big", big, sizeof big), 0);
			unsigned char *tmp;
			size_t tl;
			assert_int_equal(zipw_finish(w, &tmp, &tl), 0);
			free(tmp);
			zipw_free(w);
		}
		assert_int_equal(zipw_new(&w, BUILD_DEFAULT_EPOCH, k == 2 ? cache : NULL), 0);
		if (k == 1) /* warm this archive's deflate state on something else first */
			assert_int_equal(zipw_add(w, "warm", other, sizeof other), 0);
		assert_int_equal(zipw_add(w, "x/y.html", "<p>hello hello hello</p>", 24), 0);
		assert_int_equal(zipw_add(w, "big", big, sizeof big), 0);
		assert_int_equal(zipw_finish(w, &d[k], &l[k]), 0);
		zipw_free(w);
	}
	zcache_free(cache);
	/* archive 1 has an extra first entry: compare its "big" entry's bytes with archive 0's */
	assert_int_equal(l[0], l[2]);
	assert_memory_equal(d[0], d[2], l[0]);
	unsigned char *p0 = find_bytes(d[0], l[0], "big", 3), *p1 = find_bytes(d[1], l[1], "big", 3);
	assert_non_null(p0);
	assert_non_null(p1);
	/* the local header starts 30 bytes before the name; compressed size at offset 18 */
	const unsigned char *h0 = p0 - 30, *h1 = p1 - 30;
	size_t c0 = h0[18] | (size_t)h0[19] << 8 | (size_t)h0[20] << 16 | (size_t)h0[21] << 24;
	size_t c1 = h1[18] | (size_t)h1[19] << 8 | (size_t)h1[20] << 16 | (size_t)h1[21] << 24;
	assert_int_equal(c0, c1);
	assert_true(c0 > 0 && c0 < sizeof big / 4); /* deflated */
	assert_memory_equal(p0, p1, 3 + c0);
	for (int k = 0; k < 3; k++)
		free(d[k]);
}

/* The budget formula of author/render/web/README.md "Encoding", worked by hand. */
static void budget_formula(void **state)
{
	(void)state;
	module m;
	memset(&m, 0, sizeof m);
	card cards[5];
	m.cards = cards;
	m.ncards = 5; /* "1." + 2 hex digits */
	question q[8];
	memset(q, 0, sizeof q);
	q[0].type = Q_CHOICE;
	q[1].type = Q_MULTIPLE;
	q[1].noptions = 4;
	q[2].type = Q_TRUE_FALSE;
	q[3].type = Q_FILL_IN;
	q[3].maxlength = 60;
	q[4].type = Q_NUMERIC;
	q[5].type = Q_MATCHING;
	q[5].npairs = 3;
	q[6].type = Q_ORDERING;
	q[6].nsteps = 5;
	q[7].type = Q_LIKERT;
	q[7].noptions = 5;
	m.questions = q;
	m.nquestions = 8;
	budget_compute(&m);
	/* 4 + 8 separators + 1 + 4 + 1 + 180 + 19 + 3 + 5 + 1 */
	assert_int_equal(m.budget, 4 + 8 + 1 + 4 + 1 + 180 + 19 + 3 + 5 + 1);
	m.nquestions = 0;
	m.ncards = 4;
	budget_compute(&m);
	assert_int_equal(m.budget, 3);
}

/* The reading-time estimate of author/source/minutes.c, worked by hand: words at 200 a minute
 * (markup between < and > not counted), 30 s a question, 3 min for a reflection, rounded up to
 * whole minutes and, above ten, to a multiple of five. */
static void minutes_formula(void **state)
{
	(void)state;
	module m;
	memset(&m, 0, sizeof m);
	card c[1];
	memset(c, 0, sizeof c);
	/* 400 words ("word " x 400) inside markup: 2 minutes of reading */
	static char html[4096];
	strcpy(html, "<p class=\"x y z\">");
	for (int i = 0; i < 400; i++)
		strcat(html, "word ");
	strcat(html, "</p>");
	c[0].html = html;
	m.cards = c;
	m.ncards = 1;
	minutes_compute(&m);
	assert_int_equal(m.minutes, 2);
	question q[2];
	memset(q, 0, sizeof q);
	q[0].prompt = "Which one is it?"; /* 4 words */
	q[1].prompt = "Why?";             /* 1 word */
	m.questions = q;
	m.nquestions = 2;
	m.has_reflection = 1;
	m.refl_prompt = "What will you do?"; /* 4 words */
	minutes_compute(&m);
	/* 409 words = 122.7 s, + 60 s + 180 s = 362.7 s: 7 minutes */
	assert_int_equal(m.minutes, 7);
	c[0].html = NULL;
	m.nquestions = 0;
	m.has_reflection = 0;
	minutes_compute(&m);
	assert_int_equal(m.minutes, 1); /* never 0 */
	m.nquestions = 2;
	m.has_reflection = 1;
	char *big = malloc(2400 * 5 + 1);
	assert_non_null(big);
	big[0] = '\0';
	for (int i = 0; i < 2400; i++)
		strcat(big, "word ");
	c[0].html = big;
	minutes_compute(&m);
	/* 2409 words = 722.7 s, + 60 + 180 = 962.7 s: 17 minutes -> 20 */
	assert_int_equal(m.minutes, 20);
	free(big);
}

static void shuffles_fixed_and_never_identity(void **state)
{
	(void)state;
	module m;
	memset(&m, 0, sizeof m);
	m.id = "peer-assist";
	question q[10];
	memset(q, 0, sizeof q);
	char id[10][8];
	for (int i = 0; i < 10; i++) {
		snprintf(id[i], sizeof id[i], "q%d", i);
		q[i].id = id[i];
		q[i].type = i % 2 ? Q_MATCHING : Q_ORDERING;
		q[i].npairs = q[i].nsteps = (size_t)(i + 2 > 10 ? 10 : i + 2);
	}
	m.questions = q;
	m.nquestions = 10;
	assert_int_equal(module_shuffle(&m), 0);
	size_t first[10];
	memcpy(first, q[8].shown, sizeof first);
	for (int i = 0; i < 10; i++) {
		size_t n = q[i].nsteps, seen = 0, same = 0;
		for (size_t k = 0; k < n; k++) {
			assert_true(q[i].shown[k] < n);
			seen |= (size_t)1 << q[i].shown[k];
			same += q[i].shown[k] == k;
		}
		assert_int_equal(seen, ((size_t)1 << n) - 1); /* a permutation */
		assert_true(same < n);                       /* never already in order */
	}
	assert_int_equal(module_shuffle(&m), 0); /* same ids, same shuffle */
	assert_memory_equal(first, q[8].shown, sizeof first);
	for (int i = 0; i < 10; i++)
		free(q[i].shown);
}

static void template_rules(void **state)
{
	(void)state;
	const char *missing = NULL;
	const char ok[] = "{{title}}{{title}}{{cards}}{{data}}{{assets}}{{assets}}";
	assert_int_equal(page_check_template(ok, strlen(ok), &missing), 0);
	const char twice[] = "{{cards}}{{cards}}{{data}}";
	assert_int_equal(page_check_template(twice, strlen(twice), &missing), PC_EFORMAT);
	assert_string_equal(missing, "{{cards}}");
	const char none[] = "{{cards}}";
	assert_int_equal(page_check_template(none, strlen(none), &missing), PC_EFORMAT);
	assert_string_equal(missing, "{{data}}");
}

/* A title holding "{{cards}}" stays text: replacement is one pass. */
static void page_single_pass(void **state)
{
	(void)state;
	module m;
	memset(&m, 0, sizeof m);
	m.id = "m";
	m.version = "1.0.0";
	m.lang = "en";
	m.title = "{{cards}} & <b>";
	m.phase = "before";
	m.summary = "s";
	buf out = BUF_INIT;
	const char tpl[] = "<title>{{title}}</title>{{cards}}<x>{{data}}</x>";
	assert_int_equal(page_render(&m, "1.2", "generic", m.budget, "assets/", tpl, strlen(tpl), &out), 0);
	assert_non_null(strstr(buf_cstr(&out), "<title>{{cards}} &amp; &lt;b&gt;</title>"));
	assert_non_null(strstr(buf_cstr(&out), "\"title\":\"{{cards}} \\u0026 \\u003cb\\u003e\""));
	assert_non_null(strstr(buf_cstr(&out), "\"suspendBudget\":0}"));
	buf_free(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(zip_round_trip),
		cmocka_unit_test(zip_times_in_utc),
		cmocka_unit_test(zip_same_input_same_bytes),
		cmocka_unit_test(budget_formula),
		cmocka_unit_test(minutes_formula),
		cmocka_unit_test(shuffles_fixed_and_never_identity),
		cmocka_unit_test(template_rules),
		cmocka_unit_test(page_single_pass),
	};
	return cmocka_run_group_tests_name("compiler", tests, NULL, NULL);
}
