/* The data model's JSON reader (runtime/cmi/cmi_json_read.c): what it accepts, the values it
 * gives, and every kind of text it refuses, with its reason and position. The fuzz target
 * tests/fuzz/fuzz_cmi_json.c compares it with jansson on arbitrary input. */
#include "cmocka_all.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cmi_json_read.h"
#include "common.h"
#include "test_rte.h"

static const char *refusal(const char *text)
{
	static char err[256];
	struct cmi_json doc;
	err[0] = '\0';
	assert_int_equal(cmi_json_parse(&doc, text, strlen(text), err, sizeof err), PC_EFORMAT);
	cmi_json_free(&doc);
	return err;
}

static void values_and_navigation(void **state)
{
	(void)state;
	const char *text = " {\"a\": [1, -2, 3.5e2, true, false, null], \"s\": \"x\\n\\u00e9\\ud83d\\ude00\\/\","
			   " \"o\": {}, \"e\": [], \"big\": 9223372036854775807, \"neg\": -9223372036854775808} ";
	struct cmi_json doc;
	char err[128] = "";
	assert_int_equal(cmi_json_parse(&doc, text, strlen(text), err, sizeof err), 0);
	const struct cmi_jval *root = cmi_json_root(&doc);
	assert_int_equal(root->type, CMI_J_OBJECT);
	assert_int_equal(root->count, 6);
	assert_int_equal(root->size, doc.n);
	const struct cmi_jval *a = cmi_json_get(root, "a");
	assert_int_equal(a->type, CMI_J_ARRAY);
	assert_int_equal(a->count, 6);
	const enum cmi_jtype want[] = {CMI_J_INT, CMI_J_INT, CMI_J_REAL, CMI_J_TRUE, CMI_J_FALSE, CMI_J_NULL};
	size_t i = 0;
	for (const struct cmi_jval *c = cmi_json_first(a); c; c = cmi_json_next(a, c), i++) {
		assert_int_equal(c->type, want[i]);
		assert_null(c->key);
	}
	assert_int_equal(i, 6);
	assert_int_equal(cmi_json_first(a)->num, 1);
	assert_int_equal(cmi_json_next(a, cmi_json_first(a))->num, -2);
	const struct cmi_jval *s = cmi_json_get(root, "s");
	assert_string_equal(s->str, "x\n\xc3\xa9\xf0\x9f\x98\x80/");
	assert_int_equal(s->len, 9);
	assert_string_equal(s->key, "s");
	assert_int_equal(cmi_json_get(root, "o")->type, CMI_J_OBJECT);
	assert_null(cmi_json_first(cmi_json_get(root, "o")));
	assert_null(cmi_json_first(cmi_json_get(root, "e")));
	assert_true(cmi_json_get(root, "big")->num == INT64_MAX);
	assert_true(cmi_json_get(root, "neg")->num == INT64_MIN);
	assert_null(cmi_json_get(root, "missing"));
	assert_null(cmi_json_get(a, "a")); /* not an object */
	assert_null(cmi_json_get(NULL, "a"));
	cmi_json_free(&doc);
	cmi_json_free(&doc); /* idempotent */

	/* any value at the top */
	assert_int_equal(cmi_json_parse(&doc, "\"t\"", 3, NULL, 0), 0);
	assert_string_equal(cmi_json_root(&doc)->str, "t");
	cmi_json_free(&doc);
}

