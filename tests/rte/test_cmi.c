/* The C model's server-side API: states as JSON, seeding, commits from the browser. */
#include "cmocka_all.h"

#include <string.h>

#include "cmi.h"
#include "test_rte.h"

static void placeholder(void **state) { (void)state; }

int test_cmi(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(placeholder),
	};
	return cmocka_run_group_tests_name("cmi", tests, NULL, NULL);
}
