/* utf8: decoding, rejection of invalid forms, counting code points. */
#include "cmocka_all.h"

#include <string.h>

#include "author.h"
#include "test_common.h"

static void decodes_each_length(void **state)
{
	uint32_t cp;
	assert_int_equal(utf8_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(utf8_decode("\xc3\xa9", 2, &cp), 2);
	assert_int_equal(cp, 0xe9);
	assert_int_equal(utf8_decode("\xe2\x82\xac", 3, &cp), 3);
	assert_int_equal(cp, 0x20ac);
	assert_int_equal(utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1f600);
}

static void rejects_invalid(void **state)
{
	uint32_t cp;
	assert_int_equal(utf8_decode("\xc0\xaf", 2, &cp), 0);     /* overlong '/' */
	assert_int_equal(utf8_decode("\xe0\x80\xaf", 3, &cp), 0); /* overlong */
	assert_int_equal(utf8_decode("\xed\xa0\x80", 3, &cp), 0); /* surrogate */
	assert_int_equal(utf8_decode("\xf4\x90\x80\x80", 4, &cp), 0); /* > U+10FFFF */
	assert_int_equal(utf8_decode("\xc3", 1, &cp), 0);         /* truncated */
	assert_int_equal(utf8_decode("\x80", 1, &cp), 0);         /* lone continuation */
	assert_false(utf8_valid("ab\xff", 3));
	assert_true(utf8_valid("caf\xc3\xa9", 5));
}

static void counts_code_points(void **state)
{
	assert_int_equal(utf8_count("caf\xc3\xa9", 5), 4);
	assert_int_equal(utf8_count("\xf0\x9f\x98\x80x", 5), 2);
	assert_int_equal(utf8_count("\xff\xfe", 2), 2);
	assert_int_equal(utf8_count("", 0), 0);
}

int test_utf8(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decodes_each_length),
		cmocka_unit_test(rejects_invalid),
		cmocka_unit_test(counts_code_points),
	};
	return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
