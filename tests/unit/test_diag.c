/* diag: placement by offset, quoting with a caret, sorting, the kept-findings cap, JSON. */
#include "cmocka_all.h"

#include <string.h>

#include "author.h"
#include "test_common.h"

static const char text[] = "<a>\n  <b x=\"1\"/>\n\t<c\xc3\xa9 d=\"2\"/>\n";

static void locates_offsets(void **state)
{
	diag_src src;
	diag_src_init(&src, "m.xml", text, sizeof text - 1);
	unsigned line, col;
	diag_src_locate(&src, 0, &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 1);
	diag_src_locate(&src, (size_t)(strstr(text, "<b") - text), &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, 3);
	/* columns count code points: "\t<c\xc3\xa9 " is 5 code points before 'd' */
	diag_src_locate(&src, (size_t)(strstr(text, "d=") - text), &line, &col);
	assert_int_equal(line, 3);
	assert_int_equal(col, 6);
	diag_src_locate(&src, 10000, &line, &col); /* clamped to the end */
	assert_int_equal(line, 4);
	assert_int_equal(col, 1);
	diag_src_free(&src);
}

static void renders_gnu_form_with_caret(void **state)
{
	diag_sink *sink;
	assert_int_equal(diag_sink_new(&sink), 0);
	diag_src src;
	diag_src_init(&src, "m.xml", text, sizeof text - 1);
	diag_at(sink, DIAG_ERROR, &src, (size_t)(strstr(text, "<b") - text), "test", "bad %s", "b");
	diag_line(sink, DIAG_WARNING, "other.xml", 7, 0, "w", "line only");
	diag_line(sink, DIAG_NOTE, NULL, 0, 0, "", "no file");
	buf out = BUF_INIT;
	diag_render_text(sink, &out, 1);
	assert_string_equal(buf_cstr(&out), "m.xml:2:3: error: bad b\n"
					    "    2 |   <b x=\"1\"/>\n"
					    "      |   ^\n"
					    "other.xml:7: warning: line only\n"
					    "note: no file\n");
	buf_reset(&out);
	diag_render_text(sink, &out, 0);
	assert_string_equal(buf_cstr(&out),
			    "m.xml:2:3: error: bad b\nother.xml:7: warning: line only\nnote: no file\n");
	assert_int_equal(diag_count_level(sink, DIAG_ERROR), 1);
	assert_int_equal(diag_count_level(sink, DIAG_WARNING), 1);
	buf_free(&out);
	diag_src_free(&src);
	diag_sink_free(sink);
}

static void caret_follows_tabs(void **state)
{
	diag_sink *sink;
	diag_sink_new(&sink);
	diag_src src;
	diag_src_init(&src, "m.xml", text, sizeof text - 1);
	diag_at(sink, DIAG_ERROR, &src, (size_t)(strstr(text, "d=") - text), "t", "here");
	buf out = BUF_INIT;
	diag_render_text(sink, &out, 1);
	assert_string_equal(buf_cstr(&out), "m.xml:3:6: error: here\n"
					    "    3 | \t<c\xc3\xa9 d=\"2\"/>\n"
					    "      | \t    ^\n");
	buf_free(&out);
	diag_src_free(&src);
	diag_sink_free(sink);
}

static void messages_stay_on_one_line(void **state)
{
	diag_sink *sink;
	diag_sink_new(&sink);
	diag_line(sink, DIAG_ERROR, "f", 1, 1, "x", "two\nlines");
	assert_string_equal(diag_get(sink, 0)->message, "two lines");
	diag_sink_free(sink);
}

static void sorts_stably(void **state)
{
	diag_sink *sink;
	diag_sink_new(&sink);
	diag_line(sink, DIAG_ERROR, "b", 1, 1, "", "b1");
	diag_line(sink, DIAG_ERROR, "a", 9, 1, "", "a9");
	diag_line(sink, DIAG_ERROR, "a", 2, 5, "", "a2-first");
	diag_line(sink, DIAG_ERROR, "a", 2, 5, "", "a2-second");
	diag_sort(sink);
	assert_string_equal(diag_get(sink, 0)->message, "a2-first");
	assert_string_equal(diag_get(sink, 1)->message, "a2-second");
	assert_string_equal(diag_get(sink, 2)->message, "a9");
	assert_string_equal(diag_get(sink, 3)->message, "b1");
	diag_sink_free(sink);
}

static void caps_kept_findings(void **state)
{
	diag_sink *sink;
	diag_sink_new(&sink);
	for (int i = 0; i < DIAG_MAX_KEPT + 5; i++)
		diag_line(sink, DIAG_ERROR, "f", 1, 1, "x", "e%d", i);
	assert_int_equal(diag_count(sink), DIAG_MAX_KEPT);
	assert_int_equal(diag_count_level(sink, DIAG_ERROR), DIAG_MAX_KEPT + 5);
	buf out = BUF_INIT;
	diag_render_text(sink, &out, 0);
	assert_non_null(strstr(buf_cstr(&out), "note: 5 more findings were not kept\n"));
	buf_free(&out);
	diag_sink_free(sink);
}

static void renders_json(void **state)
{
	diag_sink *sink;
	diag_sink_new(&sink);
	diag_line(sink, DIAG_WARNING, "a \"q\".xml", 3, 4, "chk", "say \"hi\"");
	diag_line(sink, DIAG_ERROR, NULL, 0, 0, "zip", "bad");
	buf out = BUF_INIT;
	diag_render_json(sink, &out);
	assert_string_equal(buf_cstr(&out),
			    "[{\"file\":\"a \\\"q\\\".xml\",\"line\":3,\"column\":4,\"level\":\"warning\","
			    "\"check\":\"chk\",\"message\":\"say \\\"hi\\\"\"},"
			    "{\"file\":null,\"line\":0,\"column\":0,\"level\":\"error\",\"check\":\"zip\","
			    "\"message\":\"bad\"}]");
	buf_free(&out);
	diag_sink_free(sink);
}

int test_diag(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(locates_offsets),       cmocka_unit_test(renders_gnu_form_with_caret),
		cmocka_unit_test(caret_follows_tabs),    cmocka_unit_test(messages_stay_on_one_line),
		cmocka_unit_test(sorts_stably),          cmocka_unit_test(caps_kept_findings),
		cmocka_unit_test(renders_json),
	};
	return cmocka_run_group_tests_name("diag", tests, NULL, NULL);
}
