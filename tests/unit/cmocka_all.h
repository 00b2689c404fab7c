/* cmocka needs these headers in this order; every C test file includes this instead. */
#ifndef POSTCARD_CMOCKA_ALL_H
#define POSTCARD_CMOCKA_ALL_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#endif