static void refusals_say_why_and_where(void **state)
{
	(void)state;
	assert_string_equal(refusal(""), "expected a value (at byte 0)");
	assert_string_equal(refusal("  "), "expected a value (at byte 2)");
	assert_string_equal(refusal("{} x"), "text after the value (at byte 3)");
	assert_string_equal(refusal("{\"a\":1,\"a\":2}"), "a member name is repeated in an object");
	assert_string_equal(refusal("[\"\\u0000\"]"), "\\u0000 in a string (at byte 2)");
	assert_string_equal(refusal("\"\\ud800\""), "unpaired surrogate escape (at byte 1)");
	assert_string_equal(refusal("\"\\ud800\\u0041\""), "unpaired surrogate escape (at byte 1)");
	assert_string_equal(refusal("\"\\udc00\""), "unpaired surrogate escape (at byte 1)");
	assert_string_equal(refusal("\"a\tb\""), "control character in a string (at byte 2)");
	assert_string_equal(refusal("\"\xff\""), "invalid UTF-8 (at byte 1)");
	assert_string_equal(refusal("\"\xed\xa0\x80\""), "invalid UTF-8 (at byte 1)"); /* a surrogate */
	assert_string_equal(refusal("\"\\x\""), "invalid escape (at byte 1)");
	assert_string_equal(refusal("\"\\u12\""), "invalid escape (at byte 1)");
	assert_string_equal(refusal("\"abc"), "unterminated string (at byte 4)");
	assert_string_equal(refusal("9223372036854775808"), "integer out of range (at byte 0)");
	assert_string_equal(refusal("-9223372036854775809"), "integer out of range (at byte 0)");
	assert_string_equal(refusal("01"), "text after the value (at byte 1)");
	assert_string_equal(refusal("1."), "invalid number (at byte 2)");
	assert_string_equal(refusal("1e"), "invalid number (at byte 2)");
	assert_string_equal(refusal("-"), "invalid number (at byte 1)");
	assert_string_equal(refusal("tru"), "invalid value (at byte 0)");
	assert_string_equal(refusal("{\"a\" 1}"), "expected ':' (at byte 5)");
	assert_string_equal(refusal("{1:2}"), "expected a member name (at byte 1)");
	assert_string_equal(refusal("[1 2]"), "expected ',' or ']' (at byte 3)");
	assert_string_equal(refusal("{\"a\":1,}"), "expected a member name (at byte 7)");
	assert_string_equal(refusal("[1,]"), "invalid value (at byte 3)");

	/* nesting: 32 levels are read, 33 are not */
	char deep[80];
	memset(deep, '[', 32);
	memset(deep + 32, ']', 32);
	struct cmi_json doc;
	assert_int_equal(cmi_json_parse(&doc, deep, 64, NULL, 0), 0);
	cmi_json_free(&doc);
	memset(deep, '[', 33);
	memset(deep + 33, ']', 33);
	deep[66] = '\0';
	assert_string_equal(refusal(deep), "nested too deeply (at byte 32)");

	/* a NUL byte in the text is not JSON, whatever follows */
	char err[64];
	assert_int_equal(cmi_json_parse(&doc, "\"a\0b\"", 5, err, sizeof err), PC_EFORMAT);
	assert_string_equal(err, "control character in a string (at byte 2)");
	cmi_json_free(&doc);
}

/* Objects with many members are checked for repeated names by sorting: both paths find them. */
static void repeated_names_in_large_objects(void **state)
{
	(void)state;
	char text[2048];
	size_t o = 0;
	text[o++] = '{';
	for (int i = 0; i < 100; i++)
		o += (size_t)snprintf(text + o, sizeof text - o, "%s\"k%d\":%d", i ? "," : "", i, i);
	text[o++] = '}';
	struct cmi_json doc;
	assert_int_equal(cmi_json_parse(&doc, text, o, NULL, 0), 0);
	assert_int_equal(cmi_json_root(&doc)->count, 100);
	assert_int_equal(cmi_json_get(cmi_json_root(&doc), "k57")->num, 57);
	cmi_json_free(&doc);
	memcpy(text + 1, "\"k99\"", 5); /* k0 becomes a second k99 */
	assert_int_equal(cmi_json_parse(&doc, text, o, NULL, 0), PC_EFORMAT);
	cmi_json_free(&doc);
	/* names that differ only in length are different */
	const char *ok = "{\"a\":1,\"ab\":2,\"abc\":3}";
	assert_int_equal(cmi_json_parse(&doc, ok, strlen(ok), NULL, 0), 0);
	cmi_json_free(&doc);
}

int test_json_read(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(values_and_navigation),
		cmocka_unit_test(refusals_say_why_and_where),
		cmocka_unit_test(repeated_names_in_large_objects),
	};
	return cmocka_run_group_tests_name("json_read", tests, NULL, NULL);
}
