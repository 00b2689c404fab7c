/* The run-time data model's C tests: shared vectors, then the API the server uses. */
#include "cmocka_all.h"

#include "test_rte.h"

int main(void)
{
	int failed = 0;
	failed += test_vectors();
	failed += test_cmi();
	failed += test_json_read();
	return failed ? 1 : 0;
}
