/* The manifest reader: well-formedness findings with line:col, element and attribute offsets,
 * entities never expanded or fetched, text helpers that never read entity content. */
#include "cmocka_all.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "manifest.h"
#include "test_validate.h"

static manifest *parse(const char *text, diag_sink **sink, int *rc)
{
	manifest *m = NULL;
	assert_int_equal(diag_sink_new(sink), 0);
	*rc = manifest_parse(&m, "imsmanifest.xml", text, strlen(text), *sink);
	return m;
}

static void locates_elements_and_attributes(void **state)
{
	const char *t = "<?xml version=\"1.0\"?>\n<!-- <fake a=\"1\"> -->\n<a xmlns=\"urn:a\" x=\"1\">\n"
			"  <![CDATA[<notatag>]]><b\n     y='2' z=\"&lt;\"/><?pi <c?>\n  <c\xc3\xa9/>\n</a>\n";
	diag_sink *sink;
	int rc;
	manifest *m = parse(t, &sink, &rc);
	assert_int_equal(rc, 0);
	xmlNode *a = manifest_root(m), *b = mf_first(a), *c = mf_next(b);
	unsigned line, col;
	manifest_locate(m, a, &line, &col);
	assert_int_equal(line, 3);
	assert_int_equal(col, 1);
	manifest_locate(m, b, &line, &col);
	assert_int_equal(line, 4);
	assert_int_equal(col, 24);
	manifest_locate(m, (xmlNode *)mf_attr_node(b, NULL, "z"), &line, &col);
	assert_int_equal(line, 5);
	assert_int_equal(col, 12);
	assert_string_equal(mf_attr(m, b, NULL, "z"), "<");
	manifest_locate(m, c, &line, &col);
	assert_int_equal(line, 6);
	assert_int_equal(col, 3);
	assert_true(mf_is(b, "urn:a", "b"));
	assert_false(mf_is(b, NULL, "b"));
	manifest_free(m);
	diag_sink_free(sink);
}

static void reports_malformed_xml_with_place(void **state)
{
	diag_sink *sink;
	int rc;
	manifest *m = parse("<a>\n  <b></c>\n</a>\n", &sink, &rc);
	assert_null(m);
	assert_int_equal(rc, PC_EFORMAT);
	const diag *d = diag_get(sink, 0);
	assert_non_null(d);
	assert_string_equal(d->check, "xml");
	assert_int_equal(d->line, 2);
	assert_true(d->col > 0);
	diag_sink_free(sink);
	m = parse("this is not XML at all", &sink, &rc);
	assert_null(m);
	assert_string_equal(diag_get(sink, 0)->check, "xml");
	diag_sink_free(sink);
	m = parse("", &sink, &rc);
	assert_null(m);
	diag_sink_free(sink);
}

static void never_expands_or_fetches_entities(void **state)
{
	/* a file the external entity would read if it were ever loaded */
	char path[] = "/tmp/pc_secret_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "SECRET-CONTENT", 14), 14);
	close(fd);
	char text[1024];
	snprintf(text, sizeof text,
		 "<?xml version=\"1.0\"?>\n<!DOCTYPE a [\n<!ENTITY ext SYSTEM \"file://%s\">\n"
		 "<!ENTITY web SYSTEM \"http://127.0.0.1:9/x\">\n<!ENTITY in \"inner\">\n]>\n"
		 "<a><t>&ext;</t><u>&web;</u><v>&in;</v></a>\n",
		 path);
	diag_sink *sink;
	int rc;
	manifest *m = parse(text, &sink, &rc);
	assert_int_equal(rc, 0);
	assert_true(manifest_has_entities(m));
	size_t entity = 0;
	for (size_t i = 0; i < diag_count(sink); i++)
		entity += strcmp(diag_get(sink, i)->check, "entity") == 0;
	assert_int_equal(entity, 3);
	xmlNode *t = mf_first(manifest_root(m));
	assert_string_equal(mf_text(m, t), "");
	assert_string_equal(mf_text(m, mf_next(mf_next(t))), "");
	buf out = BUF_INIT;
	diag_render_text(sink, &out, 1);
	assert_null(strstr(buf_cstr(&out), "SECRET-CONTENT"));
	buf_free(&out);
	manifest_free(m);
	diag_sink_free(sink);
	unlink(path);
}

static void billion_laughs_is_cheap(void **state)
{
	const char *t =
		"<?xml version=\"1.0\"?>\n<!DOCTYPE l [\n<!ENTITY a \"aaaaaaaaaa\">\n"
		"<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
		"<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
		"<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\n"
		"<!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">\n<!ENTITY i \"&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;\">\n"
		"]>\n<a x=\"&i;\">&i;&i;&i;&i;</a>\n";
	diag_sink *sink;
	int rc;
	manifest *m = parse(t, &sink, &rc);
	/* libxml2 either refuses it as an entity loop or keeps it unexpanded: both are fine,
	 * expanding it is not */
	if (m) {
		assert_true(manifest_has_entities(m));
		assert_true(strlen(mf_text(m, manifest_root(m))) < 100);
		assert_true(strlen(mf_attr(m, manifest_root(m), NULL, "x")) < 100);
	}
	assert_true(diag_count_level(sink, DIAG_ERROR) > 0);
	manifest_free(m);
	diag_sink_free(sink);
}

/* validate_options.keep_manifest hands the parsed manifest to the caller (who frees it);
 * without it the validation frees it and result.manifest is NULL. */
static void keep_manifest_hands_it_over(void **state)
{
	static const char *const files[] = {"a.html", NULL};
	const char *text = "<manifest xmlns=\"" NS_CP12 "\" identifier=\"m\"><organizations/>"
			   "<resources/></manifest>";
	for (int keep = 0; keep <= 1; keep++) {
		diag_sink *sink;
		validate_result res;
		validate_options opt = {0, VALIDATE_LMS_NONE, keep};
		assert_int_equal(validate_text_opts(text, files, NULL, NULL, &opt, &sink, &res), 0);
		if (keep) {
			assert_non_null(res.manifest);
			assert_true(mf_is(manifest_root(res.manifest), NS_CP12, "manifest"));
		} else {
			assert_null(res.manifest);
		}
		manifest_free(res.manifest);
		diag_sink_free(sink);
	}
}

int test_manifest(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(locates_elements_and_attributes),
		cmocka_unit_test(reports_malformed_xml_with_place),
		cmocka_unit_test(never_expands_or_fetches_entities),
		cmocka_unit_test(billion_laughs_is_cheap),
		cmocka_unit_test(keep_manifest_hands_it_over),
	};
	return cmocka_run_group_tests_name("manifest", tests, NULL, NULL);
}
