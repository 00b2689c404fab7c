/* buf: growth, the cap, failure stickiness, escaping. */
#include "cmocka_all.h"

#include <stdlib.h>
#include <string.h>

#include "author.h"
#include "test_common.h"

static void grows_and_terminates(void **state)
{
	buf b = BUF_INIT;
	for (int i = 0; i < 1000; i++)
		assert_int_equal(buf_printf(&b, "%d,", i), 0);
	assert_int_equal(b.len, strlen(b.data));
	assert_true(strncmp(b.data, "0,1,2,", 6) == 0);
	assert_true(strstr(b.data, "999,") != NULL);
	buf_free(&b);
	buf_free(&b); /* twice is harmless */
}

static void cap_fails_and_sticks(void **state)
{
	buf b;
	buf_init(&b, 8);
	assert_int_equal(buf_puts(&b, "12345678"), 0);
	assert_int_equal(buf_putc(&b, '9'), PC_ELIMIT);
	assert_null(b.data); /* freed on failure */
	assert_int_equal(buf_puts(&b, "x"), PC_ELIMIT);
	assert_int_equal(buf_error(&b), PC_ELIMIT);
	assert_string_equal(buf_cstr(&b), "");
	size_t len = 99;
	assert_null(buf_detach(&b, &len));
	assert_int_equal(len, 0);
	buf_reset(&b);
	assert_int_equal(buf_puts(&b, "ok"), 0);
	assert_string_equal(buf_cstr(&b), "ok");
	buf_free(&b);
}

static void xml_escaping(void **state)
{
	buf b = BUF_INIT;
	const char *s = "a<b>&\"c'";
	buf_put_xml(&b, s, strlen(s));
	assert_string_equal(buf_cstr(&b), "a&lt;b&gt;&amp;&quot;c&#39;");
	buf_free(&b);
}

static void json_escaping(void **state)
{
	buf b = BUF_INIT;
	buf_put_json_string(&b, "q\"\\\n\t\x01</script>\xe2\x80\xa8");
	assert_string_equal(buf_cstr(&b),
			    "\"q\\\"\\\\\\n\\t\\u0001\\u003c/script\\u003e\\u2028\"");
	buf_reset(&b);
	buf_put_json_string(&b, "bad\xff\xc3(");
	assert_string_equal(buf_cstr(&b), "\"bad\\ufffd\\ufffd(\"");
	buf_reset(&b);
	buf_put_json_string(&b, "caf\xc3\xa9");
	assert_string_equal(buf_cstr(&b), "\"caf\xc3\xa9\"");
	buf_free(&b);
}

static void detach_hands_over(void **state)
{
	buf b = BUF_INIT;
	buf_puts(&b, "hello");
	size_t len;
	char *p = buf_detach(&b, &len);
	assert_string_equal(p, "hello");
	assert_int_equal(len, 5);
	assert_null(b.data);
	free(p);
}

int test_buf(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(grows_and_terminates), cmocka_unit_test(cap_fails_and_sticks),
		cmocka_unit_test(xml_escaping),         cmocka_unit_test(json_escaping),
		cmocka_unit_test(detach_hands_over),
	};
	return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
