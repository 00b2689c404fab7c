/* lazylib (see lazylib.h): dlopen on first use, dlsym once per function. */
#include "lazylib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

/* one lock for every library: loading happens once per library and process */
static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;

static void *load(lazylib *lib, char *why, unsigned why_size)
{
	void *h = atomic_load_explicit(&lib->handle, memory_order_acquire);
	if (h)
		return h;
	pthread_mutex_lock(&load_lock);
	h = atomic_load_explicit(&lib->handle, memory_order_relaxed);
	if (!h) {
		/* RTLD_LOCAL: the library's symbols serve the stubs only, as a DT_NEEDED's would */
		h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
		if (h)
			atomic_store_explicit(&lib->handle, h, memory_order_release);
		else if (why && why_size) {
			const char *e = dlerror();
			snprintf(why, why_size, "%s", e ? e : "cannot be loaded");
		}
	}
	pthread_mutex_unlock(&load_lock);
	return h;
}

int lazylib_load(lazylib *lib, char *why, unsigned why_size)
{
	return load(lib, why, why_size) ? 0 : PC_ENOTFOUND;
}

int lazylib_loaded(const lazylib *lib)
{
	return atomic_load_explicit(&((lazylib *)lib)->handle, memory_order_acquire) != NULL;
}

/* The dynamic loader's own words for the same failures at start-up, and its exit status. */
_Noreturn static void broken_install(const char *what, const char *detail)
{
	fprintf(stderr, "postcard: %s: %s\n", what, detail);
	exit(127);
}

lazylib_fnptr lazylib_fn(lazylib *lib, _Atomic(lazylib_fnptr) *cache, const char *name)
{
	lazylib_fnptr f = atomic_load_explicit(cache, memory_order_acquire);
	if (f)
		return f;
	char why[512];
	void *h = load(lib, why, sizeof why);
	if (!h)
		broken_install("error while loading shared libraries", why);
	void *sym = dlsym(h, name);
	if (!sym) {
		snprintf(why, sizeof why, "%s: undefined symbol: %s", lib->soname, name);
		broken_install("symbol lookup error", why);
	}
	/* POSIX guarantees that dlsym's object pointer converts to a function pointer */
	memcpy(&f, &sym, sizeof f);
	atomic_store_explicit(cache, f, memory_order_release);
	return f;
}
