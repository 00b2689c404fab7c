/* SQLite's memory for fuzz targets that run a store: free lists kept for the whole run instead
 * of a malloc and a free per object. Debian's SQLite is built without lookaside
 * (SQLITE_OMIT_LOOKASIDE), so every small object it makes is a malloc, a few hundred per input
 * of fuzz_request, and ASan fills each, records its stack and quarantines it on free.
 *
 * ASan still watches the blocks: a free block is poisoned, and an allocated one is unpoisoned
 * only for the bytes asked, so reading past what SQLite returned, or after it was freed, is
 * still reported. SQLite's own code is not instrumented either way; the code under test is. */
#include "sqlite_pool.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sanitizer/asan_interface.h>
#include <sqlite3.h>

#define MIN_SHIFT 4
#define CLASSES 13 /* blocks of 16 B to 64 KiB; larger ones come from malloc each time */
#define HDR 16     /* before each block: its size when in use, the next free block when free;
		    * then its class. 16 keeps the block as aligned as malloc's. */

/* Not instrumented for coverage: libFuzzer would count this file's branches as the input's,
 * and trace its every comparison (9% of fuzz_request's time when it was). */
#if defined(__clang__)
#define NO_COVERAGE __attribute__((no_sanitize("coverage")))
#else
#define NO_COVERAGE
#endif

static unsigned char *free_list[CLASSES];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

NO_COVERAGE static size_t class_of(size_t n)
{
	size_t k = 0;
	while (k < CLASSES && ((size_t)1 << (k + MIN_SHIFT)) < n)
		k++;
	return k;
}

NO_COVERAGE static size_t *header(void *p)
{
	return (size_t *)((unsigned char *)p - HDR);
}

NO_COVERAGE static void *pool_malloc(int n)
{
	if (n < 0)
		return NULL;
	size_t size = (size_t)n, k = class_of(size);
	unsigned char *b = NULL;
	if (k < CLASSES) {
		pthread_mutex_lock(&lock);
		b = free_list[k];
		if (b)
			free_list[k] = (unsigned char *)((size_t *)b)[0];
		pthread_mutex_unlock(&lock);
	}
	if (!b) {
		size_t cap = k < CLASSES ? (size_t)1 << (k + MIN_SHIFT) : size;
		if (!(b = malloc(HDR + cap)))
			return NULL;
		if (k < CLASSES)
			ASAN_POISON_MEMORY_REGION(b + HDR, cap); /* as a block from the free list */
	}
	((size_t *)b)[0] = size;
	((size_t *)b)[1] = k;
	if (k < CLASSES)
		ASAN_UNPOISON_MEMORY_REGION(b + HDR, size);
	return b + HDR;
}

NO_COVERAGE static void pool_free(void *p)
{
	if (!p)
		return;
	size_t *h = header(p);
	size_t k = h[1];
	if (k == CLASSES) {
		free(h);
		return;
	}
	ASAN_POISON_MEMORY_REGION(p, (size_t)1 << (k + MIN_SHIFT));
	pthread_mutex_lock(&lock);
	h[0] = (size_t)free_list[k];
	free_list[k] = (unsigned char *)h;
	pthread_mutex_unlock(&lock);
}

NO_COVERAGE static int pool_size(void *p)
{
	return p ? (int)header(p)[0] : 0;
}

NO_COVERAGE static void *pool_realloc(void *p, int n)
{
	void *q = pool_malloc(n);
	if (q && p) {
		size_t old = header(p)[0];
		memcpy(q, p, old < (size_t)n ? old : (size_t)n);
		pool_free(p);
	}
	return q;
}

NO_COVERAGE static int pool_roundup(int n)
{
	return (n + 7) & ~7;
}

NO_COVERAGE static int pool_init(void *ctx)
{
	(void)ctx;
	return SQLITE_OK;
}

NO_COVERAGE static void pool_shutdown(void *ctx)
{
	(void)ctx;
}

int sqlite_pool_use(void)
{
	static const sqlite3_mem_methods methods = {pool_malloc, pool_free,	pool_realloc, pool_size,
						    pool_roundup, pool_init, pool_shutdown, NULL};
	return sqlite3_config(SQLITE_CONFIG_MALLOC, &methods);
}
