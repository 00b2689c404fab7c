/* lazylib: a library loaded on the first call of one of its functions, once; a library that is
 * not there is reported by lazylib_load (the stubs' own path ends the process, as the dynamic
 * loader would, and is covered by validate_startup's end-to-end run). */
#include "cmocka_all.h"

#include <string.h>
#include <zlib.h>

#include "common.h"
#include "lazylib.h"
#include "test_common.h"

/* a stub of zlib's crc32, as the stub files define libzip's functions: calls to crc32 in this
 * binary come here (libz.so.1 is mapped already, so dlopen only takes a reference) */
static lazylib z = LAZYLIB_INIT("libz.so.1");
LAZYLIB_FN(z, uLong, crc32, (uLong crc, const Bytef *buf, uInt len), (crc, buf, len))

static void loads_on_first_call(void **state)
{
	assert_false(lazylib_loaded(&z));
	const Bytef data[] = "123456789";
	assert_int_equal(crc32(0, data, 9), 0xcbf43926UL); /* the CRC-32 check value */
	assert_true(lazylib_loaded(&z));
	/* the cache the stub filled is what a lookup returns */
	static _Atomic(lazylib_fnptr) cache;
	lazylib_fnptr f = lazylib_fn(&z, &cache, "crc32");
	assert_non_null(f);
	assert_ptr_equal(lazylib_fn(&z, &cache, "crc32"), f);
	assert_int_equal(((uLong(*)(uLong, const Bytef *, uInt))f)(0, data, 4), crc32(0, data, 4));
}

static void missing_library_is_reported(void **state)
{
	lazylib nope = LAZYLIB_INIT("libpostcard-no-such-library.so.1");
	char why[256] = "";
	assert_int_equal(lazylib_load(&nope, why, sizeof why), PC_ENOTFOUND);
	assert_non_null(strstr(why, "libpostcard-no-such-library.so.1"));
	assert_false(lazylib_loaded(&nope));
	lazylib here = LAZYLIB_INIT("libz.so.1");
	assert_int_equal(lazylib_load(&here, NULL, 0), 0);
	assert_true(lazylib_loaded(&here));
}

int test_lazylib(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(loads_on_first_call),
		cmocka_unit_test(missing_library_is_reported),
	};
	return cmocka_run_group_tests_name("lazylib", tests, NULL, NULL);
}
