/* Runs the server's unit tests: handlers and storage without sockets. */
#include "cmocka_all.h"
#include "test_server.h"

int main(void)
{
	int failed = 0;
	failed += test_http();
	failed += test_zipserve();
	failed += test_scolist();
	failed += test_routes();
	failed += test_team();
	return failed ? 1 : 0;
}
