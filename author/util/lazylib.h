/* Shared libraries loaded on first use instead of at start-up. `postcard validate` and
 * `build` never touch libpq, libmicrohttpd or (for ordinary zips) libzip, yet with plain
 * linking the dynamic loader maps and relocates them and their dependencies (Kerberos, LDAP,
 * OpenSSL, GnuTLS: some 30 objects) before main, the largest part of a short command's
 * start-up. A library linked lazily is not a DT_NEEDED of the binary: a stub file defines its
 * functions (LAZYLIB_FN below), each of which loads the library on its first call and jumps to
 * the real function. Nothing else in the code changes; cmake/LazyLibrary.cmake decides which
 * libraries are linked this way (POSTCARD_LAZY_LIBS). */
#ifndef POSTCARD_LAZYLIB_H
#define POSTCARD_LAZYLIB_H

#include <stdatomic.h>

typedef void (*lazylib_fnptr)(void);

typedef struct lazylib {
	const char *soname;    /* what to dlopen, e.g. "libpq.so.5" (the SONAME linking would record) */
	_Atomic(void *) handle; /* NULL until loaded */
} lazylib;

#define LAZYLIB_INIT(soname) {soname, NULL}

/* The address of `name` in `lib`, loading the library on first use; `*cache` keeps it for the
 * next call (thread-safe). A library or symbol that cannot be loaded ends the process as the
 * dynamic loader would have at start-up (message on stderr, exit status 127): it is a broken
 * installation, not something a caller could handle. */
lazylib_fnptr lazylib_fn(lazylib *lib, _Atomic(lazylib_fnptr) *cache, const char *name);

/* Loads `lib` now. Returns 0, or PC_ENOTFOUND with dlerror's text in `why` (may be NULL). */
int lazylib_load(lazylib *lib, char *why, unsigned why_size);

/* Whether `lib` has been loaded (for tests: a command that does not need it leaves it alone). */
int lazylib_loaded(const lazylib *lib);

/* Defines the stub of `ret name params`: `args` are the parameter names in parentheses. */
#define LAZYLIB_FN(lib, ret, name, params, args)                                                   \
	ret name params                                                                            \
	{                                                                                          \
		static _Atomic(lazylib_fnptr) fn_;                                                 \
		return ((ret(*) params)lazylib_fn(&(lib), &fn_, #name)) args;                       \
	}

#endif
