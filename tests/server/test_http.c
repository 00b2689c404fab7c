/* http.c: strict segment decoding, query parameters, the one JSON error shape. */
#include "cmocka_all.h"

#include <string.h>

#include <jansson.h>

#include "test_server.h"

static void segments_decode_or_refuse(void **state)
{
	char out[64];
	assert_int_equal(http_decode_segment("a%20b", 5, out, sizeof out), 0);
	assert_string_equal(out, "a b");
	assert_int_equal(http_decode_segment("caf%C3%A9", 9, out, sizeof out), 0);
	assert_string_equal(out, "caf\xc3\xa9");
	static const char *const bad[] = {
		"a%2fb", "a%2Fb", "a%5cb", "a\\b", "a%00b", "a%0", "a%zz", "%c0%ae", "%e0%80%ae",
		"%ed%a0%80", "%ff", "a%0ab", "%7f",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(http_decode_segment(bad[i], strlen(bad[i]), out, sizeof out), -1);
	/* No room is a refusal, not a truncation. */
	assert_int_equal(http_decode_segment("abcdef", 6, out, 4), -1);
}

static void query_parameters(void **state)
{
	test_req t;
	test_req_init(&t, "GET", "/x?a=1&package=peer%20assist&b=&flag&plus=a+b", NULL);
	char v[32];
	assert_true(http_query_param(&t.req, "package", v, sizeof v));
	assert_string_equal(v, "peer assist");
	assert_true(http_query_param(&t.req, "plus", v, sizeof v));
	assert_string_equal(v, "a b");
	assert_true(http_query_param(&t.req, "b", v, sizeof v));
	assert_string_equal(v, "");
	assert_true(http_query_param(&t.req, "flag", v, sizeof v));
	assert_false(http_query_param(&t.req, "pack", v, sizeof v));
	test_req_init(&t, "GET", "/x?bad=%00", NULL);
	assert_false(http_query_param(&t.req, "bad", v, sizeof v));
}

static void error_shape(void **state)
{
	http_response r;
	http_response_init(&r);
	buf_puts(&r.body, "half a page");
	http_errorf(&r, 404, "no \"%s\" here", "x");
	assert_int_equal(r.status, 404);
	assert_string_equal(r.content_type, "application/json");
	json_error_t je;
	json_t *j = json_loads(buf_cstr(&r.body), 0, &je);
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j, "code")), 404);
	assert_string_equal(json_string_value(json_object_get(j, "error")), "Not Found");
	assert_string_equal(json_string_value(json_object_get(j, "detail")), "no \"x\" here");
	assert_int_equal(json_object_size(j), 3);
	json_decref(j);
	http_response_free(&r);
}

static void headers_are_kept(void **state)
{
	http_response r;
	http_response_init(&r);
	for (int i = 0; i < HTTP_MAX_RESP_HEADERS; i++)
		assert_int_equal(http_header_add(&r, "X-N", "%d", i), 0);
	assert_int_equal(http_header_add(&r, "X-Extra", "1"), PC_ELIMIT);
	assert_string_equal(http_response_header(&r, "x-n"), "0");
	assert_null(http_response_header(&r, "X-Extra"));
	http_response_free(&r);
}

int test_http(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(segments_decode_or_refuse),
		cmocka_unit_test(query_parameters),
		cmocka_unit_test(error_shape),
		cmocka_unit_test(headers_are_kept),
	};
	return cmocka_run_group_tests_name("http", tests, NULL, NULL);
}
