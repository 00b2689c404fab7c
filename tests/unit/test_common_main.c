/* Runs the unit tests of the shared utilities: buf, diag, utf8, lazylib, fstree. */
#include "cmocka_all.h"
#include "test_common.h"

int main(void)
{
	int failed = 0;
	failed += test_buf();
	failed += test_diag();
	failed += test_utf8();
	failed += test_lazylib();
	failed += test_fstree();
	return failed ? 1 : 0;
}
