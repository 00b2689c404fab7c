/* Runs the validator's unit tests: package reader, manifest reader, checks, content scan. */
#include "cmocka_all.h"
#include "test_validate.h"

int main(void)
{
	int failed = 0;
	failed += test_pkg();
	failed += test_manifest();
	failed += test_checks();
	failed += test_content();
	return failed ? 1 : 0;
}
